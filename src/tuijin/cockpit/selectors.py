"""Reads of the cockpit (驾驶舱, DESIGN §6): targets vs actuals, rankings, trends, map, lagging and escalation.

Growth figures, rankings and escalations come from the assessment selectors (official statistics,
DESIGN §4.6); the key-project figures (二(二)5) from the reporting selectors (the project library and
the approved monthly reports), the trends and a unit's figures from the statistics selectors. The
cockpit queries no model itself: it composes, keeps and formats. Every target comes from the plan
file by name; no figure is written here.

Scope (DESIGN §4.2): city-wide roles see the whole city; a reporting unit sees its own figures and
project names, and of the other units only aggregates (growth values and ranks). Every function takes
the principal and asks the policy (``read_business_data`` for aggregates, ``view_unit`` for a unit's
details, ``read_city_wide`` for the city's project names); the cards and display helpers are
:mod:`tuijin.cockpit.presentation`, the cache :mod:`tuijin.cockpit.caching`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuijin.assessment import selectors as assessment
from tuijin.audit import selectors as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org
from tuijin.orgs.policy import Principal
from tuijin.plan import default_year, plan_for, plan_of_month
from tuijin.reporting import rules as reporting_rules
from tuijin.reporting import selectors as reporting
from tuijin.reporting.selectors import KeyFigures
from tuijin.stats import selectors as stats
from tuijin.toolkit import clock

from .caching import kept
from .presentation import (
    Card,
    city_key_cards,
    growth_cards,
    growth_display,
    map_units,
    unit_key_cards,
    wan_display,
)
from .presentation import _num as _num

CITY_CODE = stats.CITY_CODE
#: The refusal of a principal who sees no cockpit (the three administrators).
REFUSAL = "您的角色不查看驾驶舱"


def _require_reader(user: Principal) -> None:
    policy.require(user, "read_business_data", message=REFUSAL)


# ---------------------------------------------------------------------------
# The period shown


def latest_stat_period(*, user: Principal) -> tuple[int, int] | None:
    """The latest month with official statistics (city or any unit), or None."""
    _require_reader(user)
    return stats.latest_statistics_month(user=user)


def latest_approved_period(*, user: Principal) -> tuple[int, int] | None:
    """The latest month with a project-based summary (an approved period), or None."""
    _require_reader(user)
    return reporting.latest_approved_period(user=user)


def cockpit_period(*, user: Principal, requested: str | None = None) -> tuple[int, int]:
    """The month the cockpit shows: ``requested`` (YYYY-MM) if valid, else the latest with official
    statistics up to the business date's month, else the latest approved one up to it, else the business
    date's year and month (the one clock: at 2022-07-15 the cockpit does not open on a later month; a
    business date in a year without a plan counts as the December of :func:`tuijin.plan.default_year`)."""
    _require_reader(user)
    if requested:
        try:
            return reporting_rules.parse_period(requested)
        except ValueError:
            pass
    today, year = clock.today(), default_year()
    bound = (today.year, today.month) if today.year == year else (year, 12)  # a year without a plan: the latest before it
    for candidate in (latest_stat_period(user=user), latest_approved_period(user=user)):
        if candidate is not None and tuple(candidate) <= bound:
            return tuple(candidate)  # type: ignore[return-value]
    earlier = [p for p in (reporting_rules.parse_period(code) for code in stats.city_periods(user=user, limit=36))
               if tuple(p) <= bound]
    return tuple(earlier[0]) if earlier else bound  # type: ignore[return-value]





def stat_periods(*, user: Principal, limit: int = 24) -> list[str]:
    """Months with the city's official statistics, newest first (for the period picker)."""
    _require_reader(user)
    return stats.city_periods(user=user, limit=limit)


# ---------------------------------------------------------------------------
# Key-project figures (二(二)5), kept


def _data_version() -> int:
    """The newest audit entry's id (one index look-up). Every write to projects, approval items and monthly
    reports is audited (DESIGN §4.3), so any change to the key-project figures changes this number."""
    return audit.newest_entry_id(user=policy.SYSTEM)


