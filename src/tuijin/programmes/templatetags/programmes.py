"""Template filters of the programmes, for other apps' pages (the project detail's markers)."""

from __future__ import annotations

from django import template

from tuijin.plan import active_plan
from tuijin.programmes.selectors import plan_release_suspended as _suspended

register = template.Library()


@register.filter
def plan_release_suspended(project) -> bool:
    """Whether the project's annual plan release is suspended (missing from statistics, 二(七)19)."""
    return _suspended(project)


@register.filter
def plan_code_name(code: str, rule: str) -> str:
    """The Chinese name of a code of one of the plan's code lists (``"bank_loan"|plan_code_name:"fund_sources"``)."""
    codes = getattr(active_plan().rules, rule, None)
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
