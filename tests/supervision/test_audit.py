"""Supervision tasks, follow-ups and meetings record their own audit entries: one per change, with
the service's reason; a sync writes one create per new task; a bulk update one per changed row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from audit_support import api, mark, since
from tuijin.assessment.models import Escalation
from tuijin.audit.context import audit_context
from tuijin.supervision import services, sources
from tuijin.supervision.models import SupervisionTask
from tuijin.toolkit import clock

from .conftest import TODAY

pytestmark = pytest.mark.django_db





def make_task(users, orgs, title="加快某产业园项目开工", deadline=TODAY):
    with audit_context(source="web", actor=users["dcs"]):
        return services.task_create(actor=users["dcs"], org=orgs["jinshui"], title=title, deadline=deadline,
                                    today=TODAY)


def test_assigning_following_up_and_closing_write_one_entry_each_with_the_reason(users, orgs):
    start = mark()
    created = api(users["dcs"]).post("/api/v1/supervision/tasks/", {
        "org": "jinshui", "title": "加快某产业园项目开工", "measure": "倒排工期",
        "deadline": (clock.today() + dt.timedelta(days=30)).isoformat()}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    unit = api(users["jinshui"])
    assert unit.post(f"/api/v1/supervision/tasks/{pk}/follow-ups/", {"note": "已完成土地摘牌"},
                     format="json").status_code == 201
    assert unit.post(f"/api/v1/supervision/tasks/{pk}/close/", {"evidence": "施工许可证已核发"},
                     format="json").status_code == 200
    task, follow_up, closing = since(start)
    assert (task.object_type, task.action, task.object_id, task.actor) == (
        "supervision.supervisiontask", "create", str(pk), users["dcs"])
    assert task.reason == "交办督办任务（督查室交办）" and task.after["measure"] == "倒排工期"
    assert (follow_up.object_type, follow_up.action, follow_up.reason) == (
        "supervision.taskfollowup", "create", "督办任务月度跟进")
    assert follow_up.after["note"] == "已完成土地摘牌"
    assert (closing.object_type, closing.action, closing.reason, closing.actor) == (
        "supervision.supervisiontask", "update", "督办任务办结", users["jinshui"])
    assert (closing.before["status"], closing.after["status"], closing.after["evidence"]) == (
        "open", "closed", "施工许可证已核发")
    assert (closing.before["version"], closing.after["version"]) == (1, 2)
    assert "evidence_content_type" not in closing.after


def test_a_meeting_decision_writes_one_entry_for_the_meeting_and_one_for_its_task(users, orgs):
    start = mark()
    with audit_context(source="web", actor=users["dcs"]):
        services.meeting_record_decision(actor=users["dcs"], week="2022-W22", org=orgs["zrj"], title="完成用地预审",
                                         today=TODAY)
    meeting, task = since(start)
    assert (meeting.object_type, meeting.action, meeting.reason, meeting.after["week"]) == (
        "supervision.meeting", "create", "周例会", "2022-W22")
    assert (task.object_type, task.action, task.after["source_key"]) == (
        "supervision.supervisiontask", "create", "2022-W22#1")


def test_the_sync_command_writes_one_create_per_new_task_and_nothing_the_second_time(orgs, system_context):
    Escalation.objects.create(org=orgs["dengfeng"], year=2022, month=4, streak=1, level="notice", plan_hash="x")
    start = mark()
    call_command("supervision_sync", "--today", TODAY.isoformat(), stdout=io.StringIO())
    [entry] = [e for e in since(start) if e.object_type == "supervision.supervisiontask"]
    assert (entry.action, entry.source) == ("create", "cli")
    assert entry.reason == f"由来源“{sources.kind_label('escalation')}”生成督办任务"
    again = mark()
    call_command("supervision_sync", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert since(again) == []


def test_a_bulk_update_writes_one_entry_per_changed_row(users, orgs):
    later = TODAY + dt.timedelta(days=10)
    a, b = make_task(users, orgs, "甲"), make_task(users, orgs, "乙")
    c = make_task(users, orgs, "丙", deadline=later)
    start = mark()
    with audit_context(source="cli", actor=users["dcs"], reason="统一延期"):
        assert SupervisionTask.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(deadline=later) == 3
    entries = since(start)  # 丙 did not change
    assert sorted(e.object_id for e in entries) == sorted([str(a.pk), str(b.pk)])
    for e in entries:
        assert (e.object_type, e.action, e.reason) == ("supervision.supervisiontask", "update", "统一延期")
        assert (e.before["deadline"], e.after["deadline"]) == ("2022-06-01", "2022-06-11")
