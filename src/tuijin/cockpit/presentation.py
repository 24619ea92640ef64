"""Display helpers of the cockpit (驾驶舱): cards, statuses, figures as shown, JSON-ready rows.

Nothing here reads a row: the functions format what :mod:`tuijin.cockpit.selectors` returns, with
the targets and labels of the plan file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tuijin.plan import Plan
from tuijin.reporting import rules as reporting_rules
from tuijin.reporting.selectors import KeyFigures
from tuijin.toolkit.money import YUAN_PER_YI

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


def growth_cards(figures: dict[str, dict[str, Any]], *, plan: Plan,
                 targets: dict[str, Decimal] | None = None) -> list[Card]:
    """One card per indicator of the period's plan: year-on-year growth against its growth target."""
    cards = []
    for indicator in plan.indicators:
        row = figures.get(indicator.code) or {}
        target = (targets or {}).get(indicator.code)  # a unit's own (the city's edit over the plan)
        if target is None and indicator.growth_target:
            target = plan.target(indicator.growth_target)  # the period's plan, not whatever the figures carry
        if target is None:
            target = row.get("target")
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


def _card(plan: Plan, name: str, actual: Decimal | None, tp: Decimal | None, margin: Decimal, *,
          label: str | None = None, target: Decimal | None = None, note: str = "",
          unit_label: str | None = None) -> Card | None:
    """A card for plan target ``name`` (skipped when the plan has no such target)."""
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


def city_key_cards(figures: KeyFigures, *, month: int, plan: Plan) -> list[Card]:
    """Cards of the key-project targets (二(二)5) of the period's plan for the city, each against time progress."""
    margin = Decimal(str(plan.rules.reporting_calendar.ahead_margin_points))
    tp = reporting_rules.time_progress(month)
    q1_tp = (Decimal(min(month, 3)) * 100 / 3).quantize(TWO)
    cards = [
        _card(plan, "key_project_investment", _yi(figures.investment_yuan), tp, margin,
              note=f"省市重点项目 {figures.key_projects} 个"),
        _card(plan, "q1_investment", _yi(figures.q1_investment_yuan), q1_tp, margin,
              note="一季度末累计" if month >= 3 else "截至本月累计"),
        _card(plan, "new_starts", Decimal(figures.new_starts), tp, margin, note=f"年内计划开工 {figures.planned_starts} 个"),
        _card(plan, "approval_items", Decimal(figures.approvals_done), tp, margin,
              note=f"尚未办结 {figures.approvals_open} 项"),
        _card(plan, "key_projects", Decimal(figures.key_projects), None, margin),
        _card(plan, "shortfall_982_investment", _yi(figures.shortfall_982_investment_yuan), tp, margin),
    ]
    return [card for card in cards if card is not None]


def unit_key_cards(figures: KeyFigures, *, month: int, plan: Plan) -> list[Card]:
    """A unit's key-project cards: against its own key projects' annual plans and planned starts."""
    margin = Decimal(str(plan.rules.reporting_calendar.ahead_margin_points))
    tp = reporting_rules.time_progress(month)
    cards = [
        _card(plan, "key_project_investment", _yi(figures.investment_yuan), tp, margin, label="重点项目完成投资",
              target=_yi(figures.annual_plan_yuan), unit_label="亿元",
              note=f"本单位省市重点项目 {figures.key_projects} 个，目标为年度计划投资"),
        _card(plan, "new_starts", Decimal(figures.new_starts), tp, margin, label="重点项目新开工",
              target=Decimal(figures.planned_starts), unit_label="个", note="目标为年内计划开工项目数"),
        _card(plan, "approval_items", Decimal(figures.approvals_done), tp, margin, label="完成联审联批事项",
              target=Decimal(figures.approvals_done + figures.approvals_open), unit_label="项",
              note=f"尚未办结 {figures.approvals_open} 项"),
    ]
    return [card for card in cards if card is not None]


def _num(value: Any) -> float | None:
    """A JSON number (ECharts takes floats), rounded to 2 decimals."""
    if value is None:
        return None
    return float(_q(Decimal(value)))


def map_units(ranking: dict[str, Any], *, plan: Plan) -> list[dict[str, Any]]:
    """The plan's units for the map: polygon name (districts), marker position (zones), growth and rank."""
    by_org = {row["org"]: row for row in ranking.get("rows", [])}
    out = []
    for unit in plan.units:
        row = by_org.get(unit.code, {})
        out.append({"code": unit.code, "name": unit.name, "short": unit.short_name, "kind": unit.kind,
                    "centre": list(unit.centre), "value": row.get("value"), "rank": row.get("rank"),
                    "value_display": growth_display(row.get("value"))})
    return out


def jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (_num(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]


def card_dicts(cards: list[Card]) -> list[dict[str, Any]]:
    """Cards as plain data (for JSON and tests)."""
    out = []
    for card in cards:
        data = asdict(card)
        data.update(status_label=card.status_label, colour=card.colour)
        out.append(data)
    return out
