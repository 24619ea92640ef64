"""Reads of official statistics (DESIGN §4.6): the list the API serves, a month's table, coverage.

Official figures are aggregates (a unit's total investment, never a project), so every business
role reads all of them — the city roles, the departments and every reporting unit (a unit sees
the others' figures and ranks, DESIGN §4.2). The three administrators (三员) see no business
data: the policy's ``read_statistics`` refuses them, as everyone not logged in.

:func:`coverage_rows` sets the project-based sums beside the official figures (issue 4 item 2,
DESIGN §4.6 "coverage of the official figure"): per unit, the official year-to-date FAI against
the year-to-date investment of its approved project reports (``reporting.UnitMonthSummary``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet

from tuijin.orgs import policy
from tuijin.orgs.models import REPORTING_KINDS, Org, OrgKind, User
from tuijin.orgs.policy import Principal
from tuijin.plan import current_plan
from tuijin.reporting.models import UnitMonthSummary
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import parse_period
from tuijin.toolkit.ranking import rank

from . import services
from .models import OfficialStat
from .rules import coverage_percent
from .targets import default_target_name as default_target_name
from .targets import indicator_names, plan_growth_target, unit_growth_targets, year_plan
from .targets import unit_growth_target as unit_growth_target

#: Roles that read official statistics (every business role; not the three administrators).
FAI = "fai"
PERCENT_QUANT = Decimal("0.01")


# ---------------------------------------------------------------------------
# The list (API)

def stats_list(*, user: User | None, period: str | None = None, year: int | None = None, org: str | None = None,
               indicator: str | None = None) -> QuerySet[OfficialStat]:
    """Official figures, filtered; each filter a 400 (``ValidationFailed``) when it names nothing valid."""
    policy.require(user, "read_statistics")
    qs = OfficialStat.objects.select_related("org").order_by("year", "month", "org__sort_order", "org__code",
                                                             "indicator")
    errors: dict[str, list[str]] = {}
    if period:
        try:
            y, m = parse_period(period, what="统计期间", lenient=True)
        except ValidationFailed as exc:
            errors["period"] = [exc.message]
        else:
            qs = qs.filter(year=y, month=m)
    if year is not None:
        if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
            errors["year"] = [f"年份应在{services.FIRST_YEAR}至{services.LAST_YEAR}之间"]
        else:
            qs = qs.filter(year=year)
    if org:
        found = Org.objects.filter(code=org, kind__in=[OrgKind.CITY, OrgKind.DISTRICT, OrgKind.ZONE]).first()
        if found is None:
            errors["org"] = [f"未知的单位代码“{org}”：应为区县（市）/开发区代码或 city"]
        else:
            qs = qs.filter(org=found)
    if indicator:
        names = indicator_names()
        if indicator not in names:
            errors["indicator"] = [f"未知的指标“{indicator}”：应为{'、'.join(names)}"]
        else:
            qs = qs.filter(indicator=indicator)
    if errors:
        raise ValidationFailed("查询条件有误", errors=errors)
    return qs


def _stat_months(limit: int = 60) -> list[tuple[int, int]]:
    """Months with official figures, newest first."""
    return list(OfficialStat.objects.order_by("-year", "-month").values_list("year", "month").distinct()[:limit])


def latest_statistics_month(*, user: Principal, indicator: str | None = None, units_only: bool = False,
                            with_growth: bool = False, quarter_ends: bool = False) -> tuple[int, int] | None:
    """The newest month with official statistics, as ``(year, month)``; None before any import.

    The one definition of "the latest month with statistics" for every reader: the statistics page
    and the cockpit open on it (no arguments: any figure, the city's or a unit's, of any indicator);
    rankings and the quarterly evaluation narrow it to what they rank: one ``indicator``, the reporting
    units' figures (``units_only``) that carry a year-on-year growth (``with_growth``), and for a
    quarter the months that end one (``quarter_ends``: March, June, September, December). One query.
    """
    policy.require(user, "read_statistics")
    qs = OfficialStat.objects.all()
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    if units_only:
        qs = qs.filter(org__kind__in=REPORTING_KINDS)
    if with_growth:
        qs = qs.filter(yoy_growth__isnull=False)
    if quarter_ends:
        qs = qs.filter(month__in=(3, 6, 9, 12))
    row = qs.order_by("-year", "-month").values_list("year", "month").first()
    return (row[0], row[1]) if row else None


# ---------------------------------------------------------------------------
# A month's table (the page)

@dataclass
class Cell:
    """One org's figure for one indicator: year to date (yuan), growth (%), and its target."""

    ytd_yuan: int | None = None
    growth: Decimal | None = None
    target: Decimal | None = None

    @property
    def below_target(self) -> bool:
        return self.growth is not None and self.target is not None and self.growth < self.target