def key_section(*, user: Principal, year: int, month: int, unit: Org | None = None, limit: int = 10,
                version: int | None = None) -> tuple[KeyFigures, list[dict[str, Any]]]:
    """The key-project figures and the worst lagging key projects of the city (``unit`` None) or a unit.

    They aggregate the project library and the raw monthly rows, so they are kept (Django's cache)
    under the plan's hash, the period, the unit and the data version (the newest audit entry):
    computed once after each change, read from memory otherwise (DESIGN §8: the cockpit does not
    re-aggregate the monthly rows on every request). Scope: the city's (with its project names) for
    the city-wide roles, a unit's for whoever may see that unit (the reporting selectors ask).
    """
    if unit is None:
        policy.require(user, "read_city_wide", message=REFUSAL)
    else:
        policy.require(user, "view_unit", unit, message=REFUSAL)
    return kept(f"key:{unit.code if unit else CITY_CODE}:{limit}", year=year, month=month,
                version=_data_version() if version is None else version,
                compute=lambda: (reporting.key_figures(user=user, year=year, month=month, unit=unit),
                                 reporting.lagging_from_summary(user=user, year=year, month=month, unit=unit,
                                                                limit=limit)))


# ---------------------------------------------------------------------------
# Rankings, trends, map


def ranking(*, user: Principal, year: int, month: int, indicator: str) -> dict[str, Any]:
    """One indicator of the plan: its name, the units' default target and every unit's value and rank
    (aggregates: every reader of the cockpit sees them)."""
    _require_reader(user)
    plan = plan_of_month(year, month)
    spec = next(i for i in plan.indicators if i.code == indicator)
    rows = assessment.unit_growth_ranking(user=user, year=year, month=month, indicator=indicator)
    target_name = stats.default_target_name(plan, indicator)
    target = plan.target(target_name) if target_name else None
    return {
        "indicator": indicator,
        "name": spec.name,
        "target": _num(target),
        "rows": [{"org": r["org"], "name": r["name"], "short": r.get("short_name") or r["name"],
                  "value": _num(r.get("value")), "rank": r.get("rank"),
                  "ytd_wan": _num(r.get("ytd_wan"))} for r in rows],
    }


def rankings(*, user: Principal, year: int, month: int) -> dict[str, dict[str, Any]]:
    """Every indicator's ranking (see :func:`ranking`), in the plan's order."""
    _require_reader(user)
    return {i.code: ranking(user=user, year=year, month=month, indicator=i.code) for i in plan_of_month(year, month).indicators}


