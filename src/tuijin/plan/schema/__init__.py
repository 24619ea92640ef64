"""The plan file as frozen, validated data.

A plan file (``plans/*.yaml``) holds every number and rule of a year's
effective-investment plan; for Zhengzhou 2022 that is 郑政办〔2022〕34号.
These models mirror the file section by section, forbid unknown keys, and
cross-check what a single field cannot: codes unique, weights summing to 100,
brackets ascending, ranks contiguous, references to units, departments,
targets and clauses that exist.

Validators report problems through :func:`_fail`, which carries a list of
``(relative path, message)`` pairs inside one pydantic error; the loader
(:mod:`tuijin.plan.loader`) expands them into one issue per path, so a user
sees ``rules.evaluation.weights: …`` rather than an error on the whole rule.
Messages are Chinese with the English expectation in brackets.

Money is in 万元 unless a name ends in ``_yi`` (亿元); rates are percentages.
All amounts are :class:`~decimal.Decimal`, so ``111.1`` stays exact.

The schema is a package, one module per section of the file (``meta``, ``orgs``, ``targets``,
``assessment``, ``bonds``, ``incentives``, ``reits``, ``programmes``, ``promotion``, ``reporting``,
``projects``, ``problems``, ``supervision``, the whole ``plan``; ``base`` holds the scalar types and
the issue reporting). Every public name is re-exported here: import from ``tuijin.plan.schema``.
"""

from __future__ import annotations

from .assessment import (
    AwardTier,
    EscalationRule,
    EscalationStep,
    EvaluationRule,
    QuarterlyAwardsRule,
    RankingGroup,
    RankingRule,
)
from .base import (
    Amount,
    ClauseRef,
    CodeListRule,
    CodeName,
    Count,
    Frozen,
    Issue,
    Nature,
    Number,
    PathPart,
    Percent,
    Period,
    Positive,
    Rule,
    Slug,
    Source,
    Text,
    Year,
)
from .bonds import BondEvaluationRule
from .incentives import (
    INCENTIVE_RULES,
    EarlyStartRule,
    EquipmentAwardRule,
    IncentivesRule,
    InterestSubsidyRule,
    InterestTier,
    ReitsRule,
)
from .meta import Clause, Meta, Reference
from .orgs import Department, Unit
from .plan import Plan, Rules
from .problems import (
    ProblemCategory,
    ProblemDeadlinesRule,
    ProblemEscalationStep,
    ProblemRoute,
    ProblemsSection,
)
from .programmes import FinancingNeedsRule, OpenDataRule, StatisticsInclusionRule
from .projects import ApprovalCatalogueRule, ApprovalItem, Category
from .promotion import DealBand, DealTiersRule, PromotionRule
from .reits import ReitsList, ReitsListsRule
from .reporting import (
    DEFAULT_STATISTICS_CALENDAR,
    DataQualityRule,
    ReportingCalendarRule,
    StatisticsCalendarRule,
)
from .supervision import SupervisionSection
from .targets import REQUIRED_TARGETS, Indicator, Target

__all__ = [
    "DEFAULT_STATISTICS_CALENDAR",
    "INCENTIVE_RULES",
    "REQUIRED_TARGETS",
    "Amount",
    "ApprovalCatalogueRule",
    "ApprovalItem",
    "AwardTier",
    "BondEvaluationRule",
    "Category",
    "Clause",
    "ClauseRef",
    "CodeListRule",
    "CodeName",
    "Count",
    "DataQualityRule",
    "DealBand",
    "DealTiersRule",
    "Department",
    "EarlyStartRule",
    "EquipmentAwardRule",
    "EscalationRule",
    "EscalationStep",
    "EvaluationRule",
    "FinancingNeedsRule",
    "Frozen",
    "IncentivesRule",
    "Indicator",
    "InterestSubsidyRule",
    "InterestTier",
    "Issue",
    "Meta",
    "Nature",
    "Number",
    "OpenDataRule",
    "PathPart",
    "Percent",
    "Period",
    "Plan",
    "Positive",
    "ProblemCategory",
    "ProblemDeadlinesRule",
    "ProblemEscalationStep",
    "ProblemRoute",
    "ProblemsSection",
    "PromotionRule",
    "QuarterlyAwardsRule",
    "RankingGroup",
    "RankingRule",
    "Reference",
    "ReitsList",
    "ReitsListsRule",
    "ReitsRule",
    "ReportingCalendarRule",
    "Rule",
    "Rules",
    "Slug",
    "Source",
    "StatisticsCalendarRule",
    "StatisticsInclusionRule",
    "SupervisionSection",
    "Target",
    "Text",
    "Unit",
    "Year",
]
