"""The year rolls over (issue 15): ``tuijin year-open YEAR`` opens a year from its own plan.

Opening ``YEAR`` — refused without a plan file of that year for the city, and when the year is already
open (the platform's first plan year counts as open from the start) — in one transaction:

* opens the year's 12 reporting periods, each with its opening day and deadline from **YEAR's** plan
  calendar (二(七)20);
* records the year (:class:`~tuijin.reporting.models.ReportingYear`: plan id and hash, when, by whom;
  audited);
* carries projects over: they are not copied — a project under construction or ready to start simply
  continues — but from the opened year on a project needs an annual plan (``AnnualPlan``) for that year
  to be in that year's reporting scope (:func:`requires_annual_plan`;
  :func:`tuijin.reporting.selectors.reportable_projects`); :func:`projects_without_annual_plan` lists
  those who lack one (the page, ``year-open --json``, the template's instructions);
* sends :data:`tuijin.reporting.signals.year_opened` after the commit, so the apps above start their own
  year from the new plan (DESIGN §9 "events, not upward calls").

Nothing of an earlier year is touched: its periods, reports, statistics and stored results (with their
plan hashes) stay as they were. A dry run computes the same summary and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from tuijin.audit import services as audit
from tuijin.audit.context import reason as audit_reason
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.plan import Plan, plan_for, plan_years
from tuijin.projects.models import AnnualPlan, Project, Stage
from tuijin.toolkit import clock
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused
from tuijin.toolkit.periods import period_code
from tuijin.toolkit.signals import send_on_commit

from . import signals
from .calendar import deadline_for
from .models import Period, ReportingYear

__all__ = ["YearOpening", "carried_projects", "first_year", "in_annual_plan_scope", "is_open", "open_years", "projects_without_annual_plan",
           "requires_annual_plan", "year_open"]

PERIOD_AUDIT_FIELDS = ("code", "year", "month", "opens_on", "deadline")
#: The stages a project continues into the new year in.
CARRIED_STAGES = (Stage.CONSTRUCTION, Stage.READY)


@dataclass
class YearOpening:
    """What opening a year does (or did): the plan, the periods, the units' targets and the projects."""

    year: int
    plan_id: str
    plan_hash: str
    dry_run: bool
    periods: list[str] = field(default_factory=list)
    periods_created: int = 0
    unit_targets: dict[str, dict[str, str]] = field(default_factory=dict)
    carried_projects: int = 0
    with_annual_plan: int = 0
    without_annual_plan: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def first_year() -> int:
    """The platform's first plan year: open from the start, without the annual-plan requirement."""
    return plan_years()[0]


def open_years() -> list[int]:
    """The open years, ascending: the first plan year and every year opened since."""
    return sorted({first_year(), *ReportingYear.objects.values_list("year", flat=True)})


def is_open(year: int) -> bool:
    return int(year) == first_year() or ReportingYear.objects.filter(year=year).exists()


def requires_annual_plan(year: int) -> bool:
    """Whether a project needs an annual plan of ``year`` to be reported in it (an opened year)."""
    return ReportingYear.objects.filter(year=year).exists()


def in_annual_plan_scope(year: int) -> Q:
    """A filter on projects: in ``year``'s reporting scope as far as annual plans go — every project in a
    year not opened with ``year-open``, only those with an annual plan for it in an opened year. One SQL
    condition (no query of its own)."""
    return (~Exists(ReportingYear.objects.filter(year=year))
            | Exists(AnnualPlan.objects.filter(project_id=OuterRef("pk"), year=year)))


def carried_projects(*, user: Any, year: int, unit: Org | None = None) -> QuerySet[Project]:
    """The projects that continue into ``year`` in ``user``'s scope: under construction, or ready to start
    by the year's end."""
    qs = Project.objects.visible_to(user).filter(
        Q(stage=Stage.CONSTRUCTION) | Q(stage=Stage.READY, planned_start__lte=dt.date(year, 12, 31)))
    return qs if unit is None else qs.filter(unit=unit)


