"""The per-unit monthly summary table, refreshed when a period is approved (DESIGN §8)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import Period, ProgressReport, SubmissionStatus, UnitMonthSummary


def refresh_unit_month_summary(*, period: Period, unit_ids: list[int] | None = None) -> int:
    """Recompute approved sums per unit for ``period`` (all units, or ``unit_ids``). Returns rows written."""
    reports = ProgressReport.objects.filter(period=period, status=SubmissionStatus.APPROVED)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    rows = (reports.order_by().values("unit_id")
            .annotate(month=Sum("month_amount_yuan"), ytd=Sum("ytd_amount_yuan"), n=Count("id"),
                      started=Count("id", filter=Q(started=True))))
    now = timezone.now()
    with transaction.atomic():
        stale = UnitMonthSummary.objects.filter(period=period)
        if unit_ids is not None:
            stale = stale.filter(unit_id__in=unit_ids)
        stale.delete()
        summaries = [UnitMonthSummary(unit_id=r["unit_id"], period=period, month_amount_yuan=r["month"] or 0,
                                      ytd_amount_yuan=r["ytd"] or 0, projects_reported=r["n"],
                                      projects_started=r["started"], refreshed_at=now) for r in rows]
        UnitMonthSummary.objects.bulk_create(summaries)
    return len(summaries)
