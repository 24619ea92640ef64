"""Reads of monthly reporting: nothing here writes (``period_get``, which opens a period on first
use, stays in :mod:`.services`). Every read of rows takes the user and starts from ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User, may_edit_unit, units_visible_to
from tuijin.orgs.policy import Principal
from tuijin.projects.models import AnnualPlan, ApprovalItem, ApprovalStatus, Project, Stage
from tuijin.toolkit import clock, periods
from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.money import format_wan, yuan_to_wan

from . import rules, summary, years
from .calendar import ahead_margin, period_plan
from .models import (
    CorrectionRequest,
    CorrectionStatus,
    Period,
    ProgressReport,
    SubmissionStatus,
    UnitMonthSummary,
    UnitPeriod,
)
from .periods import LOCKED_STATUSES


def reportable_projects(*, user: User, unit: Org, period: Period) -> QuerySet[Project]:
    """Projects the unit reports for the period: those under construction, plus those planned
    to start by the end of the period's year, plus those completed during that year; in a year opened
    with ``year-open`` only those with an annual plan for it (:mod:`tuijin.reporting.years`)."""
    year_start = dt.date(period.year, 1, 1)
    year_end = dt.date(period.year, 12, 31)
    return (
        Project.objects.visible_to(user)
        .filter(years.in_annual_plan_scope(period.year))
        .filter(unit=unit)
        .filter(
            Q(stage=Stage.CONSTRUCTION)
            | Q(stage=Stage.READY, planned_start__lte=year_end)
            | Q(stage=Stage.COMPLETED, actual_end__gte=year_start)
        )
        .order_by("-total_investment_yuan", "id")
    )


def unit_get(*, user: User, code: str) -> Org:
    """A reporting unit whose details ``user`` may see; 404 for any other (another unit is not found)."""
    unit = Org.objects.reporting_units().filter(code=str(code or "").strip()).first()
    if unit is None or not policy.can(user, "view_unit", unit):
        raise NotFound("报送单位不存在或不在您的查看范围内")
    return unit


def unit_period_state(*, user: Principal, unit: Org, period: Period) -> UnitPeriod:
    """The unit's submission record, or an unsaved draft when the unit has not begun (reads create nothing)."""
    found = UnitPeriod.objects.visible_to(user).select_related("submitted_by", "reviewed_by").filter(unit=unit, period=period).first()
    return found or UnitPeriod(unit=unit, period=period, status=SubmissionStatus.DRAFT)


def missing_projects(*, user: User, unit: Org, period: Period) -> list[Project]:
    """Reportable projects of the unit with no row in the period."""
    reported = ProgressReport.objects.filter(unit=unit, period=period).values("project_id")
    return list(reportable_projects(user=user, unit=unit, period=period).exclude(pk__in=reported))


# ---------------------------------------------------------------------------
# Rows, grids and dashboards for the doors (pages and API)

def _plan_for_year() -> Subquery:
    """The annual plan (yuan) of the row's project for the row's year, for annotating reports."""
    return Subquery(AnnualPlan.objects.filter(project_id=OuterRef("project_id"), year=OuterRef("period__year"))
                    .values("amount_yuan")[:1])


