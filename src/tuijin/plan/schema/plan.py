"""The whole plan file: every section and rule, the look-ups other modules use, and the
cross-checks between sections (references to units, departments, targets and clauses).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from pydantic import Field, PrivateAttr, model_validator

from .assessment import EscalationRule, EvaluationRule, QuarterlyAwardsRule, RankingRule
from .base import (
    Amount,
    CodeListRule,
    CodeName,
    Frozen,
    Issue,
    PathPart,
    Slug,
    _duplicates,
    _fail,
    _normalise_clause,
    _unique_codes,
)
from .bonds import BondEvaluationRule
from .incentives import EarlyStartRule, EquipmentAwardRule, IncentivesRule, InterestSubsidyRule, ReitsRule
from .meta import Clause, Meta
from .orgs import Department, Unit
from .problems import ProblemDeadlinesRule, ProblemsSection
from .programmes import FinancingNeedsRule, OpenDataRule, StatisticsInclusionRule
from .projects import ApprovalCatalogueRule, Category
from .promotion import DealTiersRule, PromotionRule
from .reits import ReitsListsRule
from .reporting import (
    DEFAULT_STATISTICS_CALENDAR,
    DataQualityRule,
    ReportingCalendarRule,
    StatisticsCalendarRule,
)
from .supervision import SupervisionSection
from .targets import REQUIRED_TARGETS, Indicator, Target


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
    # Statistics months (issue 15): optional; absent, every month has statistics, streaks stay in the year.
    statistics_calendar: StatisticsCalendarRule | None = None


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

    @property
    def statistics_calendar(self) -> StatisticsCalendarRule:
        """The months with official statistics and whether a last-place streak crosses the new year
        (``rules.statistics_calendar``; without it, every month, and streaks within the year)."""
        return self.rules.statistics_calendar or DEFAULT_STATISTICS_CALENDAR

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

    def leading_industry_names(self) -> dict[str, str]:
        """Code → name of every leading industry (主导产业)."""
        return {industry.code: industry.name for industry in self.leading_industries}

    def follow_up_cycle_days(self) -> int:
        """Days of one supervision follow-up cycle (月督办, ``supervision.follow_up_cycle_days``); 30 without the section."""
        return self.supervision.follow_up_cycle_days if self.supervision is not None else 30

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
