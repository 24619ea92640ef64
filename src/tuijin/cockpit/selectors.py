"""Reads of the cockpit (驾驶舱, DESIGN §6): targets vs actuals, rankings, trends, map, lagging and escalation.

Growth figures, rankings and escalations come from the assessment selectors (official statistics,
DESIGN §4.6); the key-project figures (二(二)5) from the reporting selectors (the project library and
the approved monthly reports), the trends and a unit's figures from the statistics selectors. The
cockpit queries no model itself: it composes, keeps and formats. Every target comes from the plan
file by name; no figure is written here.

Scope (DESIGN §4.2): city-wide roles see the whole city; a reporting unit sees its own figures and
project names, and of the other units only aggregates (growth values and ranks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache

from tuijin.assessment import selectors as assessment
from tuijin.audit import selectors as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.plan import active_plan
from tuijin.reporting import rules as reporting_rules
from tuijin.reporting import selectors as reporting
from tuijin.reporting.selectors import KeyFigures
from tuijin.stats import selectors as stats
from tuijin.toolkit.money import YUAN_PER_YI

CITY_CODE = stats.CITY_CODE

# Card statuses and their Chinese labels. Growth cards: met / below / falling; amount cards
# follow the reporting rule (ahead / normal / lagging against time progress, 序时进度).
MET, BELOW, FALLING, NO_DATA = "met", "below", "falling", "no_data"
STATUS_LABELS = {
    MET: "达到目标", BELOW: "低于目标", FALLING: "负增长", NO_DATA: "暂无数据",
    reporting_rules.AHEAD: "超序时进度", reporting_rules.NORMAL: "符合序时进度",
    reporting_rules.LAGGING: "落后序时进度",
}
STATUS_COLOURS = {MET: "ahead", reporting_rules.AHEAD: "ahead", reporting_rules.NORMAL: "normal",
                  BELOW: "warn", reporting_rules.LAGGING: "lagging", FALLING: "lagging", NO_DATA: "none"}
UNIT_LABELS = {"percent": "%", "count": "个", "yi": "亿元", "wan": "万元"}
TWO = Decimal("0.01")
ONE = Decimal("0.1")


def _q(value: Decimal | None, quant: Decimal = TWO) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(quant, rounding=ROUND_HALF_UP)


def _plain(value: Decimal | None, quant: Decimal = TWO) -> str:
    """A figure as shown: '12.35', '4,670', '—' for none."""
    if value is None:
        return "—"
    value = _q(value, quant)
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def growth_display(value: Any) -> str:
    """A growth figure for the page: '12.3', '-2.0', '—'."""
    return "—" if value is None else f"{_q(Decimal(str(value)), ONE)}"


def wan_display(value: Any) -> str:
    """An amount in 万元 with thousands separators: '928,795.00'."""
    return "—" if value is None else f"{Decimal(str(value)):,.2f}"


# ---------------------------------------------------------------------------
# The period shown


def latest_stat_period() -> tuple[int, int] | None:
    """The latest month with official statistics (city or any unit), or None."""
    return stats.latest_statistics_month()


def latest_approved_period() -> tuple[int, int] | None:
    """The latest month with a project-based summary (an approved period), or None."""
    return reporting.latest_approved_period()


def cockpit_period(requested: str | None = None) -> tuple[int, int]:
    """The month the cockpit shows: ``requested`` (YYYY-MM) if valid, else the latest with official
    statistics, else the latest approved, else the plan year's January."""
    if requested:
        try:
            return reporting_rules.parse_period(requested)
        except ValueError:
            pass
    return latest_stat_period() or latest_approved_period() or (active_plan().meta.year, 1)


def stat_periods(limit: int = 24) -> list[str]:
    """Months with the city's official statistics, newest first (for the period picker)."""
    return stats.city_periods(limit)


# ---------------------------------------------------------------------------
# Key-project figures (二(二)5), kept


#: How long computed key-project figures are kept at most (seconds); any audited write renews them sooner.
KEY_FIGURES_SECONDS = 600


def data_version() -> int:
    """The newest audit entry's id (one index look-up). Every write to projects, approval items and monthly
    reports is audited (DESIGN §4.3), so any change to the key-project figures changes this number."""
    return audit.newest_entry_id(user=policy.SYSTEM)


def kept(name: str, *, year: int, month: int, version: int, compute: Any) -> Any:
    """``compute()``, kept in Django's cache under the plan's hash, the period, ``name`` and the data
    version (:func:`data_version`): recomputed after any audited write, read from memory otherwise."""
    key = f"cockpit:{name}:{active_plan().hash[:16]}:{year}-{month:02d}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEY_FIGURES_SECONDS)
    return value


