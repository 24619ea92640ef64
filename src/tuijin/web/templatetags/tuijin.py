"""Template filters for money and labels."""

from __future__ import annotations

from django import template

from tuijin.toolkit.money import format_wan, format_yi

register = template.Library()


@register.filter
def wan(amount_yuan: int | None) -> str:
    """Yuan stored → '1,234.57' 万元 shown."""
    return format_wan(amount_yuan)


@register.filter
def yi(amount_yuan: int | None) -> str:
    return format_yi(amount_yuan)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for tabs and pagination)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in kwargs:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key, key)
