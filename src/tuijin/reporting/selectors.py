"""Reads of monthly reporting. Every function takes the user and starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tuijin.orgs.models import Org, User
from tuijin.projects.models import AnnualPlan, ApprovalItem, ApprovalStatus, Project, Stage
from tuijin.toolkit.money import format_wan, yuan_to_wan

from . import rules, summary
from .models import Period, ProgressReport, UnitMonthSummary


def reportable_projects(*, user: User, unit: Org, period: Period) -> QuerySet[Project]:
    """Projects the unit reports for the period: those under construction, plus those planned
    to start by the end of the period's year, plus those completed during that year."""
    year_start = dt.date(period.year, 1, 1)
    year_end = dt.date(period.year, 12, 31)
    return (
        Project.objects.visible_to(user)
        .filter(unit=unit)
        .filter(
            Q(stage=Stage.CONSTRUCTION)
            | Q(stage=Stage.READY, planned_start__lte=year_end)
            | Q(stage=Stage.COMPLETED, actual_end__gte=year_start)
        )
        .order_by("-total_investment_yuan", "id")
    )


# ---------------------------------------------------------------------------
# Key-project figures (二(二)5) from the project library and the approved reports: what the cockpit,
# the bulletins and the weekly meeting read (DESIGN §8: from the per-unit monthly summary, not the raw rows).
# Aggregates for the city or one unit, not scoped by a user (the callers have checked the reader), except
# lagging_key_projects, whose ``user`` None alone reads without scope.


def latest_approved_period() -> tuple[int, int] | None:
    """The latest month with a project-based summary (an approved period), or None."""
    row = (UnitMonthSummary.objects.order_by("-period__year", "-period__month")
           .values("period__year", "period__month").first())
    return (row["period__year"], row["period__month"]) if row else None


@dataclass
class KeyFigures:
    """Key projects (provincial_key / city_key) of the city or of one unit, for a month."""

    key_projects: int = 0
    investment_yuan: int = 0  # approved year-to-date investment of key projects
    q1_investment_yuan: int = 0  # the same at the end of March (or now, before April)
    annual_plan_yuan: int = 0  # key projects' annual plans for the year (a unit's own target)
    new_starts: int = 0  # key projects actually started this year, up to the month's end
    planned_starts: int = 0  # key projects planned to start this year
    approvals_done: int = 0  # approval items of key projects done this year, up to the month's end
    approvals_open: int = 0  # approval items of key projects not done yet
    shortfall_982_investment_yuan: int = 0
    lagging_projects: int = 0


def _key_project_ids(unit: Org | None):  # noqa: ANN202
    return summary.key_project_ids([unit.pk] if unit is not None else None)


def _summaries(year: int, month: int, unit: Org | None):  # noqa: ANN202
    rows = UnitMonthSummary.objects.filter(period__year=year, period__month=month)
    return rows.filter(unit=unit) if unit is not None else rows


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def key_figures(*, year: int, month: int, unit: Org | None = None) -> KeyFigures:
    """Key-project figures for the city (``unit`` None) or one unit. A fixed number of queries.

    Counts come from the project library (small, indexed); investment and lagging figures from the
    per-unit monthly summary refreshed on approval (DESIGN §8), never from the raw monthly rows."""
    key_ids = _key_project_ids(unit)
    month_end = _month_end(year, month)
    projects = Project.objects.filter(pk__in=key_ids).exclude(stage="cancelled")
    counts = projects.aggregate(
        n=Count("id"),
        started=Count("id", filter=Q(actual_start__year=year, actual_start__lte=month_end)),
        planned=Count("id", filter=Q(planned_start__year=year)),
    )
    figures = KeyFigures(key_projects=counts["n"], new_starts=counts["started"], planned_starts=counts["planned"])
    figures.annual_plan_yuan = (AnnualPlan.objects.filter(project__in=projects, year=year)
                                .aggregate(s=Sum("amount_yuan"))["s"] or 0)
    sums = _summaries(year, month, unit).aggregate(
        ytd=Sum("key_ytd_amount_yuan"), ytd_982=Sum("shortfall_982_ytd_amount_yuan"), lagging=Sum("key_lagging"))
    figures.investment_yuan = sums["ytd"] or 0
    figures.shortfall_982_investment_yuan = sums["ytd_982"] or 0
    figures.lagging_projects = sums["lagging"] or 0
    q1_month = min(month, 3)
    figures.q1_investment_yuan = (figures.investment_yuan if q1_month == month else
                                  _summaries(year, q1_month, unit).aggregate(s=Sum("key_ytd_amount_yuan"))["s"] or 0)
    approvals = ApprovalItem.objects.filter(project_id__in=key_ids).aggregate(
        done=Count("id", filter=Q(status=ApprovalStatus.DONE, approved_on__year=year,
                                  approved_on__lte=month_end)),
        open=Count("id", filter=~Q(status=ApprovalStatus.DONE)),
    )
    figures.approvals_done, figures.approvals_open = approvals["done"], approvals["open"]
    return figures


