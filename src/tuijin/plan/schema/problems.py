"""The problem ledger (万人助万企, 二(五)14): deadlines by category, routing, the overdue ladder.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import (
    CodeName,
    Count,
    Frozen,
    Positive,
    Rule,
    Slug,
    Source,
    Text,
    _duplicates,
    _fail,
    _reject,
    _unique_codes,
)


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
