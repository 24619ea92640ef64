"""Template filters of the programmes, for other apps' pages (the project detail's markers)."""

from __future__ import annotations

from django import template

from tuijin.plan import current_plan
from tuijin.programmes import rules
from tuijin.projects.models import Stage

register = template.Library()


@register.filter
def plan_release_suspended(project) -> bool:
    """Whether the project's annual plan release is suspended (年度投资计划暂缓下达: missing from
    statistics, 二(七)19): the rules over the project's own fields, no query."""
    rule = current_plan().rules.statistics_inclusion
    missing = rules.is_missing_from_statistics(
        actual_start=project.actual_start, cancelled=project.stage == Stage.CANCELLED,
        total_yuan=project.total_investment_yuan, in_statistics=project.in_statistics,
        threshold_wan=rule.threshold_wan)
    return rules.plan_release_suspended(missing=missing, suspend_rule=rule.suspend_annual_plan)


@register.filter
def plan_code_name(code: str, rule: str) -> str:
    """The Chinese name of a code of one of the plan's code lists (``"bank_loan"|plan_code_name:"fund_sources"``)."""
    codes = getattr(current_plan().rules, rule, None)
    try:
        return codes.name(code) if codes is not None and code else code
    except KeyError:
        return code


@register.filter
def figure(value, kind: str = "") -> str:
    """A figure as the tables show it: counts grouped (1,234), money and areas with two decimals
    (12,345.60), rates with two decimals; None is "—"."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{int(value):,}"
    if kind in ("money", "area"):
        return f"{float(value):,.2f}"
    return f"{float(value):.2f}"
