"""Moving projects between libraries through the API: each refused check is a 409 naming it."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.plan import plan_for
from tuijin.projects.models import ApprovalItem, Project, StageMove

pytestmark = pytest.mark.django_db


def advance(client, project, **body):
    return client.post(f"/api/v1/projects/{project.pk}/advance/", body, format="json")


def refusals(response) -> str:
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "stage_refused"
    return "；".join(body["errors"]["to"])


def test_a_move_that_meets_its_checks_is_recorded_with_an_audit_entry(api, make_project):
    project = make_project("jinshui")
    response = advance(api("jinshui"), project, to="ready", reason="前期手续完成")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "ready" and body["version"] == 2
    assert [(m["from"], m["to"], m["actor"], m["reason"]) for m in body["stage_moves"]] == [
        ("reserve", "ready", "jinshui", "前期手续完成")]
    move = StageMove.objects.get(project=project)
    assert move.actor.username == "jinshui"
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk), action="stage")
    assert (entry.before["stage"], entry.after["stage"]) == ("reserve", "ready")
    assert entry.actor_name == "jinshui" and entry.source == "api" and entry.reason == "前期手续完成"


def test_ready_needs_a_valid_project_code(api, make_project):
    project = make_project("jinshui", project_code=None)
    assert "项目代码" in refusals(advance(api("jinshui"), project, to="ready"))
    assert Project.objects.get(pk=project.pk).stage == "reserve"
    assert not StageMove.objects.exists()


def test_ready_needs_an_annual_plan(api, make_project):
    project = make_project("jinshui", annual_plan_wan=None)
    assert "年度计划投资" in refusals(advance(api("jinshui"), project, to="ready"))


def test_every_unmet_check_is_listed(api, make_project):
    project = make_project("jinshui", project_code=None, annual_plan_wan=None)
    response = advance(api("jinshui"), project, to="ready")
    assert len(response.json()["errors"]["to"]) == 2


def test_construction_needs_an_actual_start(api, make_project):
    project = make_project("jinshui", stage="ready", green_channel=True, green_channel_reason="省重点项目")
    assert "实际开工日期" in refusals(advance(api("jinshui"), project, to="construction"))


def test_construction_needs_the_approvals_or_a_green_channel(api, make_project):
    project = make_project("jinshui", stage="ready", category="other", actual_start=dt.date(2022, 5, 1))
    assert "审批事项" in refusals(advance(api("jinshui"), project, to="construction"))

    with audit_context(source="system"):
        for item in plan_for(2022).rules.approval_catalogue.items_for("other"):
            ApprovalItem.objects.create(project=project, code=item.code, name=item.name, status="done")
    response = advance(api("jinshui"), project, to="construction")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "construction"


def test_a_green_channel_stands_in_for_the_approvals(api, make_project):
    project = make_project("jinshui", stage="ready", actual_start=dt.date(2022, 5, 1), green_channel=True,
                           green_channel_reason="灾后重建项目容缺办理")
    assert advance(api("jinshui"), project, to="construction").status_code == 200


def test_completed_needs_an_actual_end(api, make_project):
    project = make_project("jinshui", stage="construction", actual_start=dt.date(2022, 5, 1))
    assert "实际竣工日期" in refusals(advance(api("jinshui"), project, to="completed"))


def test_stages_cannot_be_skipped(api, make_project):
    project = make_project("jinshui")
    assert "顺序" in refusals(advance(api("jinshui"), project, to="construction"))


def test_cancelling_needs_a_reason(api, make_project):
    project = make_project("jinshui")
    assert "原因" in refusals(advance(api("jinshui"), project, to="cancelled"))
    assert advance(api("jinshui"), project, to="cancelled", reason="业主放弃").status_code == 200


def test_an_unknown_stage_is_a_400(api, make_project):
    project = make_project("jinshui")
    response = advance(api("jinshui"), project, to="heaven")
    assert response.status_code == 400 and "to" in response.json()["errors"]


def test_a_stale_version_on_a_move_is_a_409_with_the_current_values(api, make_project):
    project = make_project("jinshui")
    response = advance(api("jinshui"), project, to="ready", version=7)
    assert response.status_code == 409
    assert response.json()["code"] == "stale" and response.json()["current"]["version"] == 1
    assert advance(api("jinshui"), project, to="ready", version=1).status_code == 200


def test_another_units_project_cannot_be_moved(api, make_project):
    theirs = make_project("zhongyuan")
    assert advance(api("jinshui"), theirs, to="ready").status_code == 404
    assert Project.objects.get(pk=theirs.pk).stage == "reserve"
