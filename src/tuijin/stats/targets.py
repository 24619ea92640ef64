"""Annual growth targets per reporting unit and indicator (二(一)1 分解落实投资任务).

A unit's target for an indicator is the plan's default unless the city (市发展改革委) set
another for the year in :class:`~tuijin.stats.models.UnitTarget`:

* the plan's default is the unit variant of the indicator's growth target when the plan has
  one (``fai`` → ``unit_fai_growth``, "各区县（市）固定资产投资同比增长 10%以上", with the
  plan's ``unit_overrides``), else the indicator's own growth target (``industrial`` →
  ``industrial_growth`` 15%): ``plan.target(name, unit=…)``;
* the city's override is a row of ``UnitTarget`` (one per unit, indicator and year), written
  and removed only through :func:`unit_target_set` / :func:`unit_target_clear`, audited.

Readers (assessment, cockpit, bulletins) call :func:`unit_growth_targets` once for all units
(one query) or :func:`unit_growth_target` for one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.plan import Plan, current_plan, plan_for, plan_years
from tuijin.toolkit import clock
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed

from .models import UnitTarget

__all__ = [
    "GrowthTarget",
    "MAX_TARGET",
    "MIN_TARGET",
    "default_target_name",
    "plan_growth_target",
    "target_indicators",
    "unit_growth_target",
    "unit_growth_targets",
    "unit_target_clear",
    "unit_target_set",
]

PLAN, CITY = "plan", "city"
SOURCE_LABELS = {PLAN: "方案默认", CITY: "市级调整"}
#: Growth targets are percentages; a unit's may be set from -100 % (none left) to 100 % (doubling).
MIN_TARGET, MAX_TARGET = Decimal(-100), Decimal(100)
TARGET_QUANT = Decimal("0.01")


@dataclass(frozen=True)
class GrowthTarget:
    """A unit's growth target (percent) for one indicator and year, and where it comes from."""

    org: str
    indicator: str
    year: int
    value: Decimal
    source: str  # "plan" | "city"
    plan_value: Decimal
    note: str = ""
    set_by: str = ""
    updated_at: dt.datetime | None = None

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def overridden(self) -> bool:
        return self.source == CITY


def year_plan(year: int) -> Plan | None:
    """The plan of ``year``, or None for a year without one (a baseline year such as 2021: figures, no targets)."""
    return plan_for(year) if year in plan_years() else None


def indicator_names(plan: Plan | None = None) -> dict[str, str]:
    """The plan's indicators in order (the current plan's by default): code → Chinese name."""
    return {i.code: i.name for i in (plan or current_plan()).indicators}


def target_indicators(plan: Plan | None = None) -> list[str]:
    """The plan's indicators that have a growth target (the ones a unit can be given a target for)."""
    plan = plan or current_plan()
    return [indicator.code for indicator in plan.indicators if indicator.growth_target]


def default_target_name(plan: Plan, indicator: str) -> str | None:
    """The plan target a unit's growth in ``indicator`` is measured against by default.

    ``fai`` → ``unit_fai_growth`` (the unit variant, when the plan has one), ``industrial`` →
    ``industrial_growth``; None for an unknown indicator or one without a growth target.
    """
    for item in plan.indicators:
        if item.code == indicator:
            if item.growth_target is None:
                return None
            unit_variant = f"unit_{item.growth_target}"
            return unit_variant if unit_variant in plan.targets else item.growth_target
    return None


def plan_growth_target(*, indicator: str, unit: str | None = None, plan: Plan | None = None) -> Decimal | None:
    """The plan's default growth target (percent) of ``indicator``: for ``unit`` when given.

    ``plan_growth_target(indicator="fai", unit="jinshui")`` → ``plan.target("unit_fai_growth",
    unit="jinshui")`` (二(一)1); without a unit, the city's target (``fai_growth``, 一). None for an
    indicator without a growth target. The current plan's unless ``plan`` is given.
    """
    plan = plan or current_plan()
    if unit is None:
        for item in plan.indicators:
            if item.code == indicator and item.growth_target:
                return plan.target(item.growth_target)
        return None
    name = default_target_name(plan, indicator)
    return None if name is None else plan.target(name, unit=unit)


