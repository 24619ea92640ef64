"""联审联批 (二(二)5): approval-gated stage moves, overdue items and the approval rate per unit and department."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.plan import plan_for
from tuijin.programmes import selectors
from tuijin.projects import services as project_services
from tuijin.projects.models import ApprovalItem
from tuijin.toolkit.errors import StageMoveRefused

pytestmark = pytest.mark.django_db


def _catalogue_items(project, orgs, *, done: int, due=dt.date(2022, 5, 1)):
    items = plan_for(2022).rules.approval_catalogue.items_for(project.category)
    with audit_context(source="system"):
        for i, item in enumerate(items):
            ApprovalItem.objects.create(project=project, code=item.code, name=item.name,
                                        department=orgs[item.department], due_date=due,
                                        status="done" if i < done else "pending",
                                        approved_on=dt.date(2022, 4, 1) if i < done else None)
    return items


def test_construction_waits_for_every_required_approval(make_project, orgs, users):
    project = make_project("jinshui", stage="ready", actual_start=dt.date(2022, 5, 10))
    items = _catalogue_items(project, orgs, done=len(plan_for(2022).rules.approval_catalogue.required["industrial"]) - 2)
    fgw = users["fgw"]
    with audit_context(source="system", actor=fgw), pytest.raises(StageMoveRefused) as exc:
        project_services.project_advance_stage(actor=fgw, project_id=project.pk, to_stage="construction")
    assert items[-1].name in exc.value.message and items[-2].name in exc.value.message
    with audit_context(source="system", actor=fgw):
        for item in ApprovalItem.objects.filter(project=project, status="pending"):
            project_services.approval_item_set_status(actor=fgw, item_id=item.pk, status="done")
        moved = project_services.project_advance_stage(actor=fgw, project_id=project.pk, to_stage="construction")
    assert moved.stage == "construction"


def test_a_green_channel_reconstruction_project_moves_before_its_approvals(make_project, orgs, users):
    project = make_project("jinshui", stage="ready", actual_start=dt.date(2022, 5, 10), tags=("reconstruction",),
                           green_channel=True, green_channel_reason="急事急办：灾后重建")
    _catalogue_items(project, orgs, done=0)
    fgw = users["fgw"]
    with audit_context(source="system", actor=fgw):
        moved = project_services.project_advance_stage(actor=fgw, project_id=project.pk, to_stage="construction")
    assert moved.stage == "construction"


def test_overdue_items_and_the_rates_per_unit_and_department(make_project, orgs, users, api):
    a = make_project("jinshui")
    b = make_project("zhongyuan")
    _catalogue_items(a, orgs, done=6)   # industrial: 8 items, 6 done
    _catalogue_items(b, orgs, done=2, due=dt.date(2022, 7, 15))
    data = selectors.approval_figures(user=users["fgw"], period="2022-06")
    jinshui = next(r for r in data["rows"] if r["code"] == "jinshui")
    assert (jinshui["required"], jinshui["done"], jinshui["approval_rate"], jinshui["overdue"]) == (8, 6, 75.0, 2)
    zhongyuan = next(r for r in data["rows"] if r["code"] == "zhongyuan")
    assert zhongyuan["overdue"] == 0  # due in July
    by_dept = selectors.approval_figures(user=users["fgw"], period="2022-06", by="department")
    assert sum(r["required"] for r in by_dept["rows"]) == 16
    assert {r["code"] for r in by_dept["rows"]} <= {"fgw", "zrj", "sthjj", "cjj"}
    overdue = api("fgw").get("/api/v1/programmes/approvals/overdue/?period=2022-06").json()
    assert overdue["count"] == 2 and {r["unit"] for r in overdue["results"]} == {"jinshui"}
    assert api("zhongyuan").get("/api/v1/programmes/approvals/overdue/?period=2022-06").json()["count"] == 0
