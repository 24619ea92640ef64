"""What monitoring and assessment read from the plan file (no rows): its units and indicators."""

from __future__ import annotations

from dataclasses import dataclass

from tuijin.plan import Plan, active_plan
from tuijin.toolkit.errors import ValidationFailed


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    short_name: str
    order: int


def units(plan: Plan | None = None) -> list[UnitInfo]:
    """The reporting units in the plan's order (names from the plan, which the Org table mirrors)."""
    plan = plan or active_plan()
    return [UnitInfo(u.code, u.name, u.short_name, i) for i, u in enumerate(plan.units)]


def indicator_choices(plan: Plan | None = None) -> list[tuple[str, str]]:
    plan = plan or active_plan()
    return [(item.code, item.name) for item in plan.indicators]


def check_indicator(indicator: object, plan: Plan | None = None) -> str:
    plan = plan or active_plan()
    codes = [item.code for item in plan.indicators]
    text = str(indicator if indicator is not None else "").strip()
    if text not in codes:
        names = "、".join(f"{code}（{name}）" for code, name in indicator_choices(plan))
        raise ValidationFailed(f"指标应为以下之一：{names}，实际为“{text}”", field="indicator")
    return text
