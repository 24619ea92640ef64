"""The doors: the calculator (page, CLI, API), proposals and applications over the API, the pages,
the budget view with the quarterly awards as commitments."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from tuijin.audit.context import audit_context
from tuijin.incentives import services
from tuijin.incentives.models import Application, Proposal

pytestmark = pytest.mark.django_db
USCC = "91410105MA9G1RT2A5"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def scan():
    with audit_context(source="cli"):
        services.incentives_scan(actor=None, year=2022)


def test_the_quote_api_gives_the_pinned_json(users):
    response = api_for(users["jinshui"]).post("/api/v1/incentives/quote/", {
        "rule": "interest_subsidy", "total": "200000", "first_year": "100000", "loan": "50000"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"eligible": True, "amount_wan": 1305, "cap_wan": 4000, "years": 2,
                               "clause": "二(六)16", "reasons": []}
    reits = api_for(users["gxj"]).post("/api/v1/incentives/quote/", {
        "rule": "reits_subsidy", "pre_expenses": 100, "issued": True}, format="json")
    assert reits.json()["amount_wan"] == 450 and reits.json()["cap_wan"] == 700


def test_bad_quote_input_is_a_400_with_chinese_field_errors(users):
    client = api_for(users["jinshui"])
    response = client.post("/api/v1/incentives/quote/", {"rule": "equipment_award", "total": "-1",
                                                         "equipment": "abc", "nature": "rebuild"}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["total"] == ["总投资（万元）：不能为负数"]
    assert "应为数字" in errors["equipment"][0] and "new（新建）" in errors["nature"][0]
    unknown = client.post("/api/v1/incentives/quote/", {"rule": "lottery"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"rule": ["规则应为：interest_subsidy、"
                                                                                 "equipment_award、reits_subsidy"]}
    assert api_for(users["auditor"]).post("/api/v1/incentives/quote/", {}, format="json").status_code == 403



@pytest.mark.parametrize("huge", [1e30, "1e30", 10**40, "-1e25"])
def test_an_absurdly_large_amount_is_a_400_naming_the_field_not_a_500(users, huge):
    """Found by schemathesis: an amount beyond the decimal context used to raise InvalidOperation (500)."""
    response = api_for(users["jinshui"]).post("/api/v1/incentives/quote/", {
        "rule": "interest_subsidy", "total": huge, "first_year": "100", "loan": "50"}, format="json")
    assert response.status_code == 400
    assert "数值过大" in response.json()["errors"]["total"][0]

def test_the_cli_calculator(capsys):
    out = io.StringIO()
    call_command("calc", "equipment-award", "--total", "3000", "--equipment", "2500", "--other-industry", "--json",
                 stdout=out)
    assert json.loads(out.getvalue()) == {"eligible": True, "amount_wan": 125, "cap_wan": 1000, "years": None,
                                          "clause": "二(六)17", "reasons": ["非主导产业，按设备投资额的5%奖励"]}
    with pytest.raises(CommandError, match="贷款本金（万元）：不能为负数"):
        call_command("calc", "interest-subsidy", "--total", "1", "--first-year", "1", "--loan", "-3")


def test_the_calculator_page(client_for):
    page = client_for("jinshui").get("/incentives/calculator/", {"rule": "reits_subsidy", "pre_expenses": "600",
                                                                 "calculate": "1"})
    assert page.status_code == 200 and page.context["result"].amount_wan == 300
    bad = client_for("jinshui").get("/incentives/calculator/", {"rule": "reits_subsidy", "pre_expenses": "x",
                                                                "calculate": "1"})
    assert bad.status_code == 200 and "应为数字" in bad.content.decode()


def test_proposals_over_the_api_are_scoped(users, eligible_manufacturing):
    eligible_manufacturing("jinshui")
    eligible_manufacturing("zhongyuan")
    scan()
    mine = api_for(users["jinshui"]).get("/api/v1/incentives/proposals/").json()
    assert mine["count"] == 1 and mine["results"][0]["unit"] == "jinshui"
    assert mine["results"][0]["facts"][0]["link"].startswith("/projects/")
    other = Proposal.objects.get(unit__code="zhongyuan")
    assert api_for(users["jinshui"]).get(f"/api/v1/incentives/proposals/{other.pk}/").status_code == 404
    assert api_for(users["jinshui"]).post(f"/api/v1/incentives/proposals/{other.pk}/confirm/").status_code == 404
    assert api_for(users["gxj"]).get("/api/v1/incentives/proposals/").json()["count"] == 2
    rejected = api_for(users["czj"]).post(f"/api/v1/incentives/proposals/{other.pk}/reject/", {"reason": ""},
                                          format="json")
    assert rejected.status_code == 400 and rejected.json()["errors"] == {"reason": ["否定奖补线索须填写理由"]}
    ok = api_for(users["czj"]).post(f"/api/v1/incentives/proposals/{other.pk}/confirm/", {}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    again = api_for(users["czj"]).post(f"/api/v1/incentives/proposals/{other.pk}/confirm/", {}, format="json")
    assert again.status_code == 409


def test_an_application_over_the_api_from_claim_to_payment(users, eligible_manufacturing, pdf):
    project = eligible_manufacturing("jinshui")
    unit = api_for(users["jinshui"])
    created = unit.post("/api/v1/incentives/applications/", {
        "project": project.pk, "rule": "interest_subsidy", "period": 2022, "loan": "20000", "owner_uscc": USCC},
        format="json")
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    assert created.json()["requested_amount_wan"] == "261.0000"
    upload = unit.post(f"/api/v1/incentives/applications/{app_id}/attachments/", {"file": pdf()},
                       format="multipart")
    assert upload.status_code == 201 and upload.json()["content_type"] == "application/pdf"
    fake = unit.post(f"/api/v1/incentives/applications/{app_id}/attachments/",
                     {"file": pdf("invoice.pdf", b"<html>not a pdf</html>")}, format="multipart")
    assert fake.status_code == 400 and "file" in fake.json()["errors"]
    assert api_for(users["zhongyuan"]).get(f"/api/v1/incentives/applications/{app_id}/").status_code == 404
    assert api_for(users["gxj"]).post(f"/api/v1/incentives/applications/{app_id}/review/").status_code == 200
    assert api_for(users["gxj"]).post(f"/api/v1/incentives/applications/{app_id}/approve/").status_code == 403
    approved = api_for(users["czj"]).post(f"/api/v1/incentives/applications/{app_id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["approved_amount_wan"] == "261.0000"
    paid = api_for(users["czj"]).post(f"/api/v1/incentives/applications/{app_id}/pay/", {"reference": "ZF-1"},
                                      format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    twice = api_for(users["czj"]).post(f"/api/v1/incentives/applications/{app_id}/pay/", {}, format="json")
    assert twice.status_code == 409
    duplicate = unit.post("/api/v1/incentives/applications/", {
        "project": project.pk, "rule": "interest_subsidy", "period": 2022, "loan": "20000"}, format="json")
    assert duplicate.status_code == 409
    assert Application.objects.count() == 1


def test_pages_for_each_role_and_404_for_another_units_application(client_for, users, eligible_manufacturing,
                                                                    pdf):
    project = eligible_manufacturing("jinshui")
    scan()
    with audit_context(source="web", actor=users["jinshui"]):
        app = services.application_submit(actor=users["jinshui"], project_id=project.pk, rule="interest_subsidy",
                                          period=2022, inputs={"loan": "1000"}, owner_uscc=USCC)
        services.attachment_add(actor=users["jinshui"], application_id=app.pk, upload=pdf())
    for name in ("fgw", "gxj", "czj", "jinshui", "leader"):
        client = client_for(name)
        for url in ("/incentives/", "/incentives/applications/", "/incentives/calculator/", "/incentives/budget/",
                    "/reits/"):
            assert client.get(url).status_code == 200, (name, url)
    assert client_for("jinshui").get(f"/incentives/applications/{app.pk}/").status_code == 200
    assert client_for("zhongyuan").get(f"/incentives/applications/{app.pk}/").status_code == 404
    att = app.attachments.get()
    download = client_for("jinshui").get(f"/incentives/applications/{app.pk}/attachments/{att.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for("zhongyuan").get(f"/incentives/applications/{app.pk}/attachments/{att.pk}/").status_code == 404
    assert client_for("auditor").get("/incentives/").status_code == 403
    zhongyuan_page = client_for("zhongyuan").get("/incentives/").content.decode()
    assert project.name not in zhongyuan_page
    # the reviewer's button on the page moves the state
    response = client_for("gxj").post(f"/incentives/applications/{app.pk}/review/")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "reviewed"


def test_the_proposal_list_runs_a_bounded_number_of_queries(client_for, make_project, eligible_manufacturing,
                                                             django_assert_max_num_queries):
    for _ in range(6):
        eligible_manufacturing("jinshui")
    scan()
    client = client_for("gxj")
    with django_assert_max_num_queries(20):
        response = client.get("/incentives/")
    assert response.content.decode().count("data-proposal=") == 6
    with django_assert_max_num_queries(20):
        client.get("/incentives/applications/")


def test_the_budget_counts_approved_paid_confirmed_and_the_quarterly_awards(users, orgs, act, pdf,
                                                                            eligible_manufacturing, reits_entry,
                                                                            make_project, system_context):
    from tuijin.assessment.models import Evaluation, EvaluationResult
    from tuijin.incentives import selectors
    from tuijin.toolkit.money import wan_to_yuan

    ev = Evaluation.objects.create(year=2022, quarter=1, plan_hash="x")
    EvaluationResult.objects.create(evaluation=ev, org=orgs["jinshui"], score=90, rank=1,
                                    award_yuan=wan_to_yuan(150))
    EvaluationResult.objects.create(evaluation=ev, org=orgs["zhongyuan"], score=80, rank=2,
                                    award_yuan=wan_to_yuan(100))
    project = eligible_manufacturing("jinshui")
    app = act(users["jinshui"], services.application_submit, project_id=project.pk, rule="interest_subsidy",
              period=2022, inputs={"loan": "20000"}, owner_uscc=USCC)
    act(users["jinshui"], services.attachment_add, application_id=app.pk, upload=pdf())
    act(users["gxj"], services.application_review, application_id=app.pk)
    act(users["czj"], services.application_approve, application_id=app.pk)
    act(users["czj"], services.application_pay, application_id=app.pk)
    reits_project = make_project("zhengdong", category="infrastructure")
    reits_entry(reits_project, pre_expenses_yuan=wan_to_yuan("200"))
    scan()
    proposal = Proposal.objects.get(rule="reits_subsidy")
    act(users["czj"], services.proposal_decide, proposal_id=proposal.pk, confirm=True)

    view = selectors.budget_view(user=users["fgw"], year=2022)
    rules = {r["rule"]: r for r in view["rules"]}
    assert rules["quarterly_awards"]["committed_wan"] == 250 and rules["quarterly_awards"]["budget_wan"] == 2000
    assert rules["interest_subsidy"]["committed_wan"] == 261 and rules["interest_subsidy"]["paid_wan"] == 261
    assert rules["reits_subsidy"]["committed_wan"] == 100
    assert view["total"]["committed_wan"] == 611 and view["total"]["paid_wan"] == 261
    units = {u["unit"]: u for u in view["units"]}
    assert units["jinshui"]["committed_wan"] == 411 and units["zhengdong"]["committed_wan"] == 100
    assert view["quarters"][0]["committed_wan"] == 250
    mine = selectors.budget_view(user=users["jinshui"], year=2022)
    assert {u["unit"] for u in mine["units"]} == {"jinshui"}
    body = api_for(users["czj"]).get("/api/v1/incentives/budget/", {"year": 2022}).json()
    assert body["total"]["committed_wan"] == "611.0000"


def test_a_unit_applies_from_its_proposal_through_the_pages(client_for, users, eligible_manufacturing):
    project = eligible_manufacturing("jinshui")
    scan()
    proposal = Proposal.objects.get(project=project)
    client = client_for("jinshui")
    listing = client.get("/incentives/").content.decode()
    assert f'data-testid="apply-{proposal.pk}"' in listing
    form = client.get("/incentives/applications/new/", {"project": project.pk, "rule": "interest_subsidy",
                                                         "proposal": proposal.pk, "period": 2022})
    assert form.status_code == 200 and f'value="{project.pk}"' in form.content.decode()
    bad = client.post("/incentives/applications/new/", {"project": project.pk, "rule": "interest_subsidy",
                                                         "period": "2022", "loan": "abc", "owner_uscc": USCC})
    assert bad.status_code == 200 and "贷款本金（万元）：应为数字" in bad.content.decode()
    assert not Application.objects.exists()
    done = client.post("/incentives/applications/new/", {"project": project.pk, "rule": "interest_subsidy",
                                                          "period": "2022", "loan": "20000", "owner_uscc": USCC,
                                                          "proposal": proposal.pk})
    app = Application.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/incentives/applications/{app.pk}/"
    assert app.proposal == proposal and app.requested_amount_wan == 261
