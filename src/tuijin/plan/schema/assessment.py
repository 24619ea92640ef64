"""Monitoring and assessment rules: ranking groups, the last-place ladder (三(三)), quarterly
awards (二(六)15) and the composite evaluation (二(七)21).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from .base import (
    Amount,
    Frozen,
    Issue,
    Percent,
    Period,
    Positive,
    Rule,
    Slug,
    Text,
    _duplicates,
    _fail,
    _number,
    _reject,
    _weight_issues,
)


class RankingGroup(Frozen):
    name: Text
    units: tuple[Slug, ...] = Field(min_length=1)


class RankingRule(Rule):
    """Competition ranking (1, 2, 2, 4) within groups of units (二(六)15、三(三))."""

    method: Literal["competition"] = "competition"
    groups: tuple[RankingGroup, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_disjoint(self) -> RankingRule:
        _fail(list(self._issues()))
        return self

    def _issues(self) -> Iterator[Issue]:
        repeated = _duplicates(group.name for group in self.groups)
        seen: set[str] = set()
        for i, group in enumerate(self.groups):
            if group.name in repeated:
                yield ("groups", i, "name"), f"排名分组名称 {group.name!r} 重复（group names must be unique）"
            for j, code in enumerate(group.units):
                if code in seen:
                    yield (
                        ("groups", i, "units", j),
                        f"单位 {code!r} 重复出现在排名分组中（a unit belongs to one group）",
                    )
                seen.add(code)

    def group_of(self, unit_code: str) -> RankingGroup:
        """The group a unit is ranked in."""
        for group in self.groups:
            if unit_code in group.units:
                return group
        raise KeyError(unit_code)


class EscalationStep(Frozen):
    streak: Positive
    level: Slug
    label: Text


class EscalationRule(Rule):
    """末位增速约谈制 (三(三)): months in a row in last place → level of the ladder."""

    indicator: Slug
    ladder: tuple[EscalationStep, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ladder_ascending(self) -> EscalationRule:
        _fail(list(self._issues()))
        return self

    def _issues(self) -> Iterator[Issue]:
        if self.ladder[0].streak != 1:
            yield (
                ("ladder", 0, "streak"),
                f"第一级应为连续 1 个月（the ladder starts at streak 1），实际为 {self.ladder[0].streak}",
            )
        for i in range(1, len(self.ladder)):
            low, high = self.ladder[i - 1].streak, self.ladder[i].streak
            if high <= low:
                yield (
                    ("ladder", i, "streak"),
                    f"连续月数应逐级递增（streaks must increase strictly），{high} 不大于 {low}",
                )
        repeated = _duplicates(step.level for step in self.ladder)
        for i, step in enumerate(self.ladder):
            if step.level in repeated:
                yield ("ladder", i, "level"), f"约谈级别 {step.level!r} 重复（levels must be unique）"

    def level_for(self, streak: int) -> EscalationStep | None:
        """The rung for ``streak`` consecutive months last; the top rung covers longer streaks."""
        reached = [step for step in self.ladder if step.streak <= streak]
        return reached[-1] if reached else None


class AwardTier(Frozen):
    from_rank: Positive
    to_rank: Positive
    amount_wan: Amount

    @model_validator(mode="after")
    def _ranks_ordered(self) -> AwardTier:
        if self.to_rank < self.from_rank:
            _reject(
                ("to_rank",),
                f"截止名次应不小于起始名次 {self.from_rank}（to_rank must be ≥ from_rank），实际为 {self.to_rank}",
            )
        return self


class QuarterlyAwardsRule(Rule):
    """Quarterly awards by evaluation rank (二(六)15); ties share the better rank and its award."""

    purpose: Text | None = None
    tiers: tuple[AwardTier, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranks_contiguous(self) -> QuarterlyAwardsRule:
        _fail(list(self._issues()))
        return self

    def _issues(self) -> Iterator[Issue]:
        expected = 1
        for i, tier in enumerate(self.tiers):
            if tier.from_rank != expected:
                yield (
                    ("tiers", i, "from_rank"),
                    f"名次应从 1 起连续（ranks must be contiguous from 1），此处应为 {expected}，实际为 {tier.from_rank}",
                )
            if i and tier.amount_wan > self.tiers[i - 1].amount_wan:
                yield (
                    ("tiers", i, "amount_wan"),
                    "名次靠后的奖励不应高于靠前的（awards must not rise as rank falls）",
                )
            expected = tier.to_rank + 1

    def amount_for(self, rank: int) -> Decimal:
        """Award in 万元 for a (competition) rank; 0 outside the tiers."""
        for tier in self.tiers:
            if tier.from_rank <= rank <= tier.to_rank:
                return tier.amount_wan
        return Decimal(0)


class EvaluationRule(Rule):
    """Composite evaluation of units (二(六)15、二(七)21): weighted normalised indicators."""

    period: Period
    weights: dict[Slug, Percent] = Field(min_length=1)
    labels: dict[Slug, Text]
    #: What each indicator is measured against: a target name of the plan, ``time_progress``
    #: (序时进度 at the quarter's end) or a fixed percentage.
    targets: dict[Slug, Slug | Percent] = Field(default_factory=dict)
    #: Achievement ratios are capped here (1 = no credit beyond 100 %).
    cap: Annotated[Decimal, BeforeValidator(_number), Field(ge=1, le=2)] = Decimal(1)
    uses: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _weights_sum(self) -> EvaluationRule:
        _fail(_weight_issues(self.weights, self.labels))
        missing = [k for k in self.weights if k not in self.targets]
        if self.targets and missing:
            _fail([(("targets",), f"缺少指标的比较基准（every weighted indicator needs a target）：{'、'.join(missing)}")])
        unknown = [k for k in self.targets if k not in self.weights]
        if unknown:
            _fail([(("targets",), f"未知的评价指标（unknown indicator）：{'、'.join(unknown)}")])
        return self
