"""Sealing the audit hash chain in the background (huey): after large batches, and every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .chain import seal


@db_task()
def seal_audit_chain() -> int:
    return seal()


@db_periodic_task(crontab(minute="*"))
def seal_audit_chain_every_minute() -> int:
    """The safety net: whatever a failed or skipped seal left behind is chained within a minute."""
    return seal()
