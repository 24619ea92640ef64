"""Problems, their timeline events and attachments record their own audit entries: one per change,
with the service's reason; a bulk update writes one per changed row."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from audit_support import api, mark, since
from tuijin.audit.context import audit_context
from tuijin.problems import services
from tuijin.problems.models import Problem

pytestmark = pytest.mark.django_db





def test_raising_writes_one_create_for_the_problem_and_one_for_its_first_event(users, make_project):
    project = make_project("jinshui")
    start = mark()
    response = api(users["jinshui"]).post("/api/v1/problems/", {"project": project.pk, "category": "utilities",
                                                                "title": "电力增容未批复"}, format="json")
    assert response.status_code == 201, response.content
    problem, event = since(start)
    assert (problem.object_type, problem.action, problem.object_id) == ("problems.problem", "create",
                                                                        str(response.json()["id"]))
    assert problem.reason == "提交项目问题，分派至市工信局" and problem.after["status"] == "raised"
    assert "created_at" not in problem.after and problem.after["version"] == 1
    assert (event.object_type, event.action, event.after["action"]) == ("problems.problemevent", "create", "raise")
    assert event.reason.startswith("分派至市工信局，办理时限")


def test_a_step_writes_one_update_with_the_action_and_note_as_reason(raise_problem, users):
    problem = raise_problem("utilities")  # routed to gxj
    start = mark()
    response = api(users["gxj"]).post(f"/api/v1/problems/{problem.pk}/act/",
                                      {"action": "accept", "note": "已对接供电公司"}, format="json")
    assert response.status_code == 200, response.content
    update, event = since(start)
    assert (update.object_type, update.object_id, update.action) == ("problems.problem", str(problem.pk), "update")
    assert update.reason == "受理：已对接供电公司" and update.actor == users["gxj"]
    assert (update.before["status"], update.after["status"]) == ("raised", "accepted")
    assert (update.before["accepted_on"], update.before["version"], update.after["version"]) == (None, 1, 2)
    assert (event.object_type, event.action, event.reason) == ("problems.problemevent", "create", "已对接供电公司")


def test_a_comment_without_a_reason_keeps_the_contexts_and_an_attachment_writes_one_entry(
        raise_problem, users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    problem = raise_problem("land")
    start = mark()
    with audit_context(source="web", actor=users["jinshui"], reason="来自页面"):
        services.problem_attach(actor=users["jinshui"], problem_id=problem.pk,
                                upload=io.BytesIO(b"%PDF-1.4 test"), name="红线图.pdf")
    attachment, event = since(start)
    assert (attachment.object_type, attachment.action, attachment.reason) == (
        "problems.problemattachment", "create", "来自页面")
    assert attachment.after["original_name"] == "红线图.pdf" and attachment.after["problem"] == problem.pk
    assert (event.object_type, event.reason) == ("problems.problemevent", "红线图.pdf")


def test_escalation_writes_one_update_per_problem_with_the_overdue_note(raise_problem):
    problem = raise_problem("approvals")  # deadline 16 June 2022
    start = mark()
    with audit_context(source="job"):
        services.problems_escalate(today=dt.date(2022, 6, 17))
    update, event = since(start)
    assert (update.object_type, update.action, update.source) == ("problems.problem", "update", "job")
    assert update.reason == event.reason == "逾期1个工作日，部门负责人督促"
    assert (update.before["escalation_level"], update.after["escalation_level"]) == ("", "department_head")
    assert event.object_type == "problems.problemevent" and update.object_id == str(problem.pk)


def test_a_bulk_update_writes_one_entry_per_changed_row(raise_problem, users):
    a, b = raise_problem("land", title="甲"), raise_problem("land", title="乙")
    c = raise_problem("land", title="已统一")
    start = mark()
    with audit_context(source="cli", actor=users["fgw"], reason="统一标题"):
        assert Problem.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(title="已统一") == 3
    entries = since(start)
    assert sorted(e.object_id for e in entries) == sorted([str(a.pk), str(b.pk)])
    for e in entries:
        assert (e.object_type, e.action, e.reason, e.actor) == ("problems.problem", "update", "统一标题", users["fgw"])
        assert e.after["title"] == "已统一" and e.before["title"] in ("甲", "乙")