def key_section(*, year: int, month: int, unit: Org | None = None, limit: int = 10,
                version: int | None = None) -> tuple[KeyFigures, list[dict[str, Any]]]:
    """The key-project figures and the worst lagging key projects of the city (``unit`` None) or a unit.

    They aggregate the project library and the raw monthly rows, so they are kept (Django's cache)
    under the plan's hash, the period, the unit and :func:`data_version`: computed once after each
    change, read from memory otherwise (DESIGN §8: the cockpit does not re-aggregate the monthly rows
    on every request). Scope: the caller passes the user's own unit for a reporting-unit user.
    """
    return kept(f"key:{unit.code if unit else CITY_CODE}:{limit}", year=year, month=month,
                version=data_version() if version is None else version,
                compute=lambda: (reporting.key_figures(year=year, month=month, unit=unit),
                                 reporting.lagging_from_summary(year=year, month=month, unit=unit, limit=limit)))


# ---------------------------------------------------------------------------
# Cards


@dataclass
class Card:
    code: str
    label: str
    actual: Decimal | None
    target: Decimal | None
    unit_label: str
    status: str
    source: str = ""
    kind: str = "amount"  # growth | amount | count
    rate: Decimal | None = None  # completion of the target, percent
    time_progress: Decimal | None = None
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "none")

    @property
    def actual_display(self) -> str:
        return _plain(self.actual, ONE if self.kind == "growth" else TWO)

    @property
    def target_display(self) -> str:
        return _plain(self.target)

    @property
    def rate_display(self) -> str:
        return _plain(self.rate, ONE)

    @property
    def bar_width(self) -> int:
        """The progress bar's width in percent (0–100)."""
        if self.rate is None:
            return 0
        return int(max(Decimal(0), min(Decimal(100), self.rate)))

    @property
    def gap_display(self) -> str:
        """Actual minus target, signed ('+2.3', '-1.5'), for growth cards."""
        if self.actual is None or self.target is None:
            return "—"
        gap = _q(self.actual - self.target, ONE)
        return f"+{gap}" if gap > 0 else f"{gap}"

    @property
    def time_progress_display(self) -> str:
        return _plain(self.time_progress, ONE)


def growth_status(actual: Decimal | None, target: Decimal | None) -> str:
    """A growth figure against its target: met, below target, or falling (negative growth)."""
    if actual is None:
        return NO_DATA
    if target is not None and actual >= target:
        return MET
    return FALLING if actual < 0 else BELOW


def amount_status(actual: Decimal | None, target: Decimal | None, time_progress: Decimal,
                  margin: Decimal) -> tuple[str, Decimal | None]:
    """Completion of a cumulative target against time progress (the reporting rule's statuses)."""
    if actual is None or not target:
        return NO_DATA, None
    rate = (Decimal(actual) * 100 / Decimal(target)).quantize(TWO)
    if rate < time_progress:
        return reporting_rules.LAGGING, rate
    if rate >= time_progress + margin:
        return reporting_rules.AHEAD, rate
    return reporting_rules.NORMAL, rate


def _yi(amount_yuan: int) -> Decimal:
    return (Decimal(amount_yuan) / YUAN_PER_YI).quantize(TWO)


def _target_in(name: str, value: Decimal, unit: str) -> Decimal:
    """A plan target in the unit its card shows (亿元 for money)."""
    if unit == "wan":
        return (value / 10_000).quantize(TWO)
    return value


def growth_cards(figures: dict[str, dict[str, Any]], *, targets: dict[str, Decimal] | None = None) -> list[Card]:
    """One card per indicator of the plan: year-on-year growth against its growth target."""
    plan = active_plan()
    cards = []
    for indicator in plan.indicators:
        row = figures.get(indicator.code) or {}
        target = (targets or {}).get(indicator.code)
        if target is None:
            target = row.get("target")
        if target is None and indicator.growth_target:
            target = plan.target(indicator.growth_target)
        actual = row.get("yoy_growth")
        actual = None if actual is None else Decimal(actual)
        source = plan.targets[indicator.growth_target].source if indicator.growth_target else ""
        ytd = row.get("ytd_wan")
        note = f"本年累计 {_plain(Decimal(ytd) / 10_000)} 亿元" if ytd is not None else ""
        cards.append(Card(code=indicator.code, label=f"{indicator.name}增速", actual=actual,
                          target=None if target is None else Decimal(target), unit_label="%", kind="growth",
                          status=growth_status(actual, None if target is None else Decimal(target)),
                          source=source, note=note))
    return cards


