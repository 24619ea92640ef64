"""Supervision tells the apps above through a signal when a task is assigned, after the commit (DESIGN §9)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.supervision import services
from tuijin.supervision.signals import task_assigned
from tuijin.toolkit.errors import ValidationFailed

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(heard_on):
    return heard_on(task_assigned)


def test_a_task_by_hand_and_a_meeting_decision_are_announced(users, orgs, heard, django_capture_on_commit_callbacks):
    dcs = users["dcs"]
    with django_capture_on_commit_callbacks(execute=True), audit_context(source="web", actor=dcs):
        task = services.task_create(actor=dcs, org=orgs["jinshui"], title="加快某产业园项目开工",
                                    deadline=dt.date(2022, 6, 30), today=TODAY)
        decision = services.meeting_record_decision(actor=dcs, week="2022-W22", org=orgs["zhongyuan"],
                                                    title="协调用地指标", today=TODAY)
    assert [(c["task"].pk, c["task"].org.code, c["actor"]) for c in heard] == [
        (task.pk, "jinshui", dcs), (decision.pk, "zhongyuan", dcs)]


def test_a_refused_task_announces_nothing(users, orgs, heard, django_capture_on_commit_callbacks):
    dcs = users["dcs"]
    with django_capture_on_commit_callbacks(execute=True), audit_context(source="web", actor=dcs):
        with pytest.raises(ValidationFailed, match="不能早于"):
            services.task_create(actor=dcs, org=orgs["jinshui"], title="x", deadline=dt.date(2022, 5, 1),
                                 today=TODAY)
    assert heard == []
