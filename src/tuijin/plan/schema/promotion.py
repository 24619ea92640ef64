"""Investment promotion (二(四)10、11): deal bands by signed amount and the follow-up of deals.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from .base import (
    Amount,
    CodeName,
    Frozen,
    Percent,
    Positive,
    Rule,
    Slug,
    Text,
    _fail,
    _reject,
    _unique_codes,
    _weight_issues,
)


class DealBand(Frozen):
    """A signed-amount band (亿元): ``min_yi`` inclusive, ``max_yi`` exclusive (None: no upper bound)."""

    code: Slug
    min_yi: Amount
    max_yi: Amount | None
    leading_industry_only: StrictBool = False
    label: Text
    target: Slug | None = None

    @model_validator(mode="after")
    def _bounds(self) -> DealBand:
        if self.max_yi is not None and self.max_yi <= self.min_yi:
            _reject(("max_yi",), f"上限应大于下限 {self.min_yi}（max_yi must exceed min_yi）")
        return self

    def contains(self, amount_yi: Decimal) -> bool:
        return amount_yi >= self.min_yi and (self.max_yi is None or amount_yi < self.max_yi)


class DealTiersRule(Rule):
    """Exclusive deal bands by signed amount (二(四)11), listed from the highest."""

    signed_amount_target: Slug | None = None
    bands: tuple[DealBand, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_contiguous(self) -> DealTiersRule:
        issues = _unique_codes(self.bands, ("bands",), "分档")
        if self.bands[0].max_yi is not None:
            issues.append(
                (("bands", 0, "max_yi"), "最高一档应无上限（the first, highest band must have max_yi: null）")
            )
        for i in range(1, len(self.bands)):
            higher, lower = self.bands[i - 1], self.bands[i]
            if lower.max_yi != higher.min_yi:
                issues.append(
                    (
                        ("bands", i, "max_yi"),
                        f"分档应从高到低首尾相接（bands must be contiguous, highest first）：此处上限应为 {higher.min_yi}，实际为 {lower.max_yi}",
                    )
                )
        _fail(issues)
        return self

    def band_for(self, amount_yi: Decimal, *, leading_industry: bool) -> DealBand | None:
        """The band a signed deal of ``amount_yi`` 亿元 falls in, or None."""
        for band in self.bands:
            if band.contains(amount_yi) and (leading_industry or not band.leading_industry_only):
                return band
        return None


class PromotionRule(Rule):
    """Promotion follow-up (二(四)10、11): cadence, and when a signed deal counts as stalled."""

    stalled_after_days: Positive
    cadence: tuple[CodeName, ...] = ()
    #: Deal stages (在谈 … 投产), in order; a deal moves one stage forward at a time.
    stages: tuple[CodeName, ...] = ()
    #: Stages in which a deal with no move for ``stalled_after_days`` is stalled (月督查).
    stalled_stages: tuple[Slug, ...] = ()
    #: Stages from which a deal counts as landed (转段落地) in the annual assessment.
    landed_stages: tuple[Slug, ...] = ()
    #: Annual assessment (年考核) per unit: weights of the parts, summing to 100.
    assessment_weights: dict[Slug, Percent] = Field(default_factory=dict)
    assessment_labels: dict[Slug, Text] = Field(default_factory=dict)

    def stage_names(self) -> dict[str, str]:
        """Code → name of every deal stage, in order."""
        return {stage.code: stage.name for stage in self.stages}

    @model_validator(mode="after")
    def _stages_known(self) -> PromotionRule:
        codes = {stage.code for stage in self.stages}
        issues = [(("stalled_stages", i), f"未知的阶段 {code!r}（unknown stage; expected one listed under stages）")
                  for i, code in enumerate(self.stalled_stages) if code not in codes]
        issues += [(("landed_stages", i), f"未知的阶段 {code!r}（unknown stage; expected one listed under stages）")
                   for i, code in enumerate(self.landed_stages) if code not in codes]
        if self.assessment_weights:
            issues += [(("assessment_" + path[0], *path[1:]), message)
                       for path, message in _weight_issues(self.assessment_weights, self.assessment_labels)]
        _fail(issues)
        return self
