"""How pages and the API show a supervision task: its overdue state (逾期, 多次逾期) on a day."""

from __future__ import annotations

import datetime as dt

from tuijin.plan import plan_on

from . import rules
from .models import SupervisionTask


def overdue_state(task: SupervisionTask, today: dt.date) -> str:
    """``rules.overdue_state`` of ``task`` on ``today`` with the follow-up cycle of the plan governing ``today``."""
    return rules.overdue_state(status=task.status, deadline=task.deadline, today=today,
                               extensions=task.extensions, cycle_days=plan_on(today).follow_up_cycle_days())