@dataclass
class TableRow:
    org: Org
    cells: dict[str, Cell] = field(default_factory=dict)
    fai_rank: int | None = None  # competition rank of the unit's FAI growth (the city has none)

    @property
    def is_city(self) -> bool:
        return self.org.kind == OrgKind.CITY


@dataclass
class MonthTable:
    year: int
    month: int
    indicators: dict[str, str]  # code → name
    rows: list[TableRow]

    @property
    def period(self) -> str:
        return services.period_code(self.year, self.month)

    @property
    def empty(self) -> bool:
        return not any(c.ytd_yuan is not None for r in self.rows for c in r.cells.values())


def month_table(*, user: User | None, year: int, month: int) -> MonthTable:
    """The city and every unit with each indicator's year-to-date value, growth and target.

    Targets are those of the year's own plan (the unit's target from ``stats.targets``, the city's
    from the plan); a year without a plan shows none. Three queries whatever the data.
    """
    policy.require(user, "read_statistics")
    plan = year_plan(year)
    names = indicator_names(plan)
    orgs = services.reporting_orgs()
    figures = {(org_id, ind): (ytd, growth) for org_id, ind, ytd, growth in OfficialStat.objects.filter(
        year=year, month=month).order_by().values_list("org_id", "indicator", "ytd_value_yuan", "yoy_growth")}
    targets: dict[tuple[str, str], Decimal] = {}
    if plan is not None:
        targets = {key: t.value for key, t in unit_growth_targets(year=year, indicators=list(names),
                                                                    plan=plan).items()}
        for code in names:
            city_target = plan_growth_target(indicator=code, plan=plan)
            if city_target is not None:
                targets[("city", code)] = city_target
    rows: list[TableRow] = []
    for org in orgs:
        row = TableRow(org=org)
        for code in names:
            ytd, growth = figures.get((org.pk, code), (None, None))
            key = ("city" if org.kind == OrgKind.CITY else org.code, code)
            row.cells[code] = Cell(ytd, growth, targets.get(key))
        rows.append(row)
    ranked = {r.org: r.rank for r in rank({row.org.code: row.cells[FAI].growth for row in rows if not row.is_city
                                           and FAI in row.cells})}
    for row in rows:
        if not row.is_city and row.cells.get(FAI) is not None and row.cells[FAI].growth is not None:
            row.fai_rank = ranked.get(row.org.code)
    return MonthTable(year=year, month=month, indicators=names, rows=rows)


# ---------------------------------------------------------------------------
# Coverage: project-based sums beside the official figures

@dataclass(frozen=True)
class CoverageRow:
    """One unit (or the city, the sum of the units' project figures): official ytd FAI, the
    approved project reports' ytd investment, and the project sum as a percent of the official."""

    org: str
    name: str
    official_ytd_yuan: int | None
    project_ytd_yuan: int | None
    projects_reported: int
    coverage: Decimal | None  # percent, 2 decimals; None without both figures or with an official 0

    @property
    def is_city(self) -> bool:
        return self.org == "city"

    def as_dict(self) -> dict[str, Any]:
        return {"org": self.org, "name": self.name, "official_ytd_yuan": self.official_ytd_yuan,
                "project_ytd_yuan": self.project_ytd_yuan, "projects_reported": self.projects_reported,
                "coverage": self.coverage}