def unit_growth_targets(*, year: int, indicators: list[str] | None = None,
                        plan: Plan | None = None) -> dict[tuple[str, str], GrowthTarget]:
    """Every reporting unit's target for each indicator in ``year`` (under that year's plan unless ``plan`` is
    given): (unit code, indicator) → target. One query."""
    plan = plan or plan_for(year)
    codes = [code for code in (indicators or target_indicators(plan)) if default_target_name(plan, code)]
    overrides = {
        (row.org.code, row.indicator): row
        for row in UnitTarget.objects.filter(year=year, indicator__in=codes).select_related("org", "set_by")
    }
    result: dict[tuple[str, str], GrowthTarget] = {}
    for unit in plan.units:
        for code in codes:
            default = plan_growth_target(indicator=code, unit=unit.code, plan=plan)
            assert default is not None  # codes are filtered to indicators with a target
            row = overrides.get((unit.code, code))
            if row is None:
                result[unit.code, code] = GrowthTarget(unit.code, code, year, default, PLAN, default)
            else:
                result[unit.code, code] = GrowthTarget(
                    unit.code, code, year, Decimal(row.growth_target), CITY, default, row.note,
                    row.set_by.username if row.set_by else "", row.updated_at,
                )
    return result


def unit_growth_target(*, unit: str, indicator: str, year: int, plan: Plan | None = None) -> GrowthTarget:
    """One unit's target in ``year``; NotFound for a unit or indicator the year's plan does not know."""
    plan = plan or plan_for(year)
    _check_unit_and_indicator(plan, unit, indicator)
    return unit_growth_targets(year=year, indicators=[indicator], plan=plan)[unit, indicator]


# --- writes --------------------------------------------------------------------------------------


def _check_unit_and_indicator(plan: Plan, unit: str, indicator: str) -> None:
    if unit not in plan.unit_codes():
        raise NotFound(f"报送单位“{unit}”不存在", field="unit")
    if default_target_name(plan, indicator) is None:
        names = "、".join(f"{code}（{plan.indicator_name(code)}）" for code in target_indicators(plan))
        raise ValidationFailed(f"指标应为以下之一：{names}，实际为“{indicator}”", field="indicator")


def _writer_plan(actor: User | None, year: int) -> Plan:
    """The plan of the year whose targets are being set: only a year with a plan file has targets."""
    if actor is not None and not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委可以调整各单位的年度目标")
    years = plan_years()
    if year not in years:
        listed = "、".join(f"{y}年" for y in years)
        raise ValidationFailed(f"只能调整有方案的方案年度（{listed}）的目标，实际为{year}年", field="year")
    return plan_for(year)


def _parse_target(value: object) -> Decimal:
    text = str(value if value is not None else "").strip().rstrip("%％").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"增长目标应为数字（百分比），实际为“{text}”", field="growth_target") from None
    if not number.is_finite() or not MIN_TARGET <= number <= MAX_TARGET:
        raise ValidationFailed(f"增长目标应在 {MIN_TARGET}% 至 {MAX_TARGET}% 之间，实际为 {text}%",
                               field="growth_target")
    if number != number.quantize(TARGET_QUANT):
        raise ValidationFailed("增长目标最多保留2位小数", field="growth_target")
    return number.quantize(TARGET_QUANT)


def unit_target_set(*, actor: User | None, unit: str, indicator: str, year: int, growth_target: object,
                    note: str = "") -> UnitTarget:
    """Set a unit's growth target for the year (二(一)1, the city decomposes the targets). Audited.

    Only the city administrator (``actor`` None: a CLI command or the system); the value is a
    percentage from -100 to 100 with at most 2 decimals. Setting the plan's default again keeps
    the row (an explicit decision), so the page shows it as the city's.
    """
    plan = _writer_plan(actor, year)
    _check_unit_and_indicator(plan, unit, indicator)
    value = _parse_target(growth_target)
    note = str(note or "").strip()
    if len(note) > 200:
        raise ValidationFailed("说明最多200字", field="note")
    org = Org.objects.reporting_units().filter(code=unit).first()
    if org is None:
        raise NotFound(f"报送单位“{unit}”不存在", field="unit")
    with transaction.atomic():
        row = UnitTarget.objects.select_for_update().filter(org=org, indicator=indicator, year=year).first()
        if row is not None and row.growth_target == value and row.note == note:
            return row
        row = row or UnitTarget(org=org, indicator=indicator, year=year)
        row.growth_target = value
        row.note = note
        row.set_by = actor
        row.updated_at = clock.real_now()
        row.full_clean()
        with audit.reason(f"调整{org.name}{year}年{plan.indicator_name(indicator)}增长目标"):
            row.save()
    return row


def unit_target_clear(*, actor: User | None, unit: str, indicator: str, year: int) -> bool:
    """Remove the city's override: the unit's target is the plan's default again. Audited; False if none."""
    plan = _writer_plan(actor, year)
    _check_unit_and_indicator(plan, unit, indicator)
    with transaction.atomic():
        row = (UnitTarget.objects.select_for_update().select_related("org")
               .filter(org__code=unit, indicator=indicator, year=year).first())
        if row is None:
            return False
        with audit.reason(f"{row.org.name}{year}年{plan.indicator_name(indicator)}增长目标恢复为方案默认值"):
            row.delete()
    return True