def projects_without_annual_plan(*, user: Any, year: int, unit: Org | None = None) -> QuerySet[Project]:
    """Carried-over projects with no annual plan for ``year`` (not in its reporting scope once it is open)."""
    planned = AnnualPlan.objects.filter(year=year).values("project_id")
    return (carried_projects(user=user, year=year, unit=unit).exclude(pk__in=planned)
            .select_related("unit").order_by("unit__sort_order", "-total_investment_yuan", "id"))


def _plan_of(year: int) -> Plan:
    try:
        return plan_for(year)
    except NotFound as exc:
        raise NotFound(f"不能开启{year}年：{exc.message}。请先在方案目录中放入{year}年的方案文件",
                       field="year") from exc


def _summary(*, plan: Plan, year: int, dry_run: bool) -> YearOpening:
    opening = YearOpening(year=year, plan_id=plan.meta.id, plan_hash=plan.hash, dry_run=dry_run)
    opening.periods = [period_code(year, month) for month in range(1, 13)]
    existing = set(Period.objects.filter(year=year).values_list("month", flat=True))
    opening.periods_created = 12 - len(existing)
    for unit in plan.units:
        opening.unit_targets[unit.code] = {
            name: str(plan.target(name, unit=unit.code))
            for name in ("unit_fai_growth",) if name in plan.targets}
    carried = carried_projects(user=policy.SYSTEM, year=year)
    missing = projects_without_annual_plan(user=policy.SYSTEM, year=year)
    opening.carried_projects = carried.count()
    opening.without_annual_plan = [
        {"id": p.pk, "name": p.name, "project_code": p.project_code or "", "unit": p.unit.code,
         "unit_name": p.unit.name, "stage": p.stage} for p in missing]
    opening.with_annual_plan = opening.carried_projects - len(opening.without_annual_plan)
    return opening


def year_open(*, actor: User | None, year: int, dry_run: bool = False) -> YearOpening:
    """Open ``year`` from its own plan (see the module). ``actor`` None is the system (the command line).

    Refused, with nothing changed: without ``manage_city_data``; without a plan file of ``year`` for the
    city (404); when ``year`` is already open (409). The caller opens the audit context.
    """
    if actor is not None and not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委可以开启新的年度")
    year = int(year)
    plan = _plan_of(year)
    if is_open(year):
        how = "（平台首个方案年度）" if year == first_year() else ""
        raise Conflict(f"{year}年已开启{how}，未做任何修改", field="year")
    if dry_run:
        return _summary(plan=plan, year=year, dry_run=True)
    calendar = plan.rules.reporting_calendar
    with transaction.atomic():
        opening = _summary(plan=plan, year=year, dry_run=False)
        existing = set(Period.objects.select_for_update().filter(year=year).values_list("month", flat=True))
        created = []
        for month in range(1, 13):
            if month in existing:
                continue
            created.append(Period(code=period_code(year, month), year=year, month=month,
                                  opens_on=dt.date(year, month, calendar.period_opens_day),
                                  deadline=deadline_for(year, month,
                                                        deadline_working_day=calendar.deadline_working_day)))
        Period.objects.bulk_create(created)
        why = (f"开启{year}年（方案 {plan.meta.id}）：报送期 {len(created)} 个；结转项目 {opening.carried_projects} 个，"
               f"其中缺少{year}年度计划 {len(opening.without_annual_plan)} 个")
        audit.record_many([audit.build_entry(action="create", obj=period, reason=why,
                                             after=audit.snapshot(period, PERIOD_AUDIT_FIELDS))
                           for period in Period.objects.filter(year=year, code__in=[p.code for p in created])])
        with audit_reason(why):
            record = ReportingYear(year=year, plan_id=plan.meta.id, plan_hash=plan.hash, opened_at=clock.real_now(),
                                   opened_by=actor)
            record.full_clean()
            record.save()
        send_on_commit(signals.year_opened, sender=ReportingYear, year=year, plan=plan, reporting_year=record,
                       actor=actor)
    return opening

