"""Writes of the bond module: refusals with Chinese messages, and an audit entry for each change."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.bonds import services
from tuijin.bonds.models import BondIssuance, BondSpending, SupplementaryApplication
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed


def test_issuance_beyond_the_quota_is_refused(bond_case, users):
    quota = bond_case["jinshui"]["quota"]  # quota 20亿, 11亿 issued
    with audit_context(source="cli", actor=users["fgw"]), pytest.raises(ValidationFailed, match="超过额度"):
        services.issuance_record(actor=users["fgw"], quota_id=quota.pk, issued_on="2022-08-01", amount_wan="100000")
    assert BondIssuance.objects.filter(quota=quota).count() == 2


def test_issuance_is_recorded_and_audited(bond_case, users):
    quota = bond_case["jinshui"]["quota"]
    with audit_context(source="cli", actor=users["fgw"]):
        issuance = services.issuance_record(actor=users["fgw"], quota_id=quota.pk, issued_on=dt.date(2022, 8, 1),
                                            amount_wan="5000")
    entry = AuditEntry.objects.get(object_type="bonds.bondissuance", object_id=str(issuance.pk))
    assert entry.action == "create" and entry.actor == users["fgw"]
    assert entry.after["amount_yuan"] == 50_000_000


def test_only_the_city_records_issuance(bond_case, users):
    quota = bond_case["jinshui"]["quota"]
    with audit_context(source="cli", actor=users["jinshui"]), pytest.raises(PermissionRefused):
        services.issuance_record(actor=users["jinshui"], quota_id=quota.pk, issued_on="2022-08-01", amount_wan="1")


def test_a_unit_records_its_own_spending_but_not_anothers(bond_case, users):
    own, other = bond_case["jinshui"]["project"], bond_case["zhongyuan"]["project"]
    with audit_context(source="cli", actor=users["jinshui"]):
        row = services.spending_record(actor=users["jinshui"], project_id=own.pk, year=2022, month=6,
                                       amount_wan="25000")
        with pytest.raises(NotFound):
            services.spending_record(actor=users["jinshui"], project_id=other.pk, year=2022, month=6,
                                     amount_wan="1")
    entry = AuditEntry.objects.filter(object_type="bonds.bondspending", object_id=str(row.pk)).latest("id")
    assert entry.action == "update" and entry.after["amount_yuan"] == 250_000_000
    assert entry.before["amount_yuan"] != entry.after["amount_yuan"]


def test_review_of_an_application_is_audited_and_happens_once(bond_case, users):
    app = SupplementaryApplication.objects.get(name="jinshui待审")
    fgw = users["fgw"]
    with audit_context(source="web", actor=fgw):
        with pytest.raises(ValidationFailed, match="须填写原因"):
            services.application_review(actor=fgw, application_id=app.pk, status="rejected")
        services.application_review(actor=fgw, application_id=app.pk, status="passed", reviewed_on="2022-06-20")
        with pytest.raises(Conflict, match="已审核"):
            services.application_review(actor=fgw, application_id=app.pk, status="rejected", note="x")
    entry = AuditEntry.objects.get(object_type="bonds.supplementaryapplication", object_id=str(app.pk),
                                   action="update")
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "passed")


def test_api_submit_and_review_an_application(bond_case, client_for):
    response = client_for("jinshui").post("/api/v1/bonds/applications/", {
        "unit": "jinshui", "name": "金水区老旧小区改造（补充申报）", "year": 2022, "amount": "30000",
        "submitted_on": "2022-06-01"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client_for("jinshui").post("/api/v1/bonds/applications/", {
        "unit": "zhongyuan", "name": "x", "year": 2022, "amount": "1"},
        content_type="application/json").status_code == 403
    review = client_for("fgw").post(f"/api/v1/bonds/applications/{pk}/review/", {"status": "passed"},
                                    content_type="application/json")
    assert review.status_code == 200 and review.json()["status"] == "passed"
    again = client_for("fgw").post(f"/api/v1/bonds/applications/{pk}/review/", {"status": "passed"},
                                   content_type="application/json")
    assert again.status_code == 409 and "已审核" in again.json()["detail"]


def test_api_violation_is_recorded_and_lowers_compliance(bond_case, client_for):
    response = client_for("fgw").post("/api/v1/bonds/violations/", {
        "unit": "jinshui", "occurred_on": "2022-06-05", "description": "信息公开不及时"},
        content_type="application/json")
    assert response.status_code == 201
    body = client_for("fgw").get("/api/v1/bonds/evaluation/?year=2022&month=6").json()
    jinshui = next(r for r in body["results"] if r["org"] == "jinshui")
    assert jinshui["scores"]["compliance"] == "75.00"
    bad = client_for("fgw").post("/api/v1/bonds/violations/", {"unit": "nowhere", "occurred_on": "2022-06-05",
                                                               "description": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "未知的报送单位" in bad.json()["detail"]


def test_spending_from_approved_reports_fills_months_without_a_ledger_row(bond_case, users, orgs):
    from tuijin.reporting.models import Period, ProgressReport

    project = bond_case["jinshui"]["project"]
    with audit_context(source="system"):
        period = Period.objects.create(code="2022-08", year=2022, month=8, opens_on=dt.date(2022, 8, 1),
                                       deadline=dt.date(2022, 9, 7))
        ProgressReport.objects.create(unit=orgs["jinshui"], period=period, project=project,
                                      month_amount_yuan=300_000_000, status="approved")
        written = services.spending_from_reports(actor=users["fgw"], year=2022, month=8)
    assert written == 1
    row = BondSpending.objects.get(project=project, year=2022, month=8)
    # Issued 11亿, spent 4亿 + 0.1亿 (July) so far: the month's 3亿 fits.
    assert (row.amount_yuan, row.source) == (300_000_000, "report")


def test_cli_fills_spending_from_reports_and_refuses_a_unit(bond_case, users, orgs):
    from django.core.management import CommandError, call_command

    from tuijin.reporting.models import Period, ProgressReport

    with audit_context(source="system"):
        period = Period.objects.create(code="2022-09", year=2022, month=9, opens_on=dt.date(2022, 9, 1),
                                       deadline=dt.date(2022, 10, 12))
        ProgressReport.objects.create(unit=orgs["erqi"], period=period, project=bond_case["erqi"]["project"],
                                      month_amount_yuan=900_000_000, status="approved")
    with pytest.raises(CommandError, match="只有市发展改革委管理员"):
        call_command("bond_spending_from_reports", "--year", "2022", "--month", "9", "--as", "jinshui")
    out = io.StringIO()
    call_command("bond_spending_from_reports", "--year", "2022", "--month", "9", stdout=out)
    assert "1 条" in out.getvalue()
    # erqi: issued 3亿 in all, spent 0.2亿 + 0.1亿 so far: at most 2.7亿 more.
    assert BondSpending.objects.get(project=bond_case["erqi"]["project"], month=9).amount_yuan == 270_000_000


def test_api_batches_and_quotas(bond_case, client_for, make_project):
    fgw = client_for("fgw")
    created = fgw.post("/api/v1/bonds/batches/", {"year": 2022, "number": 2, "issued_on": "2022-04-15"},
                       content_type="application/json")
    assert created.status_code == 201 and created.json()["name"] == "2022年第2批"
    assert fgw.post("/api/v1/bonds/batches/", {"year": 2022, "number": 2}, content_type="application/json"
                    ).status_code == 409
    project = make_project("jinshui", tags=("special_bond",))
    quota = fgw.post("/api/v1/bonds/quotas/new/", {"batch": created.json()["id"], "project": project.pk,
                                                   "amount": "12345.6"}, content_type="application/json")
    assert quota.status_code == 201 and quota.json()["amount"] == "12345.6000"
    batches = client_for("jinshui").get("/api/v1/bonds/batches/?year=2022").json()
    assert [(b["number"], b["projects"]) for b in batches] == [(1, 3), (2, 1)]
    assert client_for("jinshui").post("/api/v1/bonds/quotas/new/", {"batch": 1, "project": project.pk,
                                                                    "amount": "1"},
                                      content_type="application/json").status_code == 403