def coverage_rows(*, user: Principal, year: int, month: int) -> list[CoverageRow]:
    """Per unit, official year-to-date FAI vs the year-to-date sum of its approved project reports
    (``reporting.UnitMonthSummary``, refreshed when a period is approved), and the coverage
    percent; the city first, its project figure the sum over the units (DESIGN §4.6).

    A unit without approved reports for the month has no project figure (None), not 0. A bulletin
    job reads as SYSTEM. Three queries.
    """
    policy.require(user, "read_statistics")
    orgs = services.reporting_orgs()
    official = dict(OfficialStat.objects.filter(indicator=FAI, year=year, month=month).order_by()
                    .values_list("org_id", "ytd_value_yuan"))
    projects = {unit_id: (ytd, n) for unit_id, ytd, n in UnitMonthSummary.objects.filter(
        period__year=year, period__month=month).order_by().values_list("unit_id", "ytd_amount_yuan",
                                                                        "projects_reported")}
    units: list[CoverageRow] = []
    city: Org | None = None
    for org in orgs:
        if org.kind == OrgKind.CITY:
            city = org
            continue
        ytd, n = projects.get(org.pk, (None, 0))
        units.append(CoverageRow(org.code, org.display_name, official.get(org.pk), ytd, n,
                                 coverage_percent(ytd, official.get(org.pk))))
    if city is None:
        return units
    reported = [u.project_ytd_yuan for u in units if u.project_ytd_yuan is not None]
    total = sum(reported) if reported else None
    city_row = CoverageRow(city.code, city.display_name, official.get(city.pk), total,
                           sum(u.projects_reported for u in units), coverage_percent(total, official.get(city.pk)))
    return [city_row, *units]


def months_for_picker(*, user: Principal, selected: tuple[int, int],
                      extra: Iterable[tuple[int, int]] = ()) -> list[str]:
    """Period codes for a month picker: months with figures, the selected one included."""
    policy.require(user, "read_statistics")
    months = set(_stat_months()) | set(extra) | {selected}
    return [services.period_code(y, m) for y, m in sorted(months, reverse=True)]


# ---------------------------------------------------------------------------
# For the apps above (assessment's rankings, the cockpit, the bulletins): the figures of every unit —
# aggregates every business role reads alike (``read_statistics``); bulletins and jobs read as SYSTEM.

CITY_CODE = "city"


def official_stats(*, user: Principal) -> QuerySet[OfficialStat]:
    """Every official figure (city and units, all indicators and months), to filter further."""
    policy.require(user, "read_statistics")
    return OfficialStat.objects.all()


def city_periods(*, user: Principal, limit: int = 24) -> list[str]:
    """Months with the city's official statistics, newest first, as period codes (the period pickers)."""
    policy.require(user, "read_statistics")
    rows = (OfficialStat.objects.filter(org__code=CITY_CODE).order_by("-year", "-month")
            .values_list("year", "month").distinct()[:limit])
    return [services.period_code(y, m) for y, m in rows]


def _chart_number(value: Any) -> float | None:
    """A JSON number (ECharts takes floats), rounded to 2 decimals."""
    if value is None:
        return None
    return float(Decimal(value).quantize(PERCENT_QUANT, rounding=ROUND_HALF_UP))


def growth_trend(*, user: Principal, org_code: str, year: int, month: int) -> dict[str, Any]:
    """Monthly year-on-year growth of ``org_code`` for the year and the one before, per indicator of the
    plan with its growth target, as chart data (one query)."""
    policy.require(user, "read_statistics")
    plan = year_plan(year) or current_plan()
    rows = (OfficialStat.objects.filter(org__code=org_code, year__in=(year - 1, year))
            .filter(Q(year=year - 1) | Q(month__lte=month))
            .values_list("indicator", "year", "month", "yoy_growth"))
    series: dict[str, dict[int, list[float | None]]] = {
        indicator.code: {year - 1: [None] * 12, year: [None] * 12} for indicator in plan.indicators
    }
    for indicator, y, m, growth in rows:
        if indicator in series:
            series[indicator][y][m - 1] = _chart_number(growth)
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "year": year,
        "indicators": [
            {"code": ind.code, "name": ind.name,
             "target": _chart_number(plan.targets[ind.growth_target].value) if ind.growth_target else None,
             "current": series[ind.code][year], "previous": series[ind.code][year - 1]}
            for ind in plan.indicators
        ],
    }


def unit_month_figures(*, user: Principal, unit: Org, year: int, month: int) -> dict[str, dict[str, Any]]:
    """A unit's official figures for the month: indicator → {ytd_wan, yoy_growth} (one query)."""
    policy.require(user, "read_statistics")
    rows = OfficialStat.objects.filter(org=unit, year=year, month=month).values(
        "indicator", "ytd_value_yuan", "yoy_growth")
    return {r["indicator"]: {"ytd_wan": yuan_to_wan(r["ytd_value_yuan"]), "yoy_growth": r["yoy_growth"]}
            for r in rows}
