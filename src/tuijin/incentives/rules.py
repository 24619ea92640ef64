"""Incentive formulas (二(六)15–18, DESIGN §5): pure functions over the plan's rule objects.

No ORM and no plan numbers in code: the rule object (``plan.rules.interest_subsidy`` …) comes in
as an argument. Every result is a :class:`Quote`: eligible or not, the amount and the cap in 万元
(:class:`~decimal.Decimal`), the years (interest subsidy), the clause, and every reason the
amount was reduced or refused, in Chinese.

* :func:`interest_subsidy` — 制造业重大项目贴息, 二(六)16.
* :func:`equipment_award` — 工业投资项目设备投资奖励, 二(六)17 (and :func:`case_by_case`, 一事一议).
* :func:`reits_subsidy` — 基础设施REITs前期经费补助和发行奖励, 二(六)18.
* :func:`early_start` — 提前开工倾斜支持 (flag only; the amount is the city's), 二(六)15.
* :func:`first_year_window` — the months the interest subsidy's scan looks at.

The REITs pipeline's own rules (which list a project is on, which stage moves are allowed) are in
:mod:`tuijin.reits.rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal(100)
WAN_QUANT = Decimal("0.0001")  # 1 元 in 万元
ZERO = Decimal(0)

INTEREST_SUBSIDY = "interest_subsidy"
EQUIPMENT_AWARD = "equipment_award"
REITS_SUBSIDY = "reits_subsidy"
REITS_ISSUANCE = "reits_issuance"
EARLY_START = "early_start"
CASE_BY_CASE = "case_by_case"


def _wan(value: Decimal) -> Decimal:
    return Decimal(value).quantize(WAN_QUANT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | int) -> str:
    """A 万元 figure for a Chinese message: ``100000`` → "100000", ``1305.0000`` → "1305"."""
    d = Decimal(value)
    text = f"{d.normalize():f}" if d == d.to_integral_value() else f"{_wan(d).normalize():f}"
    return text


def yi(value: Decimal | int) -> str:
    """万元 → 亿元 for messages: 100000 → "10"."""
    return fmt(Decimal(value) / 10000)


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: whole amounts as integers."""
    if value is None:
        return None
    d = _wan(value)
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass(frozen=True)
class Quote:
    """The result of a rule: eligibility, amount, cap (万元), years, clause, reasons (Chinese)."""

    rule: str
    eligible: bool
    amount_wan: Decimal
    cap_wan: Decimal
    years: int | None
    clause: str
    reasons: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The pinned JSON shape: eligible, amount_wan, cap_wan, years, clause, reasons."""
        return {"eligible": self.eligible, "amount_wan": number(self.amount_wan), "cap_wan": number(self.cap_wan),
                "years": self.years, "clause": self.clause, "reasons": list(self.reasons)}


# --- 二(六)16 interest subsidy -----------------------------------------------------------------------------


def interest_subsidy(rule: Any, *, total_wan: Decimal, first_year_wan: Decimal, loan_wan: Decimal,
                     rate_percent: Decimal | None = None, manufacturing: bool = True) -> Quote:
    """制造业重大项目贴息 (二(六)16).

    Tiers from the plan (the higher tier wins): total ≥ 10亿 and first-year actual FAI ≥ 5亿 →
    1 year, cap 1,000万; total ≥ 20亿 and first-year ≥ 10亿 → 2 years, cap 4,000万. Amount =
    min(cap, loan principal × benchmark rate × 30% × years); the benchmark rate from the plan,
    overridable per application.
    """
    clause = rule.source
    rate = Decimal(rule.benchmark_rate_percent if rate_percent is None else rate_percent)
    share = Decimal(rule.subsidy_share_percent)
    reasons: list[str] = []
    details: dict[str, Any] = {"rate_percent": str(rate), "share_percent": str(share)}
    if rule.manufacturing_only and not manufacturing:
        reasons.append(f"非制造业项目：{clause}贴息仅适用于制造业重大项目")
        return Quote(INTEREST_SUBSIDY, False, ZERO, ZERO, None, clause, tuple(reasons), details)
    tier = rule.tier_for(total_wan=Decimal(total_wan), first_year_wan=Decimal(first_year_wan))
    if tier is None:
        lowest = rule.tiers[0]
        if total_wan < lowest.min_total_wan:
            reasons.append(f"总投资{fmt(total_wan)}万元，未达到{yi(lowest.min_total_wan)}亿元"
                           f"（{fmt(lowest.min_total_wan)}万元）")
        if first_year_wan < lowest.min_first_year_wan:
            reasons.append(f"开工后一年内实际固定资产投资{fmt(first_year_wan)}万元，低于{yi(lowest.min_first_year_wan)}亿元"
                           f"（{fmt(lowest.min_first_year_wan)}万元）")
        return Quote(INTEREST_SUBSIDY, False, ZERO, ZERO, None, clause, tuple(reasons), details)
    index = list(rule.tiers).index(tier)
    if index + 1 < len(rule.tiers):
        higher = rule.tiers[index + 1]
        missed = []
        if total_wan < higher.min_total_wan:
            missed.append(f"总投资未达到{yi(higher.min_total_wan)}亿元")
        if first_year_wan < higher.min_first_year_wan:
            missed.append(f"首年投资低于{yi(higher.min_first_year_wan)}亿元")
        reasons.append(f"{'、'.join(missed)}，按第{index + 1}档贴息{tier.years}年、最高{fmt(tier.cap_wan)}万元")
    raw = Decimal(loan_wan) * rate / HUNDRED * share / HUNDRED * tier.years
    cap = Decimal(tier.cap_wan)
    amount = _wan(min(cap, raw))
    details.update(tier=index + 1, formula_wan=str(_wan(raw)))
    if raw > cap:
        reasons.append(f"按贷款本金{fmt(loan_wan)}万元×基准利率{fmt(rate)}%×{fmt(share)}%×{tier.years}年计算为"
                       f"{fmt(_wan(raw))}万元，超过上限{fmt(cap)}万元，按上限计")
    if loan_wan == 0:
        reasons.append("贷款本金为0，贴息金额为0")
    return Quote(INTEREST_SUBSIDY, True, amount, cap, tier.years, clause, tuple(reasons), details)


# --- 二(六)17 equipment award ------------------------------------------------------------------------------

NATURE_NAMES = {"new": "新建", "expansion": "扩建", "renovation": "改建（技术改造）"}


def equipment_award(rule: Any, *, total_wan: Decimal, equipment_wan: Decimal, leading: bool = True,
                    nature: str = "new", producing: bool = True, category: str | None = None) -> Quote:
    """工业投资项目设备投资奖励 (二(六)17).

    New (新建) industrial projects with total ≥ 2,000万, once in production: 10% of the
    production and technical equipment investment for a leading industry, 5% for another,
    cap 1,000万 either way.
    """
    clause = rule.source
    reasons: list[str] = []
    if category is not None and category != rule.category:
        reasons.append(f"非工业项目：{clause}奖励仅适用于工业投资项目")
    if nature not in rule.natures:
        allowed = "、".join(NATURE_NAMES.get(n, n) for n in rule.natures)
        reasons.append(f"项目性质为{NATURE_NAMES.get(nature, nature)}，奖励仅适用于{allowed}项目")
    if total_wan < rule.min_total_wan:
        reasons.append(f"总投资{fmt(total_wan)}万元，未达到{fmt(rule.min_total_wan)}万元")
    if not producing:
        reasons.append("项目尚未完成投产，投产后方可奖励")
    if reasons:
        return Quote(EQUIPMENT_AWARD, False, ZERO, ZERO, None, clause, tuple(reasons))
    rate = Decimal(rule.rate_for(leading_industry=leading))
    raw = Decimal(equipment_wan) * rate / HUNDRED
    cap = Decimal(rule.cap_wan)
    amount = _wan(min(cap, raw))
    if not leading:
        reasons.append(f"非主导产业，按设备投资额的{fmt(rate)}%奖励")
    if raw > cap:
        reasons.append(f"设备投资{fmt(equipment_wan)}万元×{fmt(rate)}%为{fmt(_wan(raw))}万元，超过上限{fmt(cap)}万元，"
                       f"按上限计")
    return Quote(EQUIPMENT_AWARD, True, amount, cap, None, clause, tuple(reasons), {"rate_percent": str(rate)})


def case_by_case(*, amount_wan: Decimal, reason: str, clause: str) -> Quote:
    """一事一议 (二(六)17): an amount decided by hand; the reason is mandatory."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("一事一议须填写理由")
    if amount_wan < 0:
        raise ValueError("金额不能为负数")
    return Quote(CASE_BY_CASE, True, _wan(amount_wan), _wan(amount_wan), None, clause, (f"一事一议：{reason}",))