def progress_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[ProgressReport]:
    """Rows the user may see, filtered by ``period`` (code), ``unit`` (code), ``project`` (id), ``status``."""
    filters = filters or {}
    qs = (ProgressReport.objects.visible_to(user).select_related("project", "unit", "period")
          .annotate(annual_plan_yuan=_plan_for_year()).order_by("-period__year", "-period__month", "unit__sort_order",
                                                                 "project_id"))
    if filters.get("period"):
        qs = qs.filter(period__code=filters["period"])
    if filters.get("unit"):
        qs = qs.filter(unit__code=filters["unit"])
    if filters.get("project"):
        qs = qs.filter(project_id=filters["project"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs


def progress_detail(*, user: User, report_id: int) -> ProgressReport:
    row = progress_list(user=user).filter(pk=report_id).first()
    if row is None:
        raise NotFound("填报记录不存在或不在您的查看范围内")
    return row


@dataclass
class GridRow:
    """One line of a unit's period grid: the project, its row (if filled) and plan-vs-actual."""

    project: Project
    report: ProgressReport | None
    annual_plan_yuan: int | None
    ytd_yuan: int
    completion_rate: Decimal | None
    status: str
    warnings: list[tuple[str, str]] = field(default_factory=list)
    pending_correction: bool = False

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def unit_period_grid(*, user: User, unit: Org, period: Period, project_ids: list[int] | None = None) -> list[GridRow]:
    """Every reportable project of the unit (and any project with a row) with this month's values.

    ``project_ids`` narrows it to some lines (an inline edit). A fixed number of queries
    whatever the number of projects.
    """
    year, month = period.year, period.month
    rows_here = ProgressReport.objects.visible_to(user).filter(unit=unit, period=period)
    if project_ids is not None:
        rows_here = rows_here.filter(project_id__in=project_ids)
    earlier_this_year = (ProgressReport.objects.filter(project_id=OuterRef("pk"), period__year=year,
                                                       period__month__lt=month)
                         .order_by("-period__month").values("ytd_amount_yuan")[:1])
    candidates = Project.objects.visible_to(user)
    if project_ids is not None:
        candidates = candidates.filter(pk__in=project_ids)
    projects = list(
        candidates
        .filter(Q(pk__in=reportable_projects(user=user, unit=unit, period=period).values("pk"))
                | Q(pk__in=rows_here.values("project_id")))
        .annotate(plan_yuan=Subquery(AnnualPlan.objects.filter(project_id=OuterRef("pk"), year=year)
                                     .values("amount_yuan")[:1]),
                  earlier_ytd=Subquery(earlier_this_year))
        .order_by("-total_investment_yuan", "id")
    )
    reports = {r.project_id: r for r in rows_here}
    pending = set(CorrectionRequest.objects.filter(report__in=list(reports.values()),
                                                   status=CorrectionStatus.PENDING).values_list("report_id", flat=True))
    plan = period_plan(period.year, period.month)
    quality = plan.rules.data_quality
    margin = ahead_margin(period.year, period.month)
    window = _trailing_window(period=period, project_ids=list(reports), size=quality.spike_window_months)
    out = []
    for project in projects:
        report = reports.get(project.pk)
        ytd = report.ytd_amount_yuan if report else (project.earlier_ytd or 0)
        warnings: list[tuple[str, str]] = []
        if report is not None:
            trailing = window.get(project.pk, [])
            facts = rules.RowFacts(
                month_amount_yuan=report.month_amount_yuan, ytd_yuan=report.ytd_amount_yuan,
                cumulative_yuan=report.cumulative_amount_yuan, annual_plan_yuan=project.plan_yuan,
                total_investment_yuan=project.total_investment_yuan,
                trailing_amounts_yuan=tuple(a for a, _ in trailing),
                percent_complete=report.percent_complete,
                previous_percent=trailing[-1][1] if trailing else None,
                project_stage=rules.stage_during(project.stage, project.actual_end,
                                                 dt.date(period.year, period.month, 1)),
                started=report.started,
            )
            warnings = rules.quality_warnings(facts, spike_factor=quality.spike_factor,
                                              spike_window=quality.spike_window_months)
        out.append(GridRow(
            project=project, report=report, annual_plan_yuan=project.plan_yuan, ytd_yuan=ytd,
            completion_rate=rules.completion_rate(ytd, project.plan_yuan),
            status=rules.progress_status(ytd_yuan=ytd, annual_plan_yuan=project.plan_yuan, month=month,
                                         ahead_margin_points=margin),
            warnings=warnings, pending_correction=report is not None and report.pk in pending,
        ))
    return out


def _trailing_window(*, period: Period, project_ids: list[int], size: int) -> dict[int, list[tuple[int, Any]]]:
    """Per project: (month amount, percent complete) of the ``size`` months just before ``period``, oldest first."""
    if not project_ids:
        return {}
    y, m = period.year, period.month
    months = []
    for _ in range(size):
        y, m = rules.previous_period(y, m)
        months.append(Q(period__year=y, period__month=m))
    found: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    rows = (ProgressReport.objects.filter(project_id__in=project_ids).filter(reduce(or_, months))
            .order_by("period__year", "period__month")
            .values_list("project_id", "month_amount_yuan", "percent_complete"))
    for project_id, amount, percent in rows:
        found[project_id].append((amount, percent))
    return found


def grid_line(*, user: User, unit: Org, period: Period, project_id: int) -> GridRow:
    """One line of the grid (for an inline edit); 404 when the project is not in it."""
    for line in unit_period_grid(user=user, unit=unit, period=period, project_ids=[project_id]):
        return line
    raise NotFound("项目不存在，或不在本期应报项目范围内")


@dataclass
class SubmissionLine:
    """One unit on the city's period dashboard."""

    unit: Org
    submission: UnitPeriod
    expected: int
    counts: dict[str, int]

    @property
    def filled(self) -> int:
        return sum(self.counts.values())

    @property
    def overdue(self) -> bool:
        """Not yet submitted and the deadline has passed."""
        return self.submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED) \
            and clock.today() > self.submission.period.deadline


def period_dashboard(*, user: User, period: Period) -> list[SubmissionLine]:
    """Per reporting unit the user may see: its submission, rows filled by status, rows expected.

    Four queries for the 16 units, whatever the number of projects.
    """
    units = list(units_visible_to(user))
    submissions = {up.unit_id: up for up in UnitPeriod.objects.visible_to(user).filter(period=period)
                   .select_related("submitted_by", "reviewed_by")}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (ProgressReport.objects.visible_to(user).filter(period=period).order_by()
                .values("unit_id", "status").annotate(n=Count("id"))):
        counts[row["unit_id"]][row["status"]] = row["n"]
    expected: dict[int, int] = {}
    if units:
        reportable = reduce(or_, [reportable_projects(user=user, unit=u, period=period) for u in units])
        expected = dict(reportable.order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    lines = []
    for unit in units:
        up = submissions.get(unit.pk) or UnitPeriod(unit=unit, period=period, status=SubmissionStatus.DRAFT)
        up.period = period
        lines.append(SubmissionLine(unit=unit, submission=up, expected=expected.get(unit.pk, 0),
                                    counts=counts.get(unit.pk, {})))
    return lines


def corrections_list(*, user: User, status: str | None = None) -> QuerySet[CorrectionRequest]:
    qs = (CorrectionRequest.objects.visible_to(user)
          .select_related("unit", "report__project", "report__period", "requested_by", "decided_by"))
    if status:
        qs = qs.filter(status=status)
    return qs


def latest_period_code(*, user: Principal) -> str:
    """The period a page opens on: the latest one anyone has begun, else last month."""
    policy.require(user, "read_business_data")
    begun = Period.objects.filter(unit_periods__isnull=False).order_by("-year", "-month").values_list(
        "code", flat=True).first()
    if begun:
        return begun
    y, m = rules.previous_period(clock.today().year, clock.today().month)
    return rules.period_code(y, m)


def may_edit_rows(*, user: User, unit: Org, submission: UnitPeriod) -> bool:
    return may_edit_unit(user, unit) and submission.status not in LOCKED_STATUSES and \
        submission.period.opens_on <= clock.today()


# ---------------------------------------------------------------------------
# Key-project figures (二(二)5) from the project library and the approved reports: what the cockpit,
# the bulletins and the weekly meeting read (DESIGN §8: from the per-unit monthly summary, not the raw rows).
# Aggregates for the city or one unit: the city's figures for every business reader, a unit's for those who
# may see that unit, the city's list of lagging project names for the city-wide roles; bulletins read as SYSTEM.


def _require_figures(user: Principal, unit: Org | None, *, names: bool = False) -> None:
    if unit is not None:
        policy.require(user, "view_unit", unit)
    else:
        policy.require(user, "read_city_wide" if names else "read_business_data")


def latest_approved_period(*, user: Principal) -> tuple[int, int] | None:
    """The latest month with a project-based summary (an approved period), or None."""
    policy.require(user, "read_business_data")
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


def key_figures(*, user: Principal, year: int, month: int, unit: Org | None = None) -> KeyFigures:
    """Key-project figures for the city (``unit`` None) or one unit. A fixed number of queries.

    Counts come from the project library (small, indexed); investment and lagging figures from the
    per-unit monthly summary refreshed on approval (DESIGN §8), never from the raw monthly rows."""
    _require_figures(user, unit)
    key_ids = _key_project_ids(unit)
    month_end = periods.month_end(year, month)
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


def lagging_from_summary(*, user: Principal, year: int, month: int, unit: Org | None = None,
                         limit: int = summary.WORST_KEPT) -> list[dict[str, Any]]:
    """The worst lagging key projects of the city or a unit, from the summary rows (each unit keeps its
    worst :data:`summary.WORST_KEPT`, so the city's worst ``limit`` are among them). Two queries.
    Project names: the city's for the city-wide roles, a unit's for those who may see it."""
    _require_figures(user, unit, names=True)
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


def lagging_key_projects_qs(*, user: Principal, year: int, month: int, unit: Org | None = None):  # noqa: ANN201
    """Approved reports of lagging key projects (see :func:`summary.lagging_key_reports`), within the
    user's scope (SYSTEM: every unit) and of ``unit`` if given: for full lists, not the cockpit."""
    reports = ProgressReport.objects.visible_to(user)
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


def lagging_key_projects(*, user: Principal, year: int, month: int, unit: Org | None = None,
                         limit: int | None = 10) -> list[dict[str, Any]]:
    """The lagging key projects the user may see (names only within scope), worst first, from the
    monthly rows: the full list (bulletins, pages). The cockpit reads :func:`lagging_from_summary`.

    Bulletins, which only city-wide roles read, read as SYSTEM."""
    rows = (lagging_key_projects_qs(year=year, month=month, unit=unit, user=user)
            .order_by("-shortfall", "project_id").select_related("project", "unit")
            .only("project_id", "project__name", "unit__short_name", "unit__code", "ytd_amount_yuan"))
    if limit is not None:
        rows = rows[:limit]
    return [_lagging_row(project_id=r.project_id, name=r.project.name, unit=r.unit, ytd_yuan=r.ytd_amount_yuan,
                         plan_yuan=r.plan_yuan, month=month) for r in rows]
