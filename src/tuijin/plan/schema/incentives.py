"""Incentive rules (免申即享, 二(六)15—18): interest subsidy, equipment award, REITs support,
early start, and the departments and budget that run them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictBool, model_validator

from .base import Amount, Frozen, Issue, Nature, Percent, Positive, Rule, Slug, Text, Year, _fail, _reject


class InterestTier(Frozen):
    min_total_wan: Amount
    min_first_year_wan: Amount
    years: Positive
    cap_wan: Amount

    @model_validator(mode="after")
    def _first_year_within_total(self) -> InterestTier:
        if self.min_first_year_wan > self.min_total_wan:
            _reject(
                ("min_first_year_wan",),
                "首年投资门槛不应高于总投资门槛（first-year minimum must not exceed the total minimum）",
            )
        return self


class InterestSubsidyRule(Rule):
    """Interest subsidy for manufacturing key projects (二(六)16).

    Amount (万元) = min(cap, principal × benchmark rate × share × years), using
    the highest tier whose thresholds the project meets.
    """

    manufacturing_only: StrictBool
    #: project categories that count as manufacturing (制造业) when ``manufacturing_only``
    manufacturing_categories: tuple[Slug, ...] = ("industrial",)
    benchmark_rate_percent: Percent
    subsidy_share_percent: Percent
    tiers: tuple[InterestTier, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _tiers_ascending(self) -> InterestSubsidyRule:
        _fail(list(self._issues()))
        return self

    def _issues(self) -> Iterator[Issue]:
        for i in range(1, len(self.tiers)):
            low, high = self.tiers[i - 1], self.tiers[i]
            for name in ("min_total_wan", "min_first_year_wan"):
                if getattr(high, name) <= getattr(low, name):
                    yield (
                        ("tiers", i, name),
                        f"门槛应逐档递增（tiers must ascend），{getattr(high, name)} 不大于上一档 {getattr(low, name)}",
                    )
            for name in ("years", "cap_wan"):
                if getattr(high, name) < getattr(low, name):
                    yield (
                        ("tiers", i, name),
                        "高档次的年限和上限不应低于低档次（higher tiers must not give less）",
                    )

    def tier_for(self, *, total_wan: Decimal, first_year_wan: Decimal) -> InterestTier | None:
        """The highest tier met by a project's total and first-year FAI (万元), or None."""
        met = [
            t for t in self.tiers if total_wan >= t.min_total_wan and first_year_wan >= t.min_first_year_wan
        ]
        return met[-1] if met else None


class EquipmentAwardRule(Rule):
    """Equipment-investment award for new industrial projects in production (二(六)17)."""

    category: Slug
    natures: tuple[Nature, ...] = Field(min_length=1)
    min_total_wan: Amount
    leading_rate_percent: Percent
    other_rate_percent: Percent
    cap_wan: Amount
    case_by_case_allowed: StrictBool

    def rate_for(self, *, leading_industry: bool) -> Decimal:
        """Award rate (percent of equipment investment) for a leading-industry project or another."""
        return self.leading_rate_percent if leading_industry else self.other_rate_percent


class ReitsRule(Rule):
    """Infrastructure REITs support (二(六)18): pre-expense share (capped, once) and issuance award."""

    pre_expense_share_percent: Percent
    pre_expense_cap_wan: Amount
    issuance_award_wan: Amount
    requires_registered_in_city: StrictBool = True
    requires_national_reserve: StrictBool = True


class EarlyStartRule(Rule):
    """Support for city-led infrastructure planned for ``from_year`` or later started in ``to_year`` (二(六)15)."""

    from_year: Year
    to_year: Year
    scope: Text
    categories: tuple[Slug, ...] = ("infrastructure",)
    investment_types: tuple[Literal["government", "enterprise"], ...] = ("government",)

    @model_validator(mode="after")
    def _earlier(self) -> EarlyStartRule:
        if self.to_year >= self.from_year:
            _reject(
                ("to_year",),
                f"提前开工年份应早于规划开工年份 {self.from_year}（to_year must be before from_year）",
            )
        return self


INCENTIVE_RULES = ("quarterly_awards", "interest_subsidy", "equipment_award", "reits_subsidy", "reits_issuance",
                   "early_start")


class IncentivesRule(Rule):
    """Incentives (免申即享, 二(六)15—18): deciding and reviewing departments, the year's budget line (万元)."""

    deciding_departments: tuple[Slug, ...] = Field(min_length=1)
    reviewing_departments: dict[Literal[INCENTIVE_RULES], Slug]  # type: ignore[valid-type]
    approving_department: Slug
    budget_year: Year
    budget_wan: dict[Literal[INCENTIVE_RULES], Amount]  # type: ignore[valid-type]