def _card(name: str, actual: Decimal | None, tp: Decimal | None, margin: Decimal, *, label: str | None = None,
          target: Decimal | None = None, note: str = "", unit_label: str | None = None) -> Card | None:
    """A card for plan target ``name`` (skipped when the plan has no such target)."""
    plan = active_plan()
    spec = plan.targets.get(name)
    if spec is None and target is None:
        return None
    if target is None:
        target = _target_in(name, spec.value, spec.unit)
    unit = unit_label or (UNIT_LABELS["yi"] if spec and spec.unit in ("yi", "wan") else
                          UNIT_LABELS[spec.unit] if spec else "")
    kind = "count" if spec is not None and spec.unit == "count" else "amount"
    if tp is None:
        status, rate = amount_status(actual, target, Decimal(100), Decimal(0))
        status = {reporting_rules.LAGGING: BELOW, reporting_rules.NORMAL: MET,
                  reporting_rules.AHEAD: MET}.get(status, status)
    else:
        status, rate = amount_status(actual, target, tp, margin)
    return Card(code=name, label=label or (spec.label if spec else name), actual=actual, target=target,
                unit_label=unit, status=status, source=spec.source if spec else "", kind=kind, rate=rate,
                time_progress=tp, note=note)


def city_key_cards(figures: KeyFigures, *, month: int) -> list[Card]:
    """Cards of the key-project targets (二(二)5) for the city, each against time progress."""
    plan = active_plan()
    margin = Decimal(str(plan.rules.reporting_calendar.ahead_margin_points))
    tp = reporting_rules.time_progress(month)
    q1_tp = (Decimal(min(month, 3)) * 100 / 3).quantize(TWO)
    cards = [
        _card("key_project_investment", _yi(figures.investment_yuan), tp, margin,
              note=f"省市重点项目 {figures.key_projects} 个"),
        _card("q1_investment", _yi(figures.q1_investment_yuan), q1_tp, margin,
              note="一季度末累计" if month >= 3 else "截至本月累计"),
        _card("new_starts", Decimal(figures.new_starts), tp, margin, note=f"年内计划开工 {figures.planned_starts} 个"),
        _card("approval_items", Decimal(figures.approvals_done), tp, margin,
              note=f"尚未办结 {figures.approvals_open} 项"),
        _card("key_projects", Decimal(figures.key_projects), None, margin),
        _card("shortfall_982_investment", _yi(figures.shortfall_982_investment_yuan), tp, margin),
    ]
    return [card for card in cards if card is not None]


def unit_key_cards(figures: KeyFigures, *, month: int) -> list[Card]:
    """A unit's key-project cards: against its own key projects' annual plans and planned starts."""
    plan = active_plan()
    margin = Decimal(str(plan.rules.reporting_calendar.ahead_margin_points))
    tp = reporting_rules.time_progress(month)
    cards = [
        _card("key_project_investment", _yi(figures.investment_yuan), tp, margin, label="重点项目完成投资",
              target=_yi(figures.annual_plan_yuan), unit_label="亿元",
              note=f"本单位省市重点项目 {figures.key_projects} 个，目标为年度计划投资"),
        _card("new_starts", Decimal(figures.new_starts), tp, margin, label="重点项目新开工",
              target=Decimal(figures.planned_starts), unit_label="个", note="目标为年内计划开工项目数"),
        _card("approval_items", Decimal(figures.approvals_done), tp, margin, label="完成联审联批事项",
              target=Decimal(figures.approvals_done + figures.approvals_open), unit_label="项",
              note=f"尚未办结 {figures.approvals_open} 项"),
    ]
    return [card for card in cards if card is not None]


# ---------------------------------------------------------------------------
# Rankings, trends, map


def ranking(*, year: int, month: int, indicator: str) -> dict[str, Any]:
    """One indicator of the plan: its name, the units' default target and every unit's value and rank."""
    plan = active_plan()
    spec = next(i for i in plan.indicators if i.code == indicator)
    rows = assessment.unit_growth_ranking(year=year, month=month, indicator=indicator)
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


def rankings(*, year: int, month: int) -> dict[str, dict[str, Any]]:
    """Every indicator's ranking (see :func:`ranking`), in the plan's order."""
    return {i.code: ranking(year=year, month=month, indicator=i.code) for i in active_plan().indicators}


def _num(value: Any) -> float | None:
    """A JSON number (ECharts takes floats), rounded to 2 decimals."""
    if value is None:
        return None
    return float(_q(Decimal(value)))


