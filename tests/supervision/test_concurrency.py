"""Two syncs (and two reminder scans) at the same moment on PostgreSQL: still exactly once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from tuijin.audit.context import audit_context

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")]

TODAY = dt.date(2022, 6, 1)


def run_twice_at_once(work) -> list:
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_syncs_make_each_task_once(fake_sources, orgs):
    from tuijin.supervision import services
    from tuijin.supervision.models import SupervisionTask

    def sync():
        with audit_context(source="job"):
            return services.tasks_sync(today=TODAY)

    results = run_twice_at_once(sync)
    created = sum(sum(r.created.values()) for r in results)
    assert created == SupervisionTask.objects.count() == 5
    assert SupervisionTask.objects.values("kind", "source_key").distinct().count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reminder_runs_send_each_reminder_once(raise_problem, settings):
    from tests.notifications import fake_sender

    from tuijin.notifications.models import Notification
    from tuijin.notifications.tasks import run_reminders

    settings.TUIJIN_NOTIFICATION_SENDERS = [f"{fake_sender.__name__}.RecordingSender"]
    fake_sender.SENT.clear()
    for category in ("utilities", "land", "funds"):
        raise_problem(category)
    run_twice_at_once(lambda: run_reminders(today=dt.date(2022, 6, 1), sync_sources=False))
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(keys) == len(set(keys)) == 1  # gxj for the utilities problem; zrj/czj have no users here
    assert len(fake_sender.SENT) == len(set(fake_sender.SENT)) == 1
