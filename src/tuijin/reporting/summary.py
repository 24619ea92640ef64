"""The per-unit monthly summary table, refreshed when a period is approved (DESIGN §8).

Rankings, the cockpit and bulletins read :class:`UnitMonthSummary` — a few rows per period — never the
raw monthly rows. Besides the approved sums of all projects, a row keeps the key-project figures of the
unit (二(二)5): year-to-date investment of key projects and of the "982" shortfall projects, the number
of lagging key projects and the worst of them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, FilteredRelation, IntegerField, Q, QuerySet, Sum

from tuijin.projects.models import KEY_PROJECT_TAGS, ProjectTag, Tag
from tuijin.toolkit import clock

from .models import Period, ProgressReport, SubmissionStatus, UnitMonthSummary

#: How many of a unit's worst lagging key projects a summary row keeps (the cockpit lists at most this many).
WORST_KEPT = 10
KEY_TAGS = tuple(str(tag) for tag in KEY_PROJECT_TAGS)


def key_project_ids(unit_ids: list[int] | None = None) -> QuerySet:
    """Ids of key projects (provincial or city key), of all units or of ``unit_ids``, as a subquery."""
    tags = ProjectTag.objects.filter(tag__in=KEY_TAGS)
    if unit_ids is not None:
        tags = tags.filter(project__unit_id__in=unit_ids)
    return tags.values("project_id")


def lagging_key_reports(*, year: int, month: int, reports: QuerySet | None = None) -> QuerySet:
    """Approved reports of key projects whose year-to-date investment is below time progress
    (ytd / annual plan < month / 12, the reporting rule's "lagging"), annotated with ``plan_yuan`` and
    ``shortfall`` (plan × month − ytd × 12, positive; larger is worse)."""
    if reports is None:
        reports = ProgressReport.objects.all()
    reports = reports.filter(period__year=year, period__month=month, status=SubmissionStatus.APPROVED,
                             project_id__in=key_project_ids())
    return (
        # The year's annual plan as a join (one look-up per row, not a subquery repeated per use).
        reports.annotate(plan=FilteredRelation("project__annual_plans",
                                               condition=Q(project__annual_plans__year=year)))
        .annotate(plan_yuan=F("plan__amount_yuan"))
        .filter(plan_yuan__gt=0)
        # ytd × 12 < plan × month  ⇔  ytd / plan < month / 12 (exact on integers)
        .annotate(shortfall=ExpressionWrapper(F("plan_yuan") * month - F("ytd_amount_yuan") * 12,
                                              output_field=IntegerField()))
        .filter(shortfall__gt=0)
    )


def _key_figures_by_unit(period: Period, reports: QuerySet) -> dict[int, dict[str, Any]]:
    """Key-project figures of ``reports`` (the period's approved reports), per unit: four queries."""
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"n": 0, "ytd": 0, "ytd_982": 0, "lagging": 0, "worst": []})
    key = (reports.filter(project_id__in=key_project_ids()).order_by().values("unit_id")
           .annotate(n=Count("id"), ytd=Sum("ytd_amount_yuan")))
    for row in key:
        out[row["unit_id"]].update(n=row["n"], ytd=row["ytd"] or 0)
    shortfall_ids = ProjectTag.objects.filter(tag=Tag.SHORTFALL_982).values("project_id")
    for row in (reports.filter(project_id__in=shortfall_ids).order_by().values("unit_id")
                .annotate(ytd=Sum("ytd_amount_yuan"))):
        out[row["unit_id"]]["ytd_982"] = row["ytd"] or 0
    lagging = (lagging_key_reports(year=period.year, month=period.month, reports=reports)
               .order_by("unit_id", "-shortfall", "project_id")
               .values_list("unit_id", "project_id", "ytd_amount_yuan", "plan_yuan", "shortfall"))
    for unit_id, project_id, ytd, plan_yuan, shortfall in lagging.iterator(chunk_size=2000):
        row = out[unit_id]
        row["lagging"] += 1
        if len(row["worst"]) < WORST_KEPT:
            row["worst"].append({"project_id": project_id, "ytd_yuan": ytd, "plan_yuan": plan_yuan,
                                 "shortfall": shortfall})
    return out


def refresh_unit_month_summary(*, period: Period, unit_ids: list[int] | None = None) -> int:
    """Recompute approved sums per unit for ``period`` (all units, or ``unit_ids``). Returns rows written."""
    reports = ProgressReport.objects.filter(period=period, status=SubmissionStatus.APPROVED)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    rows = (reports.order_by().values("unit_id")
            .annotate(month=Sum("month_amount_yuan"), ytd=Sum("ytd_amount_yuan"), n=Count("id"),
                      started=Count("id", filter=Q(started=True))))
    key = _key_figures_by_unit(period, reports)
    now = clock.real_now()  # bookkeeping
    with transaction.atomic():
        stale = UnitMonthSummary.objects.filter(period=period)
        if unit_ids is not None:
            stale = stale.filter(unit_id__in=unit_ids)
        stale.delete()
        summaries = []
        for r in rows:
            k = key[r["unit_id"]]
            summaries.append(UnitMonthSummary(
                unit_id=r["unit_id"], period=period, month_amount_yuan=r["month"] or 0,
                ytd_amount_yuan=r["ytd"] or 0, projects_reported=r["n"], projects_started=r["started"],
                key_projects_reported=k["n"], key_ytd_amount_yuan=k["ytd"],
                shortfall_982_ytd_amount_yuan=k["ytd_982"], key_lagging=k["lagging"],
                key_worst_lagging=k["worst"], refreshed_at=now))
        UnitMonthSummary.objects.bulk_create(summaries)
    return len(summaries)
