"""Proposals, applications and attachments record their own audit entries: one per change, with the
service's reason; a re-scan that changes nothing writes nothing; a bulk update one per changed row."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from audit_support import api, mark, since
from tuijin.audit.context import audit_context
from tuijin.incentives.models import Proposal

pytestmark = pytest.mark.django_db
USCC = "91410105MA9G1RT2A5"





def test_the_scan_writes_one_create_per_proposal_then_an_update_only_for_changed_facts(
        eligible_manufacturing, reports, users):
    project = eligible_manufacturing("jinshui")
    start = mark()
    call_command("incentives_scan", "--year", "2022", stdout=io.StringIO())
    [created] = since(start)
    proposal = Proposal.objects.get(project=project)
    assert (created.object_type, created.action, created.object_id, created.source) == (
        "incentives.proposal", "create", str(proposal.pk), "cli")
    assert created.reason == "2022年奖补筛查（免申即享）" and created.after["status"] == "proposed"
    assert "found_at" not in created.after and "refreshed_at" not in created.after
    again = mark()
    call_command("incentives_scan", "--year", "2022", stdout=io.StringIO())
    assert since(again) == []  # nothing changed: nothing written (refreshed_at is not audited)
    reports(project, {"2022-07": "50000"})
    facts = mark()
    call_command("incentives_scan", "--year", "2022", stdout=io.StringIO())
    [updated] = since(facts)
    assert (updated.action, updated.reason) == ("update", "2022年奖补筛查：事实更新")
    assert updated.before["facts"] != updated.after["facts"]
    start = mark()
    rejected = api(users["czj"]).post(f"/api/v1/incentives/proposals/{proposal.pk}/reject/",
                                      {"reason": "企业已享受省级同类政策"}, format="json")
    assert rejected.status_code == 200, rejected.content
    [decision] = since(start)
    assert (decision.action, decision.reason, decision.actor) == ("update", "奖补线索否定：企业已享受省级同类政策",
                                                                  users["czj"])
    assert (decision.before["status"], decision.after["status"]) == ("proposed", "rejected")
    assert decision.after["decision_reason"] == "企业已享受省级同类政策"


def test_an_application_and_its_evidence_write_one_entry_per_step_with_the_reason(
        eligible_manufacturing, users, pdf):
    project = eligible_manufacturing("jinshui")
    unit = api(users["jinshui"])
    start = mark()
    created = unit.post("/api/v1/incentives/applications/", {
        "project": project.pk, "rule": "interest_subsidy", "period": 2022, "loan": "20000", "owner_uscc": USCC},
        format="json")
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert unit.post(f"/api/v1/incentives/applications/{app_id}/attachments/", {"file": pdf()},
                     format="multipart").status_code == 201
    assert api(users["gxj"]).post(f"/api/v1/incentives/applications/{app_id}/reject/", {"reason": "贷款合同未盖章"},
                                  format="json").status_code == 200
    submitted, attachment, rejected = since(start)
    assert (submitted.object_type, submitted.action, submitted.object_id, submitted.reason) == (
        "incentives.application", "create", str(app_id), "提交贴息申请")
    assert submitted.after["requested_amount_yuan"] == 2_610_000 and submitted.after["status"] == "submitted"
    assert (attachment.object_type, attachment.action, attachment.reason) == (
        "incentives.attachment", "create", "上传奖补申请证明材料")
    assert (attachment.after["application"], attachment.after["original_name"], attachment.after["size"]) == (
        app_id, "贷款合同.pdf", len(pdf().read()))
    assert "stored_name" not in attachment.after  # where the file lies stays out of the log
    assert (rejected.object_type, rejected.action, rejected.reason, rejected.actor) == (
        "incentives.application", "update", "退回：贷款合同未盖章", users["gxj"])
    assert (rejected.before["status"], rejected.after["status"]) == ("submitted", "rejected")


def test_a_bulk_update_writes_one_entry_per_changed_row(eligible_manufacturing, users):
    for unit in ("jinshui", "zhongyuan"):
        eligible_manufacturing(unit)
    call_command("incentives_scan", "--year", "2022", stdout=io.StringIO())
    proposals = list(Proposal.objects.order_by("id"))
    assert len(proposals) >= 2
    kept = proposals[0]
    with audit_context(source="system"):
        Proposal.objects.filter(pk=kept.pk).update(status="confirmed")
    start = mark()
    with audit_context(source="cli", actor=users["gxj"], reason="批量确认"):
        assert Proposal.objects.all().update(status="confirmed") == len(proposals)
    entries = since(start)
    assert sorted(e.object_id for e in entries) == sorted(str(p.pk) for p in proposals[1:])
    for e in entries:
        assert (e.object_type, e.action, e.reason) == ("incentives.proposal", "update", "批量确认")
        assert (e.before["status"], e.after["status"]) == ("proposed", "confirmed")