# --- 二(六)18 REITs ----------------------------------------------------------------------------------------


def reits_subsidy(rule: Any, *, pre_expenses_wan: Decimal, in_reserve: bool = True, registered_locally: bool = True,
                  issued: bool = False) -> Quote:
    """基础设施REITs支持 (二(六)18).

    Original equity holder registered in the city, project in the NDRC national REITs reserve →
    50% of the actual pre-expenses, cap 300万 (once); a successful issuance → a further 400万
    (a quote for an issued product gives the sum, and its cap is 300 + 400).
    """
    clause = rule.source
    reasons: list[str] = []
    if rule.requires_registered_in_city and not registered_locally:
        reasons.append("原始权益人注册地不在本市")
    if rule.requires_national_reserve and not in_reserve:
        reasons.append("项目未纳入国家发展改革委基础设施REITs储备项目库")
    if reasons:
        return Quote(REITS_SUBSIDY, False, ZERO, ZERO, None, clause, tuple(reasons))
    share = Decimal(rule.pre_expense_share_percent)
    raw = Decimal(pre_expenses_wan) * share / HUNDRED
    pre_cap = Decimal(rule.pre_expense_cap_wan)
    pre = _wan(min(pre_cap, raw))
    if raw > pre_cap:
        reasons.append(f"前期经费{fmt(pre_expenses_wan)}万元×{fmt(share)}%为{fmt(_wan(raw))}万元，"
                       f"超过一次性补助上限{fmt(pre_cap)}万元，按上限计")
    award = Decimal(rule.issuance_award_wan) if issued else ZERO
    if issued:
        reasons.append(f"成功发行基础设施REITs产品，另奖励{fmt(award)}万元")
    details = {"pre_expense_wan": str(pre), "issuance_award_wan": str(award)}
    return Quote(REITS_SUBSIDY, True, _wan(pre + award), _wan(pre_cap + award), None, clause, tuple(reasons), details)


