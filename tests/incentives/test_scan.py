"""The eligibility scan (免申即享): what it proposes from which facts, idempotence, decisions, scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.incentives import services
from tuijin.incentives.models import Proposal
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db


def scan(year=2022):
    with audit_context(source="cli"):
        return services.incentives_scan(actor=None, year=year)


@pytest.fixture
def library(make_project, reports, reits_entry, eligible_manufacturing):
    """One eligible and one ineligible case per rule (the demo plants the same kinds)."""
    p = {}
    p["interest_ok"] = eligible_manufacturing("jinshui")  # 12亿, 6亿 in the first year
    p["interest_low_first_year"] = eligible_manufacturing("zhongyuan", monthly="8000")  # 4.8亿 < 5亿
    p["interest_not_manufacturing"] = eligible_manufacturing("jinshui", category="infrastructure")
    p["interest_draft_reports"] = make_project("jinshui", total_investment_yuan=wan_to_yuan("150000"),
                                               actual_start=dt.date(2022, 1, 5), stage="construction")
    reports(p["interest_draft_reports"], {f"2022-{m:02d}": "20000" for m in range(1, 4)}, status="submitted")
    p["equipment_ok"] = make_project("zhongyuan", total_investment_yuan=wan_to_yuan("2000"), nature="new",
                                     actual_start=dt.date(2021, 4, 1), actual_end=dt.date(2022, 5, 20),
                                     stage="completed", leading_industry="new_materials")
    p["equipment_reported"] = make_project("jinshui", total_investment_yuan=wan_to_yuan("8000"),
                                           actual_start=dt.date(2021, 6, 1), stage="construction")
    reports(p["equipment_reported"], {"2022-05": "100"}, physical_progress="设备安装调试完成，已投产")
    p["equipment_expansion"] = make_project("jinshui", total_investment_yuan=wan_to_yuan("30000"),
                                            nature="expansion", actual_start=dt.date(2021, 3, 1),
                                            actual_end=dt.date(2022, 4, 1), stage="completed")
    p["equipment_not_producing"] = make_project("jinshui", total_investment_yuan=wan_to_yuan("30000"),
                                                actual_start=dt.date(2022, 3, 1), stage="construction")
    p["equipment_small"] = make_project("jinshui", total_investment_yuan=wan_to_yuan("1999"),
                                        actual_start=dt.date(2021, 3, 1), actual_end=dt.date(2022, 4, 1),
                                        stage="completed")
    p["reits_ok"] = make_project("zhengdong", category="infrastructure", investment_type="government")
    reits_entry(p["reits_ok"], stage="issued", issue_date=dt.date(2022, 6, 20),
                issue_amount_yuan=wan_to_yuan("120000"), pre_expenses_yuan=wan_to_yuan("700"))
    p["reits_not_in_reserve"] = make_project("zhengdong", category="infrastructure")
    reits_entry(p["reits_not_in_reserve"], in_national_reserve=False)
    p["early_ok"] = make_project("erqi", category="infrastructure", investment_type="government",
                                 planned_start=dt.date(2023, 3, 1), actual_start=dt.date(2022, 8, 1),
                                 stage="construction")
    p["early_enterprise"] = make_project("erqi", category="infrastructure", investment_type="enterprise",
                                         planned_start=dt.date(2023, 3, 1), actual_start=dt.date(2022, 8, 1),
                                         stage="construction")
    return p


def found(library):
    by_id = {v.pk: k for k, v in library.items()}
    return sorted((by_id[p.project_id], p.rule) for p in Proposal.objects.all())


def test_the_scan_proposes_exactly_what_the_data_supports(library):
    result = scan()
    assert found(library) == sorted([
        ("interest_ok", "interest_subsidy"), ("equipment_ok", "equipment_award"),
        ("equipment_reported", "equipment_award"), ("reits_ok", "reits_subsidy"), ("reits_ok", "reits_issuance"),
        ("early_ok", "early_start")])
    assert result["created"] == 6
    interest = Proposal.objects.get(rule="interest_subsidy")
    facts = {f["label"]: f["value"] for f in interest.facts["items"]}
    assert facts["开工后一年内实际完成投资（万元，已审核月报）"] == "60000"
    assert interest.cap_wan == 1000 and interest.years == 1 and interest.amount_yuan is None
    assert all(f["link"] for f in interest.facts["items"][:2])
    reits = Proposal.objects.get(rule="reits_subsidy")
    assert reits.amount_wan == 300  # 700 × 50 % = 350, capped at 300
    assert Proposal.objects.get(rule="reits_issuance").amount_wan == 400
    assert interest.plan_hash and interest.clause == "二(六)16"


def test_rerunning_the_scan_never_duplicates(library):
    scan()
    again = scan()
    assert again["created"] == 0 and again["unchanged"] == 6
    assert Proposal.objects.count() == 6


def test_a_decided_proposal_is_kept_and_facts_of_an_open_one_refresh(library, act, users, reports):
    scan()
    proposal = Proposal.objects.get(rule="equipment_award", project=library["equipment_ok"])
    act(users["gxj"], services.proposal_decide, proposal_id=proposal.pk, confirm=True)
    interest = Proposal.objects.get(rule="interest_subsidy")
    reports(library["interest_ok"], {"2022-07": "50000"})  # first year reaches 11亿 → still tier 1 (total 12亿)
    result = scan()
    assert result["decided_kept"] == 1 and result["updated"] == 1
    interest.refresh_from_db()
    assert {f["label"]: f["value"] for f in interest.facts["items"]}["开工后一年内实际完成投资（万元，已审核月报）"] == "110000"


def test_confirm_and_reject_by_the_industry_and_finance_bureaus(library, act, users):
    scan()
    a, b = Proposal.objects.order_by("id")[:2]
    with pytest.raises(PermissionRefused):
        act(users["fgw"], services.proposal_decide, proposal_id=a.pk, confirm=True)
    with pytest.raises(ValidationFailed, match="理由"):
        act(users["czj"], services.proposal_decide, proposal_id=a.pk, confirm=False, reason="")
    act(users["czj"], services.proposal_decide, proposal_id=a.pk, confirm=False, reason="企业已享受省级同类政策")
    act(users["gxj"], services.proposal_decide, proposal_id=b.pk, confirm=True)
    with pytest.raises(Conflict):
        act(users["gxj"], services.proposal_decide, proposal_id=b.pk, confirm=True)
    entries = AuditEntry.objects.filter(object_type="incentives.proposal", action="update").order_by("id")
    assert [(e.before["status"], e.after["status"], e.actor_name) for e in entries] == [
        ("proposed", "rejected", "czj"), ("proposed", "confirmed", "gxj")]


def test_a_unit_sees_only_its_own_projects_proposals(library, act, users):
    scan()
    from tuijin.incentives import selectors

    mine = selectors.proposals_for(user=users["jinshui"])
    assert {p.unit.code for p in mine} == {"jinshui"}
    other = Proposal.objects.exclude(unit__code="jinshui").first()
    with pytest.raises(NotFound):
        selectors.proposal_get(user=users["jinshui"], proposal_id=other.pk)
    assert selectors.proposals_for(user=users["gxj"]).count() == Proposal.objects.count()


def test_the_cli_scans_and_prints_json(library):
    out = io.StringIO()
    call_command("incentives_scan", "--year", "2022", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["created"] == 6 and len(body["proposals"]) == 6
    rules = {p["rule"] for p in body["proposals"]}
    assert rules == {"interest_subsidy", "equipment_award", "reits_subsidy", "reits_issuance", "early_start"}
    text = io.StringIO()
    call_command("incentives_scan", "--year", "2022", stdout=text)
    assert "新增0条" in text.getvalue() and "免申即享" in text.getvalue()


def test_the_scan_button_runs_a_job_with_progress(library, client_for):
    from tuijin.jobs.models import Job

    response = client_for("gxj").post("/incentives/scan/", {"year": "2022"})
    assert response.status_code == 302
    job = Job.objects.get(kind="incentives_scan")
    assert job.status == "succeeded" and job.result["created"] == 6 and job.total > 0
    assert client_for("jinshui").post("/incentives/scan/", {"year": "2022"}).status_code == 403


def test_the_monthly_task_scans_the_current_year_as_the_system(library, business_date):
    from tuijin.incentives import tasks

    business_date("2022-08-01")
    result = tasks.monthly_scan.call_local()
    assert result["year"] == 2022 and result["created"] == 6
    entry = AuditEntry.objects.filter(object_type="incentives.proposal", action="create").first()
    assert entry.source == "job" and entry.actor is None


def test_attachments_live_outside_the_served_folders():
    from pathlib import Path

    import tuijin.settings as configured  # the real value (the fixtures point tests at a temporary folder)

    folder = Path(configured.INCENTIVE_ATTACHMENT_DIR).resolve()
    assert configured.INCENTIVE_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    for served in (configured.STATIC_ROOT, configured.MEDIA_ROOT):
        assert not folder.is_relative_to(Path(served).resolve())
