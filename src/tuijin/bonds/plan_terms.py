"""What the special-bond module reads from the plan file (no rows): the default year, the evaluation's labels.

A year (and a month) is governed by its own year's plan (DESIGN §9 "a plan per year")."""

from __future__ import annotations

from tuijin.plan import Plan, default_year, plan_for, plan_for_period


def plan_year() -> int:
    """The default wherever a year is not given: the business date's year (:func:`tuijin.plan.default_year`)."""
    return default_year()


def plan_of(year: int, month: int | None = None) -> Plan:
    """The plan governing ``year`` (as amended at the end of ``month`` when given)."""
    return plan_for_period(f"{int(year):04d}-{int(month):02d}") if month else plan_for(int(year))


def part_labels(year: int, month: int | None = None) -> dict[str, str]:
    """The bond evaluation's parts in the order of ``year``'s plan: code → Chinese label."""
    rule = plan_of(year, month).rules.bond_evaluation
    return {k: rule.labels[k] for k in rule.weights}
