"""Reads of the problem ledger; every function takes the user and starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from tuijin.orgs.models import User
from tuijin.toolkit.errors import NotFound

from . import rules
from .models import Problem, ProblemAttachment

RESOLVED_STATES = (rules.RESOLVED, rules.CLOSED)


def problem_list(*, user: User, filters: dict[str, Any] | None = None, today: dt.date) -> QuerySet[Problem]:
    """Problems the user may see, filtered by ``status``, ``category``, ``unit``, ``department``,
    ``overdue`` (open and past the deadline on ``today``), ``escalated`` and ``q``."""
    filters = filters or {}
    qs = Problem.objects.visible_to(user).select_related("unit", "department", "project")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("unit"):
        qs = qs.filter(unit__code=filters["unit"])
    if filters.get("department"):
        qs = qs.filter(department__code=filters["department"])
    if filters.get("overdue"):
        qs = qs.open().filter(deadline__lt=today)
    if filters.get("escalated"):
        qs = qs.open().exclude(escalation_level="")
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(project__name__icontains=q))
    return qs


def problem_detail(*, user: User, problem_id: int) -> Problem:
    problem = (Problem.objects.visible_to(user)
               .select_related("unit", "department", "project", "raised_by", "raiser_org")
               .prefetch_related("events__actor", "attachments").filter(pk=problem_id).first())
    if problem is None:
        raise NotFound("问题不存在，或不在您的查看范围内")
    return problem


def attachment_detail(*, user: User, attachment_id: int) -> ProblemAttachment:
    attachment = ProblemAttachment.objects.visible_to(user).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在，或不在您的查看范围内")
    return attachment


def problem_stats(*, user: User, by: str, today: dt.date) -> list[dict[str, Any]]:
    """Per department (``by="department"``) or unit (``by="unit"``): problems, resolved, open, overdue,
    resolution rate (%) and average working time in days (raised → resolved), within the user's scope."""
    if by not in ("department", "unit"):
        raise ValueError(by)
    qs = Problem.objects.visible_to(user)
    rows = (qs.order_by().values(f"{by}__code", f"{by}__name", f"{by}__sort_order")
            .annotate(total=Count("id"), resolved=Count("id", filter=Q(status__in=RESOLVED_STATES)),
                      open=Count("id", filter=Q(status__in=rules.OPEN_STATES)),
                      overdue=Count("id", filter=Q(status__in=rules.OPEN_STATES, deadline__lt=today))))
    days: dict[str, list[int]] = {}
    for code, raised, resolved in (qs.filter(status__in=RESOLVED_STATES, resolved_on__isnull=False).order_by()
                                   .values_list(f"{by}__code", "raised_on", "resolved_on")):
        days.setdefault(code, []).append((resolved - raised).days)
    out = []
    for row in sorted(rows, key=lambda r: (r[f"{by}__sort_order"], r[f"{by}__code"])):
        code = row[f"{by}__code"]
        spent = days.get(code, [])
        out.append({"code": code, "name": row[f"{by}__name"], "total": row["total"], "resolved": row["resolved"],
                    "open": row["open"], "overdue": row["overdue"],
                    "rate": rules.resolution_rate(row["total"], row["resolved"]),
                    "avg_days": round(sum(spent) / len(spent), 1) if spent else None})
    return out


def status_counts(*, user: User) -> dict[str, int]:
    counts = dict(Problem.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in rules.STATE_LABELS}
