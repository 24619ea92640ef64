"""What the special-bond module reads from the plan file (no rows): the default year, the evaluation's labels."""

from __future__ import annotations

from tuijin.plan import active_plan


def plan_year() -> int:
    """The plan's year: the default wherever a year is not given."""
    return active_plan().meta.year


def part_labels() -> dict[str, str]:
    """The bond evaluation's parts in the plan's order: code → Chinese label."""
    rule = active_plan().rules.bond_evaluation
    return {k: rule.labels[k] for k in rule.weights}
