"""The demo step: problems and tasks in every state, some overdue, messages for demo users."""

from __future__ import annotations

import pytest
from django.db.models import Count
from tests.demo.conftest import module_db  # noqa: F401  (module-scoped demo database)

from tuijin.demo.steps.problems import DEMO_TODAY
from tuijin.problems import rules


@pytest.mark.slow
def test_the_demo_has_problems_and_tasks_in_every_state(module_db):  # noqa: F811
    from tuijin.notifications.models import Notification
    from tuijin.problems.models import Problem
    from tuijin.supervision import presentation
    from tuijin.supervision.models import SupervisionTask

    module_db("--reset")
    states = dict(Problem.objects.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(rules.STATE_LABELS)
    assert Problem.objects.open().filter(deadline__lt=DEMO_TODAY).exists()
    assert set(Problem.objects.exclude(escalation_level="").values_list("escalation_level", flat=True)) == {
        "department_head", "supervision"}
    kinds = set(SupervisionTask.objects.values_list("kind", flat=True))
    assert {"manual", "meeting", "escalation", "overdue_problem"} <= kinds
    states = {presentation.overdue_state(t, DEMO_TODAY) for t in SupervisionTask.objects.all()}
    assert {"", "overdue", "repeated"} <= states
    assert SupervisionTask.objects.filter(status="closed").exclude(evidence="").exists()
    assert Notification.objects.filter(recipient__username="dcs").exists()
    assert Notification.objects.filter(recipient__username="jinshui", read_at__isnull=True).exists()
