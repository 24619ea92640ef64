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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "REQUIRED_TARGETS",
    "ApprovalCatalogueRule",
    "ApprovalItem",
    "AwardTier",
    "BondEvaluationRule",
    "Category",
    "Clause",
    "CodeListRule",
    "CodeName",
    "DealBand",
    "DealTiersRule",
    "Department",
    "EarlyStartRule",
    "EquipmentAwardRule",
    "EscalationRule",
    "EscalationStep",
    "EvaluationRule",
    "InterestSubsidyRule",
    "InterestTier",
    "Indicator",
    "Meta",
    "Plan",
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
    "ReitsRule",
    "ReportingCalendarRule",
    "Rule",
    "Rules",
    "StatisticsInclusionRule",
    "SupervisionSection",
    "Target",
    "Unit",
]

# Targets other modules read by name: a plan without them cannot drive the
# platform (growth rankings, escalation, forecasts).
REQUIRED_TARGETS = (
    "fai_growth",
    "unit_fai_growth",
    "industrial_growth",
    "infrastructure_growth",
    "real_estate_growth",
)

PathPart = str | int
Issue = tuple[tuple[PathPart, ...], str]


def _reject(path: tuple[PathPart, ...], message: str) -> NoReturn:
    """Raise a single issue at ``path`` (relative to the model being validated)."""
    raise PydanticCustomError("plan_issues", "{summary}", {"summary": message, "issues": [(path, message)]})


def _fail(issues: list[Issue]) -> None:
    """Raise the collected cross-check issues as one pydantic error.

    The loader unpacks ``ctx["issues"]`` into one PlanIssue per path.
    """
    if issues:
        summary = "；".join(message for _, message in issues)
        raise PydanticCustomError("plan_issues", "{summary}", {"summary": summary, "issues": issues})


# --- scalar types -------------------------------------------------------------

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DIVISION_CODE = re.compile(r"^\d{6}$")
_NUMERALS = "一二三四五六七八九十"
# "一", "二(六)", "二(六)16", "三(三)"; full-width brackets are accepted as written in the seed.
_CLAUSE = re.compile(rf"^[{_NUMERALS}]+(\([{_NUMERALS}]+\))?(\d+)?$")


def _number(value: Any) -> Any:
    """Accept only real numbers: a quoted '10' or a boolean is a typo, not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number_type", "应为数字（expected a number）")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise PydanticCustomError(
            "slug",
            "代码应由小写英文字母、数字和下划线组成且以字母开头（expected a code like 'jinshui' or 'fai_growth'）",
        )
    return value


def _plan_id(value: str) -> str:
    if not _PLAN_ID.match(value):
        raise PydanticCustomError(
            "plan_id", "方案编号应由小写字母、数字和连字符组成（expected an id like 'zhengzhou-2022'）"
        )
    return value


def _division_code(value: str) -> str:
    if not _DIVISION_CODE.match(value):
        raise PydanticCustomError(
            "division_code", '统计用区划代码应为6位数字（expected 6 digits, e.g. "410102"）'
        )
    return value


def _normalise_clause(value: str) -> str:
    return value.strip().replace("（", "(").replace("）", ")")


def _clause(value: str) -> str:
    value = _normalise_clause(value)
    if not _CLAUSE.match(value):
        raise PydanticCustomError(
            "clause", '条款编号格式不符（expected a clause of the seed like "二(六)16"）'
        )
    return value


def _source(value: str) -> str:
    refs = [_normalise_clause(part) for part in value.split("、")]
    if not all(_CLAUSE.match(ref) for ref in refs):
        raise PydanticCustomError(
            "source",
            '出处应为方案条款编号，多个以“、”分隔（expected clauses of the seed like "二(六)16" or "一、二(一)1"）',
        )
    return "、".join(refs)


Number = Annotated[Decimal, BeforeValidator(_number)]
Amount = Annotated[Decimal, BeforeValidator(_number), Field(ge=0)]
Percent = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=100)]
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]
Year = Annotated[int, Field(strict=True, ge=2000, le=2100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, AfterValidator(_slug)]
ClauseRef = Annotated[str, AfterValidator(_clause)]
Source = Annotated[str, AfterValidator(_source)]
Period = Literal["month", "quarter", "year"]
Nature = Literal["new", "expansion", "renovation"]


def _duplicates(values: Iterable[Any]) -> set[Any]:
    return {value for value, n in Counter(values).items() if n > 1}


def _unique_codes(items: Iterable[Any], section: tuple[PathPart, ...], what: str) -> list[Issue]:
    """One issue per repeated ``code`` in a list of items, at ``section[i].code``."""
    items = list(items)
    repeated = _duplicates(item.code for item in items)
    return [
        ((*section, i, "code"), f"{what}代码 {item.code!r} 重复（codes must be unique）")
        for i, item in enumerate(items)
        if item.code in repeated
    ]


class Frozen(BaseModel):
    """Base of every plan model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- reference data ---------------------------------------------------------------