# --- 二(六)15 early start ----------------------------------------------------------------------------------


def early_start(rule: Any, *, category: str, investment_type: str, planned_start: dt.date | None,
                actual_start: dt.date | None) -> Quote:
    """提前开工倾斜支持 (二(六)15): city-led government infrastructure planned to start in 2023 or later
    that started in 2022. A flag for the list; the amount is set by the city (0 here)."""
    clause = rule.source
    reasons: list[str] = []
    if category not in rule.categories:
        reasons.append("非基础设施项目")
    if investment_type not in rule.investment_types:
        reasons.append("非政府投资项目")
    if planned_start is None or planned_start.year < rule.from_year:
        reasons.append(f"规划开工时间不在{rule.from_year}年以后")
    if actual_start is None or actual_start.year != rule.to_year:
        reasons.append(f"未在{rule.to_year}年开工")
    eligible = not reasons
    if eligible:
        reasons.append("支持金额由市级统筹专项资金研究确定")
    return Quote(EARLY_START, eligible, ZERO, ZERO, None, clause, tuple(reasons))


# --- facts ---------------------------------------------------------------------------------------------------


def first_year_window(start: dt.date) -> tuple[tuple[int, int], tuple[int, int]]:
    """The twelve report months "within one year after the start" (二(六)16): start month .. +11."""
    first = (start.year, start.month)
    last_index = start.year * 12 + start.month - 1 + 11
    return first, (last_index // 12, last_index % 12 + 1)