def lagging_units(*, user: Principal, ranking: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """Units whose growth is below their own target (二(一)1; the city's edit over the plan's default),
    furthest behind first."""
    _require_reader(user)
    indicator = ranking.get("indicator") or plan_for(year).rules.escalation.indicator
    targets = stats.unit_growth_targets(year=year, indicators=[indicator])
    out = []
    for row in ranking.get("rows", []):
        target = targets.get((row["org"], indicator))
        value = row.get("value")
        if value is None or target is None:
            continue
        if Decimal(str(value)) < target.value:
            gap = Decimal(str(value)) - target.value
            out.append({**row, "target": _num(target.value), "gap": _num(gap), "value_display": growth_display(value),
                        "target_display": growth_display(target.value), "gap_display": growth_display(gap)})
    return sorted(out, key=lambda r: (r["gap"], r["org"]))


# ---------------------------------------------------------------------------
# The whole page


@dataclass
class Cockpit:
    year: int
    month: int
    period: str
    time_progress: Decimal
    unit: Org | None
    growth_cards: list[Card]
    key_cards: list[Card]
    rankings: dict[str, Any]
    trend: dict[str, Any]
    map_units: list[dict[str, Any]]
    lagging_units: list[dict[str, Any]]
    lagging_projects: list[dict[str, Any]]
    lagging_project_count: int
    escalations: list[dict[str, Any]]
    ranking_rows: list[dict[str, Any]] = field(default_factory=list)
    forecast: list[dict[str, Any]] = field(default_factory=list)
    own_rank: dict[str, Any] | None = None
    unit_count: int = 0
    chart_data: dict[str, Any] = field(default_factory=dict)


def cockpit(*, user: Principal, year: int, month: int) -> Cockpit:
    """Everything the cockpit page shows, for the city or (for a unit user) the user's unit."""
    _require_reader(user)
    plan = plan_of_month(year, month)
    unit = policy.unit_scope(user)  # city-wide or one's own unit: the policy decides
    version = _data_version()

    def statistics() -> dict[str, Any]:
        """The units' aggregates every role sees alike (official statistics)."""
        ranks = rankings(user=user, year=year, month=month)
        fai = ranks.get(plan.rules.escalation.indicator) or next(iter(ranks.values()), {"rows": []})
        return {
            "ranks": ranks, "fai": fai, "map_units": map_units(fai, plan=plan), "lagging_units": lagging_units(user=user, ranking=fai, year=year),
            "ranking_rows": [{**row, "value_display": growth_display(row.get("value"))} for row in fai.get("rows", [])],
            "escalations": [{**row, "value_display": growth_display(row.get("value"))}
                            for row in assessment.escalation_list(user=user, year=year, month=month)],
        }

    shared = kept("statistics", year=year, month=month, version=version, compute=statistics)
    ranks, fai, escalations = shared["ranks"], shared["fai"], shared["escalations"]
    if unit is None:
        city = kept("city", year=year, month=month, version=version,
                    compute=lambda: (assessment.city_figures(user=user, year=year, month=month),
                                     stats.growth_trend(user=user, org_code=CITY_CODE, year=year, month=month)))
        figures, trend_data = city
        cards = growth_cards(figures, plan=plan)
        key, lagging = key_section(user=user, year=year, month=month, version=version)
        key_cards = city_key_cards(key, month=month, plan=plan)
        own = None
    else:
        unit_rows = {code: next((r for r in data["rows"] if r["org"] == unit.code), {})
                     for code, data in ranks.items()}
        figures = stats.unit_month_figures(user=user, unit=unit, year=year, month=month)
        targets = unit_targets(user=user, unit=unit, year=year)
        cards = growth_cards(figures, plan=plan, targets=targets)
        key, lagging = key_section(user=user, year=year, month=month, unit=unit, version=version)
        key_cards = unit_key_cards(key, month=month, plan=plan)
        trend_data = stats.growth_trend(user=user, org_code=unit.code, year=year, month=month)
        own = {"fai": unit_rows.get(plan.rules.escalation.indicator) or {},
               "by_indicator": {code: {**row, "indicator_name": ranks[code]["name"],
                                       "value_display": growth_display(row.get("value"))}
                                for code, row in unit_rows.items()},
               "escalation": next((e for e in escalations if e.get("org") == unit.code), None)}
        escalations = [e for e in escalations if e.get("org") == unit.code]
    result = Cockpit(
        year=year, month=month, period=reporting_rules.period_code(year, month),
        time_progress=reporting_rules.time_progress(month), unit=unit, growth_cards=cards, key_cards=key_cards,
        rankings=ranks, trend=trend_data, map_units=shared["map_units"], lagging_units=shared["lagging_units"],
        lagging_projects=lagging, lagging_project_count=key.lagging_projects, escalations=escalations,
        own_rank=own, unit_count=len(plan.units), ranking_rows=shared["ranking_rows"],
        forecast=likely_misses(user=user, year=year, month=month, unit=unit, version=version),
    )
    result.chart_data = {
        "period": result.period,
        "unit": unit.code if unit else None,
        "rankings": ranks,
        "default_indicator": plan.rules.escalation.indicator,
        "trend": trend_data,
        "map": {"units": shared["map_units"], "indicator": fai.get("name", ""), "target": fai.get("target")},
    }
    return result


def likely_misses(*, user: Principal, year: int, month: int, unit: Org | None = None,
                  version: int | None = None) -> list[dict[str, Any]]:
    """Units whose projected year-end FAI growth is below target (beyond the seed, DESIGN §5 "Forecast"),
    furthest behind first; a unit user sees its own row only."""
    _require_reader(user)
    # Kept like the key-project figures: official statistics change only by audited imports.
    rows = kept("forecast", year=year, month=month, version=_data_version() if version is None else version,
                compute=lambda: [row for row in assessment.forecast_rows(user=user, year=year, month=month)
                                 if row.get("likely_miss")])
    if unit is not None:
        rows = [row for row in rows if row["org"] == unit.code]
    return [{**row, "projected_display": growth_display(row.get("projected_growth")),
             "target_display": growth_display(row.get("target")),
             "needed_display": wan_display(row.get("needed_per_month_wan"))} for row in rows]


def unit_targets(*, user: Principal, unit: Org, year: int) -> dict[str, Decimal]:
    """A unit's growth target per indicator: the city's edit (UnitTarget) over the plan's default."""
    _require_reader(user)
    return {indicator: target.value for (code, indicator), target in stats.unit_growth_targets(year=year).items()
            if code == unit.code}