class Reference(Frozen):
    """A document the seed cites (e.g. 郑政办〔2022〕27号 in 二(二)6)."""

    document_number: Text
    title: Text
    cited_in: Source


class Meta(Frozen):
    """Identity of the plan document."""

    id: Annotated[str, AfterValidator(_plan_id)]
    year: Year
    city: Text
    title: Text
    document_number: Text
    issued: date
    issuer: Text | None = None
    references: tuple[Reference, ...] = ()

    @model_validator(mode="after")
    def _issued_near_year(self) -> Meta:
        if self.issued.year not in (self.year - 1, self.year):
            _reject(
                ("issued",),
                f"印发日期应在 {self.year - 1} 或 {self.year} 年（issued in or just before the plan year）",
            )
        return self


class Clause(Frozen):
    """A numbered clause of the seed and its responsible departments (责任单位)."""

    clause: ClauseRef
    title: Text
    departments: tuple[Slug, ...] = ()


class CodeName(Frozen):
    """A coded choice with its Chinese name."""

    code: Slug
    name: Text


class Department(CodeName):
    """A city department (市政府部门), e.g. ``fgw`` 市发展改革委."""


class Category(CodeName):
    """A project category (工业, 基础设施, …)."""


class Unit(Frozen):
    """A reporting unit: a district/county/city (区县（市）) or development zone (开发区)."""

    code: Slug
    name: Text
    short_name: Text
    kind: Literal["district", "zone"]
    division_code: Annotated[str, AfterValidator(_division_code)] | None
    centre: tuple[Annotated[float, BeforeValidator(_number)], Annotated[float, BeforeValidator(_number)]]

    @model_validator(mode="after")
    def _centre_in_china(self) -> Unit:
        lon, lat = self.centre
        if not (73 <= lon <= 136 and 3 <= lat <= 54):
            _reject(
                ("centre",),
                f"坐标应为 [经度, 纬度] 且位于中国境内（expected [longitude, latitude] in China），实际为 [{lon}, {lat}]",
            )
        return self


class Indicator(Frozen):
    """An official FAI statistic and the target its growth is measured against."""

    code: Slug
    name: Text
    growth_target: Slug | None = None


class Target(Frozen):
    """A city target; every target is a minimum ("以上", "不低于")."""

    value: Amount
    unit: Literal["percent", "count", "yi", "wan"]
    label: Text
    source: Source

    @model_validator(mode="after")
    def _value_fits_unit(self) -> Target:
        if self.unit == "percent" and self.value > 100:
            _reject(
                ("value",),
                f"百分比应在 0–100 之间（expected a percentage from 0 to 100），实际为 {self.value}",
            )
        if self.unit == "count" and self.value != self.value.to_integral_value():
            _reject(("value",), f"个数应为整数（expected a whole number），实际为 {self.value}")
        return self


# --- rules --------------------------------------------------------------------------


class Rule(Frozen):
    """A rule of the plan: every rule names its Chinese label and source clause."""

    label: Text
    source: Source


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


def _weight_issues(weights: dict[str, Decimal], labels: dict[str, str]) -> list[Issue]:
    issues: list[Issue] = []
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        issues.append((("weights",), f"权重合计应为 100（weights must sum to 100），实际为 {total}"))
    issues += [
        (("labels", key), "缺少该权重项的中文名称（every weight needs a label）")
        for key in weights
        if key not in labels
    ]
    issues += [
        (("labels", key), "没有对应的权重项（label for an unknown weight）")
        for key in labels
        if key not in weights
    ]
    return issues


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


