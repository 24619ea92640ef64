"""Supervision runs at the platform's business date and under the plan of the day's year."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.supervision import services

pytestmark = pytest.mark.django_db


def _task(users, orgs, *, deadline, today=dt.date(2022, 6, 1), title="加快某项目开工"):
    with audit_context(source="web", actor=users["dcs"]):
        return services.task_create(actor=users["dcs"], org=orgs["jinshui"], title=title, deadline=deadline,
                                    today=today)


def test_the_same_task_is_due_at_one_business_date_and_overdue_at_a_later_one(users, orgs, client_for, business_date):
    task = _task(users, orgs, deadline=dt.date(2022, 7, 29))
    dcs = client_for("dcs")
    business_date("2022-07-15")
    assert dcs.get("/api/v1/supervision/tasks/?overdue=true").json()["count"] == 0
    assert dcs.get(f"/api/v1/supervision/tasks/{task.pk}/").json()["overdue"] == ""
    business_date("2022-08-15")  # 17 days late: overdue, within one follow-up cycle
    assert dcs.get(f"/api/v1/supervision/tasks/{task.pk}/").json()["overdue"] == "overdue"
    business_date("2022-09-01")  # 34 days late: longer than the 30-day cycle
    assert dcs.get(f"/api/v1/supervision/tasks/{task.pk}/").json()["overdue"] == "repeated"
    assert dcs.get("/api/v1/supervision/tasks/?repeated=true").json()["count"] == 1


def test_the_meeting_opens_on_the_business_dates_week(users, client_for, business_date):
    business_date("2022-07-15")
    page = client_for("dcs").get("/supervision/meeting/")
    assert page.status_code == 200 and page.context["week"] == "2022-W28"
    assert page.context["data"]["meeting_day"] == "2022-07-11"


def test_a_new_task_defaults_its_deadline_from_the_business_date(users, orgs, client_for, business_date):
    business_date("2022-07-15")
    created = client_for("dcs").post("/supervision/new/", {"org": "jinshui", "title": "协调用地"})
    assert created.status_code == 302
    from tuijin.supervision.models import SupervisionTask

    task = SupervisionTask.objects.get(title="协调用地")
    assert (task.created_on, task.deadline) == (dt.date(2022, 7, 15), dt.date(2022, 8, 14))


def test_a_2023_task_follows_the_2023_plans_cycle_and_deadline(two_year_plans, users, orgs, client_for, business_date):
    late_2022 = _task(users, orgs, deadline=dt.date(2022, 7, 1), title="2022年任务")
    with audit_context(source="web", actor=users["dcs"]):
        made_2023 = services.task_create(actor=users["dcs"], org=orgs["jinshui"], title="2023年任务",
                                         today=dt.date(2023, 3, 1))
    assert made_2023.deadline == dt.date(2023, 3, 21)  # the 2023 plan's 20 days, not 2022's 30
    dcs = client_for("dcs")
    business_date("2022-07-20")  # 19 days late under 2022's 30-day cycle: overdue
    assert dcs.get(f"/api/v1/supervision/tasks/{late_2022.pk}/").json()["overdue"] == "overdue"
    business_date("2023-04-05")  # 15 days late under 2023's 10-day cycle: repeatedly overdue
    assert dcs.get(f"/api/v1/supervision/tasks/{made_2023.pk}/").json()["overdue"] == "repeated"