def map_units(ranking: dict[str, Any]) -> list[dict[str, Any]]:
    """The 16 units for the map: polygon name (districts), marker position (zones), growth and rank."""
    plan = active_plan()
    by_org = {row["org"]: row for row in ranking.get("rows", [])}
    out = []
    for unit in plan.units:
        row = by_org.get(unit.code, {})
        out.append({"code": unit.code, "name": unit.name, "short": unit.short_name, "kind": unit.kind,
                    "centre": list(unit.centre), "value": row.get("value"), "rank": row.get("rank"),
                    "value_display": growth_display(row.get("value"))})
    return out


def lagging_units(ranking: dict[str, Any], *, year: int) -> list[dict[str, Any]]:
    """Units whose growth is below their own target (二(一)1; the city's edit over the plan's default),
    furthest behind first."""
    indicator = ranking.get("indicator") or active_plan().rules.escalation.indicator
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


def jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (_num(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]


def cockpit(*, user: User, year: int, month: int) -> Cockpit:
    """Everything the cockpit page shows, for the city or (for a unit user) the user's unit."""
    plan = active_plan()
    unit = policy.unit_scope(user)  # city-wide or one's own unit: the policy decides
    version = data_version()

    def statistics() -> dict[str, Any]:
        """The units' aggregates every role sees alike (official statistics)."""
        ranks = rankings(year=year, month=month)
        fai = ranks.get(plan.rules.escalation.indicator) or next(iter(ranks.values()), {"rows": []})
        return {
            "ranks": ranks, "fai": fai, "map_units": map_units(fai), "lagging_units": lagging_units(fai, year=year),
            "ranking_rows": [{**row, "value_display": growth_display(row.get("value"))} for row in fai.get("rows", [])],
            "escalations": [{**row, "value_display": growth_display(row.get("value"))}
                            for row in assessment.escalation_list(year=year, month=month)],
        }

    shared = kept("statistics", year=year, month=month, version=version, compute=statistics)
    ranks, fai, escalations = shared["ranks"], shared["fai"], shared["escalations"]
    if unit is None:
        city = kept("city", year=year, month=month, version=version,
                    compute=lambda: (assessment.city_figures(year=year, month=month),
                                     stats.growth_trend(org_code=CITY_CODE, year=year, month=month)))
        figures, trend_data = city
        cards = growth_cards(figures)
        key, lagging = key_section(year=year, month=month, version=version)
        key_cards = city_key_cards(key, month=month)
        own = None
    else:
        unit_rows = {code: next((r for r in data["rows"] if r["org"] == unit.code), {})
                     for code, data in ranks.items()}
        figures = stats.unit_month_figures(unit=unit, year=year, month=month)
        targets = unit_targets(unit=unit, year=year)
        cards = growth_cards(figures, targets=targets)
        key, lagging = key_section(year=year, month=month, unit=unit, version=version)
        key_cards = unit_key_cards(key, month=month)
        trend_data = stats.growth_trend(org_code=unit.code, year=year, month=month)
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
        forecast=likely_misses(year=year, month=month, unit=unit, version=version),
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


def likely_misses(*, year: int, month: int, unit: Org | None = None,
                  version: int | None = None) -> list[dict[str, Any]]:
    """Units whose projected year-end FAI growth is below target (beyond the seed, DESIGN §5 "Forecast"),
    furthest behind first; a unit user sees its own row only."""
    # Kept like the key-project figures: official statistics change only by audited imports.
    rows = kept("forecast", year=year, month=month, version=data_version() if version is None else version,
                compute=lambda: [row for row in assessment.forecast_rows(year=year, month=month)
                                 if row.get("likely_miss")])
    if unit is not None:
        rows = [row for row in rows if row["org"] == unit.code]
    return [{**row, "projected_display": growth_display(row.get("projected_growth")),
             "target_display": growth_display(row.get("target")),
             "needed_display": wan_display(row.get("needed_per_month_wan"))} for row in rows]


def unit_targets(*, unit: Org, year: int) -> dict[str, Decimal]:
    """A unit's growth target per indicator: the city's edit (UnitTarget) over the plan's default."""
    return {indicator: target.value for (code, indicator), target in stats.unit_growth_targets(year=year).items()
            if code == unit.code}


def card_dicts(cards: list[Card]) -> list[dict[str, Any]]:
    """Cards as plain data (for JSON and tests)."""
    out = []
    for card in cards:
        data = asdict(card)
        data.update(status_label=card.status_label, colour=card.colour)
        out.append(data)
    return out
