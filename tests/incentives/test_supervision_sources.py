"""Applications waiting too long become supervision tasks for the department holding them."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.incentives import services
from tuijin.incentives.models import Application
from tuijin.incentives.supervision_sources import WAITING_DAYS, supervision_sources
from tuijin.toolkit import clock

pytestmark = pytest.mark.django_db


def test_a_long_wait_is_a_task_for_the_department_holding_the_application(act, users, eligible_manufacturing,
                                                                           system_context):
    project = eligible_manufacturing()
    app = act(users["jinshui"], services.application_submit, project_id=project.pk, rule="interest_subsidy",
              period=2022, inputs={"loan": "1000"}, owner_uscc="91410105MA9G1RT2A5")
    submitted = clock.now()
    Application.objects.filter(pk=app.pk).update(submitted_at=submitted)
    source = supervision_sources()["incentive_pending"]
    assert source(submitted.date() + dt.timedelta(days=WAITING_DAYS)) == []
    [task] = source(submitted.date() + dt.timedelta(days=WAITING_DAYS + 1))
    assert task["key"] == f"{app.pk}:submitted" and task["org"].code == "gxj"
    assert "待审核" in task["title"] and task["link"] == f"/incentives/applications/{app.pk}/"
    assert isinstance(task["deadline_days"], int) and task["measure"]
