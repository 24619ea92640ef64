"""What monitoring and assessment read from the plan file (no rows): its units and indicators."""

from __future__ import annotations

from dataclasses import dataclass

from tuijin.plan import (
    Plan,
    current_plan,
    plan_for,
    plan_for_quarter,
    plan_of_month,
    plan_years,
)
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.periods import quarter_code


def month_plan(year: int, month: int) -> Plan:
    """The plan a month's rankings and escalations read (groups, rules): the month's own year's plan; a
    year without a plan file (a baseline year such as 2021, figures only) reads the nearest earlier
    plan's (else the first plan's). ``month`` 0: the year before any month has figures (its base plan)."""
    if not month:
        return plan_for(year) if year in plan_years() else plan_of_month(year, 1)
    return plan_of_month(year, month)


def quarter_plan(year: int, quarter: int) -> Plan:
    """The plan governing a quarter's evaluation: its own year's plan, amended as of the quarter's end; a
    year without a plan is refused (404 naming the years that have one): its awards cannot be computed."""
    return plan_for_quarter(quarter_code(year, quarter))


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    short_name: str
    order: int


def units(plan: Plan | None = None) -> list[UnitInfo]:
    """The reporting units in the plan's order (names from the plan, which the Org table mirrors)."""
    plan = plan or current_plan()
    return [UnitInfo(u.code, u.name, u.short_name, i) for i, u in enumerate(plan.units)]


def indicator_choices(plan: Plan | None = None) -> list[tuple[str, str]]:
    plan = plan or current_plan()
    return [(item.code, item.name) for item in plan.indicators]


def check_indicator(indicator: object, plan: Plan | None = None) -> str:
    plan = plan or current_plan()
    codes = [item.code for item in plan.indicators]
    text = str(indicator if indicator is not None else "").strip()
    if text not in codes:
        names = "、".join(f"{code}（{name}）" for code, name in indicator_choices(plan))
        raise ValidationFailed(f"指标应为以下之一：{names}，实际为“{text}”", field="indicator")
    return text