def lagging_from_summary(*, year: int, month: int, unit: Org | None = None,
                         limit: int = summary.WORST_KEPT) -> list[dict[str, Any]]:
    """The worst lagging key projects of the city or a unit, from the summary rows (each unit keeps its
    worst :data:`summary.WORST_KEPT`, so the city's worst ``limit`` are among them). Two queries."""
    limit = min(limit, summary.WORST_KEPT)
    kept_rows = []
    for unit_id, worst in _summaries(year, month, unit).values_list("unit_id", "key_worst_lagging"):
        kept_rows += [{**row, "unit_id": unit_id} for row in worst]
    kept_rows.sort(key=lambda row: (-row["shortfall"], row["project_id"]))
    kept_rows = kept_rows[:limit]
    names = dict(Project.objects.filter(pk__in=[row["project_id"] for row in kept_rows]).values_list("pk", "name"))
    units = {u.pk: u for u in Org.objects.reporting_units()}
    return [_lagging_row(project_id=row["project_id"], name=names.get(row["project_id"], ""),
                         unit=units.get(row["unit_id"]), ytd_yuan=row["ytd_yuan"], plan_yuan=row["plan_yuan"],
                         month=month) for row in kept_rows]


def lagging_key_projects_qs(*, year: int, month: int, unit: Org | None = None, user: User | None = None):  # noqa: ANN201
    """Approved reports of lagging key projects (see :func:`summary.lagging_key_reports`), within the
    user's scope (``user`` None: unscoped) and of ``unit`` if given: for full lists, not the cockpit."""
    reports = ProgressReport.objects.visible_to(user) if user is not None else ProgressReport.objects.all()
    if unit is not None:
        reports = reports.filter(unit=unit)
    return summary.lagging_key_reports(year=year, month=month, reports=reports)


def _lagging_row(*, project_id: int, name: str, unit: Org | None, ytd_yuan: int, plan_yuan: int,
                 month: int) -> dict[str, Any]:
    tp = rules.time_progress(month)
    rate = rules.completion_rate(ytd_yuan, plan_yuan)
    return {
        "project_id": project_id, "name": name, "unit": unit.short_name if unit else "",
        "unit_code": unit.code if unit else "", "ytd_wan": yuan_to_wan(ytd_yuan),
        "plan_wan": yuan_to_wan(plan_yuan), "rate": rate, "time_progress": tp,
        "gap_points": (tp - rate) if rate is not None else None,
        "plan_display": format_wan(plan_yuan),
        "ytd_display": format_wan(ytd_yuan),
    }


def lagging_key_projects(*, user: User | None, year: int, month: int, unit: Org | None = None,
                         limit: int | None = 10) -> list[dict[str, Any]]:
    """The lagging key projects the user may see (names only within scope), worst first, from the
    monthly rows: the full list (bulletins, pages). The cockpit reads :func:`lagging_from_summary`.

    ``user`` None reads without scope: for bulletins, which only city-wide roles read."""
    rows = (lagging_key_projects_qs(year=year, month=month, unit=unit, user=user)
            .order_by("-shortfall", "project_id").select_related("project", "unit")
            .only("project_id", "project__name", "unit__short_name", "unit__code", "ytd_amount_yuan"))
    if limit is not None:
        rows = rows[:limit]
    return [_lagging_row(project_id=r.project_id, name=r.project.name, unit=r.unit, ytd_yuan=r.ytd_amount_yuan,
                         plan_yuan=r.plan_yuan, month=month) for r in rows]
