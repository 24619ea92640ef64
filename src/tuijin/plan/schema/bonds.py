"""Special-bond work evaluation (二(二)8).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from .base import CodeName, Percent, Rule, Slug, Text, _fail, _weight_issues


class BondEvaluationRule(Rule):
    """Special-bond work evaluation per unit (二(二)8); below ``talk_threshold`` → talks."""

    weights: dict[Slug, Percent] = Field(min_length=1)
    labels: dict[Slug, Text]
    talk_threshold: Percent
    #: Points of the compliance score (规范性, out of 100) lost per recorded violation.
    violation_deduction: Percent = Decimal(25)
    #: Submission-quality score of a unit none of whose submissions has been reviewed yet.
    no_submissions_score: Percent = Decimal(100)
    #: Review states of supplementary applications (专项债补充申报), in order.
    application_states: tuple[CodeName, ...] = ()

    @model_validator(mode="after")
    def _weights_sum(self) -> BondEvaluationRule:
        _fail(_weight_issues(self.weights, self.labels))
        return self
