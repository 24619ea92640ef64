"""Reads of supervision; every function takes the user and starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from tuijin.orgs.models import User
from tuijin.plan import plan_on
from tuijin.toolkit.errors import NotFound

from .models import SupervisionTask, TaskStatus


def _overdue_q(today: dt.date) -> Q:
    return Q(status=TaskStatus.OPEN, deadline__lt=today)


def _repeated_q(today: dt.date) -> Q:
    """Overdue and (extended before, or overdue longer than one follow-up cycle): the SQL twin of
    :func:`rules.overdue_state`."""
    return _overdue_q(today) & (Q(extensions__gt=0) | Q(deadline__lt=today - dt.timedelta(days=plan_on(today).follow_up_cycle_days())))


def task_list(*, user: User, filters: dict[str, Any] | None = None, today: dt.date) -> QuerySet[SupervisionTask]:
    """Tasks the user may see; filters ``status``, ``kind``, ``org``, ``overdue`` (overdue on ``today``),
    ``repeated`` (repeatedly overdue) and ``q``; with the number of follow-ups."""
    filters = filters or {}
    qs = (SupervisionTask.objects.visible_to(user).select_related("org", "assignee")
          .annotate(follow_up_count=Count("follow_ups")).order_by("status", "deadline", "id"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("org"):
        qs = qs.filter(org__code=filters["org"])
    if filters.get("repeated"):
        qs = qs.filter(_repeated_q(today))
    elif filters.get("overdue"):
        qs = qs.filter(_overdue_q(today))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(measure__icontains=q))
    return qs


def task_detail(*, user: User, task_id: int) -> SupervisionTask:
    task = (SupervisionTask.objects.visible_to(user)
            .select_related("org", "assignee", "project", "meeting", "created_by", "closed_by")
            .prefetch_related("follow_ups__author").filter(pk=task_id).first())
    if task is None:
        raise NotFound("督办任务不存在，或不在您的查看范围内")
    return task


def task_counts(*, user: User, today: dt.date) -> dict[str, int]:
    qs = SupervisionTask.objects.visible_to(user)
    return qs.aggregate(open=Count("id", filter=Q(status=TaskStatus.OPEN)),
                        overdue=Count("id", filter=_overdue_q(today)),
                        repeated=Count("id", filter=_repeated_q(today)),
                        closed=Count("id", filter=Q(status=TaskStatus.CLOSED)))
