"""The scheduled run (huey periodic task): climb the problems' overdue ladder, turn source items into
supervision tasks, make the day's reminders and deliver them. Every step is idempotent, so a run
repeated after a restart, or two schedulers running at once, change nothing the second time."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tuijin.audit.context import audit_context
from tuijin.problems.services import problems_escalate
from tuijin.supervision.services import tasks_sync
from tuijin.toolkit import clock

logger = logging.getLogger(__name__)


def run_reminders(*, today: dt.date, sync_sources: bool = True) -> dict[str, Any]:
    """One scheduled run for ``today`` (opens its own audit context as the system job)."""
    from .reminders import deliver_pending, scan

    with audit_context(source="job", reason=f"定时提醒 {today.isoformat()}"):
        escalated = problems_escalate(today=today)
        synced = tasks_sync(today=today).as_dict() if sync_sources else None
        created = scan(today=today)
    delivered = deliver_pending()
    return {"today": today.isoformat(), "escalated_problems": len(escalated), "supervision_sync": synced,
            "notifications": created, "notifications_total": sum(created.values()), "delivered": delivered}


@db_periodic_task(crontab(minute="30", hour="8"))
def daily_reminders() -> None:
    try:
        run_reminders(today=clock.today())
    except Exception:
        logger.exception("scheduled reminders failed")
