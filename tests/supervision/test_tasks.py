"""Tasks by hand: assignee, measure, deadline, monthly follow-ups, overdue and repeated-overdue lists,
closing with evidence; the monthly bulletin section."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.supervision import presentation, selectors, services
from tuijin.supervision.bulletin_sections import bulletin_sections
from tuijin.supervision.models import SupervisionTask
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def create(users, orgs, org="jinshui", deadline=dt.date(2022, 6, 30), title="加快某产业园项目开工", **kw):
    with audit_context(source="web", actor=users["dcs"]):
        return services.task_create(actor=users["dcs"], org=orgs[org], title=title, measure="倒排工期",
                                    deadline=deadline, today=TODAY, assignee=kw.pop("assignee", users.get(org)),
                                    assignee_name="张三", **kw)


def test_the_supervision_office_assigns_a_task_to_an_org_and_person(users, orgs):
    task = create(users, orgs)
    assert task.org.code == "jinshui" and task.assignee.username == "jinshui" and task.kind == "manual"
    entry = AuditEntry.objects.get(object_type="supervision.supervisiontask", action="create")
    assert entry.actor.username == "dcs" and entry.after["deadline"] == "2022-06-30"
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(PermissionRefused):
        services.task_create(actor=users["jinshui"], org=orgs["jinshui"], title="x", today=TODAY)
    with pytest.raises(ValidationFailed, match="不属于"):
        create(users, orgs, org="zhongyuan", assignee=users["jinshui"])


def test_follow_ups_and_closing_with_evidence(users, orgs, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    task = create(users, orgs)
    with audit_context(source="web", actor=users["jinshui"]):
        services.task_follow_up(actor=users["jinshui"], task_id=task.pk, note="已完成土地摘牌", today=TODAY)
        with pytest.raises(ValidationFailed, match="佐证"):
            services.task_close(actor=users["jinshui"], task_id=task.pk, evidence=" ", today=TODAY)
        services.task_close(actor=users["jinshui"], task_id=task.pk, evidence="施工许可证已核发",
                            upload=io.BytesIO(b"\x89PNG\r\n\x1a\n...."), upload_name="许可证.png", today=TODAY)
        with pytest.raises(Conflict):
            services.task_follow_up(actor=users["jinshui"], task_id=task.pk, note="x", today=TODAY)
    with audit_context(source="web", actor=users["zhongyuan"]), pytest.raises(NotFound):
        services.task_follow_up(actor=users["zhongyuan"], task_id=task.pk, note="x", today=TODAY)
    task.refresh_from_db()
    assert task.status == "closed" and task.evidence_content_type == "image/png" and task.closed_by.username == "jinshui"
    closing = AuditEntry.objects.filter(object_type="supervision.supervisiontask", action="update").get()
    assert (closing.before["status"], closing.after["status"]) == ("open", "closed")
    assert AuditEntry.objects.filter(object_type="supervision.taskfollowup").count() == 1


def test_overdue_and_repeatedly_overdue_lists(users, orgs):
    on_time = create(users, orgs, deadline=dt.date(2022, 6, 30), title="按期")
    late = create(users, orgs, deadline=dt.date(2022, 6, 10), title="逾期")
    very_late = create(users, orgs, org="zhongyuan", deadline=dt.date(2022, 6, 2), title="逾期超过一个督办周期")
    extended = create(users, orgs, deadline=dt.date(2022, 6, 5), title="延期后又逾期")
    with audit_context(source="web", actor=users["dcs"]):
        services.task_extend(actor=users["dcs"], task_id=extended.pk, deadline=dt.date(2022, 6, 20),
                             reason="受疫情影响", today=dt.date(2022, 6, 6))
    today = dt.date(2022, 7, 5)  # 33 days after 2 June
    overdue = set(selectors.task_list(user=users["dcs"], filters={"overdue": True}, today=today)
                  .values_list("title", flat=True))
    repeated = set(selectors.task_list(user=users["dcs"], filters={"repeated": True}, today=today)
                   .values_list("title", flat=True))
    assert overdue == {"按期", "逾期", "逾期超过一个督办周期", "延期后又逾期"}
    assert repeated == {"逾期超过一个督办周期", "延期后又逾期"}
    assert presentation.overdue_state(late, today) == "overdue"
    assert presentation.overdue_state(on_time, dt.date(2022, 6, 30)) == ""
    assert presentation.overdue_state(very_late, today) == "repeated"
    # a unit sees only its own tasks
    assert set(selectors.task_list(user=users["zhongyuan"], today=today).values_list("title", flat=True)) == {
        "逾期超过一个督办周期"}
    assert selectors.task_list(user=users["gxj"], today=today).count() == 0


def test_the_monthly_bulletin_section(users, orgs):
    assert bulletin_sections(year=2022, month=6, quarterly=False) == []
    create(users, orgs, deadline=dt.date(2022, 6, 10), title="逾期任务")
    done = create(users, orgs, org="zhongyuan", deadline=dt.date(2022, 6, 20), title="已办结任务")
    with audit_context(source="web", actor=users["dcs"]):
        services.task_close(actor=users["dcs"], task_id=done.pk, evidence="已开工", today=dt.date(2022, 6, 15))
    [section] = bulletin_sections(year=2022, month=6, quarterly=False)
    assert section["title"] == "督查督办情况" and isinstance(section["order"], int)
    assert "新交办督办任务2项，办结1项" in section["paragraphs"][0]
    assert "在办1项，其中逾期1项" in section["paragraphs"][0]
    overdue = next(t for t in section["tables"] if t["caption"] == "逾期督办任务")
    assert overdue["rows"] == [[1, "逾期任务", "金水区", "督查室交办", "2022-06-10", 20]]
    for table in section["tables"]:
        assert all(len(row) == len(table["headers"]) for row in table["rows"])
    # May: nothing existed yet
    assert bulletin_sections(year=2022, month=5, quarterly=False) == []


def test_a_meeting_decision_becomes_a_task(users, orgs):
    with audit_context(source="web", actor=users["dcs"]):
        first = services.meeting_record_decision(actor=users["dcs"], week="2022-W23", org=orgs["zrj"],
                                                 title="一周内完成某项目用地预审", today=TODAY)
        second = services.meeting_record_decision(actor=users["dcs"], week="2022-W23", org=orgs["cjj"],
                                                  title="协调市政配套管网接入", today=TODAY)
        with pytest.raises(ValidationFailed, match="周次"):
            services.meeting_record_decision(actor=users["dcs"], week="2022-23", org=orgs["cjj"], title="x",
                                             today=TODAY)
    assert (first.kind, first.source_key, second.source_key) == ("meeting", "2022-W23#1", "2022-W23#2")
    assert first.meeting.week == "2022-W23" and first.meeting.held_on == dt.date(2022, 6, 6)
    assert SupervisionTask.objects.filter(meeting__week="2022-W23").count() == 2
