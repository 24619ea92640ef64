"""Reminders from scanning state: each sent exactly once, also when the scheduler runs twice."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from tuijin.assessment.models import Escalation
from tuijin.audit.context import audit_context
from tuijin.notifications.models import Notification
from tuijin.notifications.tasks import daily_reminders, run_reminders
from tuijin.reporting.models import Period, UnitPeriod
from tuijin.supervision import services as supervision

from . import fake_sender

pytestmark = pytest.mark.django_db


def keys(username=None):
    qs = Notification.objects.all()
    if username:
        qs = qs.filter(recipient__username=username)
    return sorted(qs.values_list("key", flat=True))


def test_reporting_deadline_reminders_only_in_the_window_and_only_to_units_not_submitted(users, orgs, system_context):
    # 2022-05 is due on the 5th working day of June (8 June: 3 June is a holiday); reminders from 6 June.
    period = Period.objects.create(code="2022-05", year=2022, month=5, opens_on=dt.date(2022, 5, 1),
                                   deadline=dt.date(2022, 6, 8))
    UnitPeriod.objects.create(period=period, unit=orgs["zhongyuan"], status="submitted")
    run_reminders(today=dt.date(2022, 6, 2), sync_sources=False)
    assert keys() == []
    run_reminders(today=dt.date(2022, 6, 6), sync_sources=False)
    assert keys("jinshui") == ["report_deadline:2022-05:jinshui"] and keys("zhongyuan") == []
    run_reminders(today=dt.date(2022, 6, 9), sync_sources=False)
    assert keys("jinshui") == ["report_deadline:2022-05:jinshui"]


def test_a_returned_report_reminds_the_unit_once_per_return(users, orgs, system_context):
    period = Period.objects.create(code="2022-05", year=2022, month=5, opens_on=dt.date(2022, 5, 1),
                                   deadline=dt.date(2022, 6, 8))
    up = UnitPeriod.objects.create(period=period, unit=orgs["jinshui"], status="returned",
                                   return_reason="第3行金额有误", version=2)
    run_reminders(today=dt.date(2022, 6, 20), sync_sources=False)
    run_reminders(today=dt.date(2022, 6, 21), sync_sources=False)
    n = Notification.objects.get(key=f"report_returned:{up.pk}:2")
    assert n.recipient.username == "jinshui" and "第3行金额有误" in n.body


def test_problem_reminders_follow_its_life_and_the_ladder(raise_problem, users):
    problem = raise_problem("utilities")  # to gxj, deadline 16 June
    run_reminders(today=dt.date(2022, 6, 1), sync_sources=False)
    assert keys("gxj") == [f"problem_assigned:{problem.pk}"]
    run_reminders(today=dt.date(2022, 6, 14), sync_sources=False)
    assert f"problem_due:{problem.pk}:2022-06-16" in keys("gxj")
    run_reminders(today=dt.date(2022, 6, 17), sync_sources=False)
    assert f"problem_escalated:{problem.pk}:department_head" in keys("gxj")
    assert keys("dcs") == []
    run_reminders(today=dt.date(2022, 6, 23), sync_sources=False)
    assert f"problem_escalated:{problem.pk}:supervision" in keys("dcs")


def test_tasks_and_escalations_remind_their_assignees(users, orgs):
    with audit_context(source="web", actor=users["dcs"]):
        task = supervision.task_create(actor=users["dcs"], org=orgs["jinshui"], title="加快开工",
                                       deadline=dt.date(2022, 6, 10), today=dt.date(2022, 6, 1))
        Escalation.objects.create(org=orgs["zhongyuan"], year=2022, month=5, streak=1, level="notice", plan_hash="x")
    run_reminders(today=dt.date(2022, 6, 8), sync_sources=False)
    assert [k for k in keys("jinshui") if k.startswith("task")] == [f"task_assigned:{task.pk}",
                                                                      f"task_due:{task.pk}:2022-06-10"]
    assert [k for k in keys("zhongyuan") if k.startswith("escalation:")]
    run_reminders(today=dt.date(2022, 6, 11), sync_sources=False)
    assert f"task_overdue:{task.pk}:2022-06-10" in keys("jinshui") and f"task_overdue:{task.pk}:2022-06-10" in keys("dcs")


def test_the_scheduler_running_twice_sends_each_reminder_once(raise_problem, users, orgs, settings):
    settings.TUIJIN_NOTIFICATION_SENDERS = ["tuijin.notifications.senders.EmailSender",
                                            f"{fake_sender.__name__}.RecordingSender"]
    fake_sender.SENT.clear()
    with audit_context(source="system"):
        users["gxj"].email = "gxj@example.gov.cn"
        users["gxj"].save()
    problem = raise_problem("utilities")
    first = run_reminders(today=dt.date(2022, 6, 17))
    second = run_reminders(today=dt.date(2022, 6, 17))
    assert first["notifications_total"] > 0 and second["notifications_total"] == 0 and second["delivered"] == 0
    assert Notification.objects.count() == first["notifications_total"]
    assert len(fake_sender.SENT) == len(set(fake_sender.SENT)) == Notification.objects.count()
    assert sorted(m.to[0] for m in mail.outbox) == ["gxj@example.gov.cn"] * len(keys("gxj"))
    assert any(m.subject.endswith(problem.title) for m in mail.outbox)
    # the huey periodic task is the same run (for the real today: nothing of 2022 is due again)
    daily_reminders.call_local()
    assert len(fake_sender.SENT) == Notification.objects.count()


def test_a_failing_sender_does_not_stop_the_inbox(raise_problem, users, settings):
    settings.TUIJIN_NOTIFICATION_SENDERS = [f"{fake_sender.__name__}.BrokenSender"]
    raise_problem("utilities")
    run_reminders(today=dt.date(2022, 6, 1), sync_sources=False)
    n = Notification.objects.get(recipient__username="gxj")
    assert n.delivered_at is not None and n.delivery == {"broken": False}


def test_a_concurrent_scan_that_made_the_row_first_does_not_duplicate_it(raise_problem, users, monkeypatch):
    """Both scans read "not there yet"; the unique key makes the second insert a no-op."""
    from tuijin.notifications import reminders

    raise_problem("utilities")
    run_reminders(today=dt.date(2022, 6, 1), sync_sources=False)
    before = Notification.objects.count()
    real_filter = Notification.objects.filter
    monkeypatch.setattr(Notification.objects, "filter",
                        lambda *a, **kw: real_filter(pk=-1) if "key__in" in kw else real_filter(*a, **kw))
    with audit_context(source="job"):
        reminders.scan(today=dt.date(2022, 6, 1))
    assert Notification.objects.count() == before


def test_the_cli_runs_with_a_given_day(raise_problem, users):
    raise_problem("utilities")
    out = io.StringIO()
    call_command("send_reminders", "--today", "2022-06-01", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["today"] == "2022-06-01" and body["notifications"] == {"problem_assigned": 1}
    out = io.StringIO()
    call_command("send_reminders", "--today", "2022-06-01", stdout=out)
    assert "新提醒 0 条" in out.getvalue()


def test_no_email_without_smtp_configured(raise_problem, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    with audit_context(source="system"):
        users["gxj"].email = "gxj@example.gov.cn"
        users["gxj"].save()
    raise_problem("utilities")
    run_reminders(today=dt.date(2022, 6, 1), sync_sources=False)
    assert Notification.objects.get(recipient__username="gxj").delivery == {"email": False}