class CodeListRule(Rule):
    """A rule that is an ordered list of coded choices (fund sources, maturity levels, …)."""

    items: tuple[CodeName, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> CodeListRule:
        _fail(_unique_codes(self.items, ("items",), ""))
        return self

    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def name(self, code: str) -> str:
        """Chinese name of a code; KeyError when unknown."""
        for item in self.items:
            if item.code == code:
                return item.name
        raise KeyError(code)


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


class ReitsList(CodeName):
    stages: tuple[Slug, ...] = Field(min_length=1)


class ReitsListsRule(Rule):
    """The REITs lists 试点一批 / 储备一批 / 谋划一批 and the pipeline stages each holds (二(五)12、二(六)18)."""

    items: tuple[ReitsList, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> ReitsListsRule:
        _fail(_unique_codes(self.items, ("items",), ""))
        return self

    def list_for(self, stage: str) -> ReitsList | None:
        for item in self.items:
            if stage in item.stages:
                return item
        return None


INCENTIVE_RULES = ("quarterly_awards", "interest_subsidy", "equipment_award", "reits_subsidy", "reits_issuance",
                   "early_start")


class IncentivesRule(Rule):
    """Incentives (免申即享, 二(六)15—18): deciding and reviewing departments, the year's budget line (万元)."""

    deciding_departments: tuple[Slug, ...] = Field(min_length=1)
    reviewing_departments: dict[Literal[INCENTIVE_RULES], Slug]  # type: ignore[valid-type]
    approving_department: Slug
    budget_year: Year
    budget_wan: dict[Literal[INCENTIVE_RULES], Amount]  # type: ignore[valid-type]


class StatisticsInclusionRule(Rule):
    """应统尽统 (二(七)19): started projects ≥ threshold must be in the FAI statistics."""

    threshold_wan: Amount
    bulletin_period: Period
    suspend_annual_plan: StrictBool


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


class ReportingCalendarRule(Rule):
    """Monthly reporting (二(七)20): deadline = N-th Chinese working day of the following month."""

    period_opens_day: Annotated[int, Field(strict=True, ge=1, le=28)]
    deadline_working_day: Annotated[int, Field(strict=True, ge=1, le=20)]
    reminder_days_before: Count
    #: A project whose year-to-date completion of its annual plan is this many percentage
    #: points above time progress (序时进度) is "ahead"; below time progress it is "lagging".
    ahead_margin_points: Percent

    @model_validator(mode="after")
    def _reminder_before_deadline(self) -> ReportingCalendarRule:
        if self.reminder_days_before >= self.deadline_working_day:
            _reject(
                ("reminder_days_before",),
                f"提醒应在截止日所在月内（reminder must fall within the deadline month: less than {self.deadline_working_day} working days before）",
            )
        return self


class DataQualityRule(Rule):
    """Data-quality checks on monthly reports (DESIGN §4.5): flags shown as warnings."""

    #: A month above ``spike_factor`` × the project's trailing average is flagged.
    spike_factor: Annotated[Decimal, BeforeValidator(_number), Field(gt=1)]
    spike_window_months: Positive


class ProblemCategory(CodeName):
    working_days: Positive


class ProblemDeadlinesRule(Rule):
    """Working days allowed to resolve a project problem, by kind (二(五)14、三(三))."""

    categories: tuple[ProblemCategory, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> ProblemDeadlinesRule:
        _fail(_unique_codes(self.categories, ("categories",), "问题类别"))
        return self

    def working_days(self, code: str) -> int:
        for category in self.categories:
            if category.code == code:
                return category.working_days
        raise KeyError(code)


class ApprovalItem(Frozen):
    """An approval procedure (联审联批事项) and the department that grants it."""

    code: Slug
    name: Text
    department: Slug


class ApprovalCatalogueRule(Rule):
    """Approval items each project category needs before construction (二(二)5、二(五)14)."""

    items: tuple[ApprovalItem, ...] = Field(min_length=1)
    required: dict[Slug, tuple[Slug, ...]]

    @model_validator(mode="after")
    def _references(self) -> ApprovalCatalogueRule:
        issues = _unique_codes(self.items, ("items",), "审批事项")
        known = {item.code for item in self.items}
        for category, codes in self.required.items():
            repeated = _duplicates(codes)
            for j, code in enumerate(codes):
                if code not in known:
                    issues.append(
                        (
                            ("required", category, j),
                            f"未知的审批事项 {code!r}（unknown approval item; expected a code under items）",
                        )
                    )
                elif code in repeated:
                    issues.append((("required", category, j), f"审批事项 {code!r} 重复（listed twice）"))
        _fail(issues)
        return self

    def item(self, code: str) -> ApprovalItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def items_for(self, category: str) -> tuple[ApprovalItem, ...]:
        """The approval items a project of ``category`` needs, in catalogue order of the category."""
        return tuple(self.item(code) for code in self.required[category])


class ProblemRoute(Frozen):
    """Where a problem of one category goes (二(五)14 责任单位)."""

    category: Slug
    department: Slug


class ProblemEscalationStep(Frozen):
    """A rung of the overdue ladder: from ``overdue_working_days`` past the deadline (三(三))."""

    overdue_working_days: Positive
    level: Literal["department_head", "supervision"]
    label: Text


class ProblemsSection(Frozen):
    """The problem ledger (万人助万企, 二(五)14): routing by category and the overdue ladder (三(三)).

    Deadlines per category are ``rules.problem_deadlines`` (working days from the day raised).
    """

    label: Text
    source: Source
    routing: tuple[ProblemRoute, ...] = Field(min_length=1)
    escalation: tuple[ProblemEscalationStep, ...] = Field(min_length=1)
    reminder_working_days_before: Count

    @model_validator(mode="after")
    def _ladder_ascending(self) -> ProblemsSection:
        days = [step.overdue_working_days for step in self.escalation]
        if days != sorted(set(days)):
            _reject(("escalation",), "逾期升级的天数应严格递增（expected strictly ascending overdue_working_days）")
        repeated = _duplicates(route.category for route in self.routing)
        _fail([(("routing", i, "category"), f"问题类别 {route.category!r} 重复（categories must be unique）")
               for i, route in enumerate(self.routing) if route.category in repeated])
        return self

    def department_for(self, category: str) -> str:
        for route in self.routing:
            if route.category == category:
                return route.department
        raise KeyError(category)


class SupervisionSection(Frozen):
    """Supervision tasks (督办, 三(三) "月督办、紧盯不放"): default deadlines and the follow-up cycle."""

    label: Text
    source: Source
    default_deadline_days: Positive
    #: Days of one follow-up cycle (月督办): a task overdue longer than this is repeatedly overdue.
    follow_up_cycle_days: Positive
    reminder_days_before: Count
    #: Deadline (days) of a task created from a last-place escalation, by level.
    escalation_deadline_days: dict[Slug, Positive] = Field(default_factory=dict)
    #: Weekday of the weekly scheduling meeting (周例会, 二(二)6): 1 Monday … 7 Sunday.
    meeting_weekday: Annotated[int, Field(strict=True, ge=1, le=7)] = 1
class FinancingNeedsRule(Rule):
    """The fund sources whose gap (planned − in place) is a financing need for bank matching (二(五)12)."""

    sources: tuple[Slug, ...] = Field(min_length=1)
    min_gap_wan: Amount = Decimal(0)
    key_projects_only: StrictBool = False


class OpenDataRule(Rule):
    """What the OC4IDS export publishes (beyond the seed): the publisher and the fields marked public."""

    publisher: Text
    uri: Text
    public_fields: tuple[Slug, ...] = Field(min_length=1)


class Rules(Frozen):
    """All rules of the plan; ``dict(plan.rules)`` maps rule name → rule."""

    ranking: RankingRule
    escalation: EscalationRule
    quarterly_awards: QuarterlyAwardsRule
    evaluation: EvaluationRule
    interest_subsidy: InterestSubsidyRule
    equipment_award: EquipmentAwardRule
    reits: ReitsRule
    reits_pipeline: CodeListRule
    early_start: EarlyStartRule
    reits_lists: ReitsListsRule | None = None
    incentives: IncentivesRule | None = None
    statistics_inclusion: StatisticsInclusionRule
    bond_evaluation: BondEvaluationRule
    deal_tiers: DealTiersRule
    promotion: PromotionRule
    reporting_calendar: ReportingCalendarRule
    data_quality: DataQualityRule
    problem_deadlines: ProblemDeadlinesRule
    approval_catalogue: ApprovalCatalogueRule
    fund_sources: CodeListRule
    reconstruction_categories: CodeListRule
    maturity_levels: CodeListRule
    libraries: CodeListRule
    batch_rates: CodeListRule
    # Programmes (issue 6): optional so that older plan files still load.
    land_quota_statuses: CodeListRule | None = None
    financing_needs: FinancingNeedsRule | None = None
    open_data: OpenDataRule | None = None


# --- the plan -----------------------------------------------------------------------


class Plan(Frozen):
    """A whole plan file. Load it with :func:`tuijin.plan.loader.load_plan`.

    ``plan.hash`` (sha256 of the file bytes) and ``plan.source_path`` are set by
    the loader; a stored computed result records ``plan.hash`` and the clause.
    """

    meta: Meta
    clauses: tuple[Clause, ...] = Field(min_length=1)
    units: tuple[Unit, ...] = Field(min_length=1)
    departments: tuple[Department, ...] = Field(min_length=1)
    fields: tuple[CodeName, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    leading_industries: tuple[CodeName, ...] = ()
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    targets: dict[Slug, Target] = Field(min_length=1)
    unit_overrides: dict[Slug, dict[Slug, Amount]] = Field(default_factory=dict)
    rules: Rules
    problems: ProblemsSection | None = None
    supervision: SupervisionSection | None = None

    _hash: str = PrivateAttr(default="")
    _source_path: Path | None = PrivateAttr(default=None)

    # --- provenance ---

    @property
    def hash(self) -> str:
        """sha256 (hex) of the plan file's bytes, as loaded."""
        return self._hash

    @property
    def source_path(self) -> Path | None:
        """The file the plan was loaded from (None when parsed from a string)."""
        return self._source_path

    # --- look-ups ---

    def unit(self, code: str) -> Unit:
        """The reporting unit with ``code``; KeyError when unknown."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)

    def unit_codes(self) -> tuple[str, ...]:
        return tuple(unit.code for unit in self.units)

    def department(self, code: str) -> Department:
        for department in self.departments:
            if department.code == code:
                return department
        raise KeyError(code)

    def department_codes(self) -> tuple[str, ...]:
        return tuple(department.code for department in self.departments)

    def clause(self, ref: str) -> Clause:
        """The clause ``ref`` (e.g. "二(六)16"); KeyError when the seed has none."""
        ref = _normalise_clause(ref)
        for clause in self.clauses:
            if clause.clause == ref:
                return clause
        raise KeyError(ref)

    def field_name(self, code: str) -> str:
        return _name_of(self.fields, code)

    def category_name(self, code: str) -> str:
        return _name_of(self.categories, code)

    def leading_industry_name(self, code: str) -> str:
        return _name_of(self.leading_industries, code)

    def indicator_name(self, code: str) -> str:
        return _name_of(self.indicators, code)

    def target(self, name: str, unit: str | None = None) -> Decimal:
        """A target's value, or a unit's override of it (二(一)1 "原则上…").

        ``plan.target("unit_fai_growth", unit="jinshui")`` → Decimal("10").
        KeyError for an unknown target or unit.
        """
        value = self.targets[name].value
        if unit is not None:
            self.unit(unit)
            return self.unit_overrides.get(unit, {}).get(name, value)
        return value

    def iter_sources(self) -> Iterator[tuple[tuple[PathPart, ...], str]]:
        """Every ``source`` / ``cited_in`` in the plan with its path."""
        for i, reference in enumerate(self.meta.references):
            yield ("meta", "references", i, "cited_in"), reference.cited_in
        for name, target in self.targets.items():
            yield ("targets", name, "source"), target.source
        for name, rule in self.rules:
            if rule is not None:
                yield ("rules", name, "source"), rule.source

    # --- cross-checks ---

    @model_validator(mode="after")
    def _cross_check(self) -> Plan:
        _fail([*self._code_issues(), *self._reference_issues(), *self._rule_issues()])
        return self

    @model_validator(mode="after")
    def _cross_check_service(self) -> Plan:
        """The problem ledger routes every category to a department that exists (二(五)14)."""
        issues: list[Issue] = []
        if self.problems is not None:
            departments = set(self.department_codes())
            categories = {c.code for c in self.rules.problem_deadlines.categories}
            routed = set()
            for i, route in enumerate(self.problems.routing):
                routed.add(route.category)
                if route.category not in categories:
                    issues.append((("problems", "routing", i, "category"),
                                   _unknown("问题类别", route.category, "problem category",
                                            "rules.problem_deadlines.categories")))
                if route.department not in departments:
                    issues.append((("problems", "routing", i, "department"),
                                   _unknown("部门", route.department, "department", "departments")))
            for code in sorted(categories - routed):
                issues.append((("problems", "routing"),
                               f"问题类别 {code!r} 没有责任部门（every problem category needs a department）"))
        clauses = {clause.clause for clause in self.clauses}
        for name in ("problems", "supervision"):
            section = getattr(self, name)
            if section is None:
                continue
            for ref in section.source.split("、"):
                if ref not in clauses:
                    issues.append(((name, "source"), f"出处 {ref!r} 不是方案中的条款（unknown clause; expected one listed under clauses）"))
        _fail(issues)
        return self

    def _code_issues(self) -> Iterator[Issue]:
        """Codes, unit names and clause numbers are unique."""
        yield from _unique_codes(self.units, ("units",), "单位")
        yield from _unique_codes(self.departments, ("departments",), "部门")
        yield from _unique_codes(self.fields, ("fields",), "领域")
        yield from _unique_codes(self.categories, ("categories",), "类别")
        yield from _unique_codes(self.leading_industries, ("leading_industries",), "主导产业")
        yield from _unique_codes(self.indicators, ("indicators",), "指标")
        repeated = _duplicates(unit.name for unit in self.units)
        for i, unit in enumerate(self.units):
            if unit.name in repeated:
                yield ("units", i, "name"), f"单位名称 {unit.name!r} 重复（names must be unique）"
        repeated = _duplicates(clause.clause for clause in self.clauses)
        for i, clause in enumerate(self.clauses):
            if clause.clause in repeated:
                yield ("clauses", i, "clause"), f"条款 {clause.clause!r} 重复（clauses must be unique）"

    def _reference_issues(self) -> Iterator[Issue]:
        """Departments, clauses, targets and units named anywhere exist."""
        departments = set(self.department_codes())
        for i, clause in enumerate(self.clauses):
            for j, code in enumerate(clause.departments):
                if code not in departments:
                    yield (
                        ("clauses", i, "departments", j),
                        _unknown("部门", code, "department", "departments"),
                    )
        clauses = {clause.clause for clause in self.clauses}
        for path, source in self.iter_sources():
            for ref in source.split("、"):
                if ref not in clauses:
                    yield (
                        path,
                        f"出处 {ref!r} 不是方案中的条款（unknown clause; expected one listed under clauses）",
                    )
        for name in REQUIRED_TARGETS:
            if name not in self.targets:
                yield ("targets", name), f"缺少必需的目标 {name}（required target is missing）"
        for i, indicator in enumerate(self.indicators):
            if indicator.growth_target is not None and indicator.growth_target not in self.targets:
                yield ("indicators", i, "growth_target"), _unknown_target(indicator.growth_target)
        units = set(self.unit_codes())
        for unit_code, overrides in self.unit_overrides.items():
            if unit_code not in units:
                yield ("unit_overrides", unit_code), _unknown("报送单位", unit_code, "unit", "units")
            for name, value in overrides.items():
                if name not in self.targets:
                    yield ("unit_overrides", unit_code, name), _unknown_target(name)
                elif self.targets[name].unit == "percent" and value > 100:
                    yield ("unit_overrides", unit_code, name), _PERCENT_RANGE + f"，实际为 {value}"

    def _rule_issues(self) -> Iterator[Issue]:
        """Rules refer to units, indicators, categories, targets and departments that exist."""
        rules = self.rules
        units = set(self.unit_codes())
        categories = {category.code for category in self.categories}

        path: tuple[PathPart, ...] = ("rules", "ranking", "groups")
        for i, group in enumerate(rules.ranking.groups):
            for j, code in enumerate(group.units):
                if code not in units:
                    yield (*path, i, "units", j), _unknown("报送单位", code, "unit", "units")
        covered = {code for group in rules.ranking.groups for code in group.units}
        missing = [code for code in self.unit_codes() if code not in covered]
        if missing:
            yield path, f"以下单位不在任何排名分组中（every unit must be in a group）：{'、'.join(missing)}"

        if rules.escalation.indicator not in {indicator.code for indicator in self.indicators}:
            yield (
                ("rules", "escalation", "indicator"),
                _unknown("指标", rules.escalation.indicator, "indicator", "indicators"),
            )
        if rules.equipment_award.category not in categories:
            yield (
                ("rules", "equipment_award", "category"),
                _unknown("项目类别", rules.equipment_award.category, "category", "categories"),
            )
        for i, code in enumerate(rules.interest_subsidy.manufacturing_categories):
            if code not in categories:
                yield (("rules", "interest_subsidy", "manufacturing_categories", i),
                       _unknown("项目类别", code, "category", "categories"))
        for i, code in enumerate(rules.early_start.categories):
            if code not in categories:
                yield (("rules", "early_start", "categories", i), _unknown("项目类别", code, "category", "categories"))
        if rules.reits_lists is not None:
            stages = set(rules.reits_pipeline.codes())
            for i, item in enumerate(rules.reits_lists.items):
                for j, stage in enumerate(item.stages):
                    if stage not in stages:
                        yield (("rules", "reits_lists", "items", i, "stages", j),
                               _unknown("REITs阶段", stage, "stage", "rules.reits_pipeline.items"))
        if rules.incentives is not None:
            known = set(self.department_codes())
            inc = rules.incentives
            named = [(("deciding_departments", i), code) for i, code in enumerate(inc.deciding_departments)]
            named += [(("reviewing_departments", rule), code) for rule, code in inc.reviewing_departments.items()]
            named.append((("approving_department",), inc.approving_department))
            for parts, code in named:
                if code not in known:
                    yield (("rules", "incentives", *parts), _unknown("部门", code, "department", "departments"))
        if rules.early_start.to_year != self.meta.year:
            yield (
                ("rules", "early_start", "to_year"),
                f"应为方案年度 {self.meta.year}（expected the plan year）",
            )

        deal_tiers = rules.deal_tiers
        if deal_tiers.signed_amount_target not in (None, *self.targets):
            yield (
                ("rules", "deal_tiers", "signed_amount_target"),
                _unknown_target(deal_tiers.signed_amount_target),
            )
        for i, band in enumerate(deal_tiers.bands):
            if band.target not in (None, *self.targets):
                yield ("rules", "deal_tiers", "bands", i, "target"), _unknown_target(band.target)

        path = ("rules", "approval_catalogue")
        departments = set(self.department_codes())
        for i, item in enumerate(rules.approval_catalogue.items):
            if item.department not in departments:
                yield (
                    (*path, "items", i, "department"),
                    _unknown("部门", item.department, "department", "departments"),
                )
        for category in rules.approval_catalogue.required:
            if category not in categories:
                yield (*path, "required", category), _unknown("项目类别", category, "category", "categories")
        for category in self.categories:
            if category.code not in rules.approval_catalogue.required:
                yield (
                    (*path, "required"),
                    f"缺少项目类别 {category.code!r} 的审批事项（every category needs its list of approval items）",
                )


_PERCENT_RANGE = "百分比应在 0–100 之间（expected a percentage from 0 to 100）"


def _unknown(what: str, code: object, english: str, section: str) -> str:
    return f"未知的{what} {code!r}（unknown {english}; expected one listed under {section}）"


def _unknown_target(name: object) -> str:
    return _unknown("目标", name, "target", "targets")


def _name_of(items: Iterable[CodeName | Indicator], code: str) -> str:
    for item in items:
        if item.code == code:
            return item.name
    raise KeyError(code)
