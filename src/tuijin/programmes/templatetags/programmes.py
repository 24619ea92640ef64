"""Template filters of the programmes, for other apps' pages (the project detail's markers)."""

from __future__ import annotations

from django import template

from tuijin.programmes.selectors import plan_release_suspended as _suspended

register = template.Library()


@register.filter
def plan_release_suspended(project) -> bool:  # noqa: ANN001
    """Whether the project's annual plan release is suspended (missing from statistics, 二(七)19)."""
    return _suspended(project)
