"""Sections other apps add to the bulletin (special bonds, investment promotion, incentives, supervision …).

An app contributes by a ``bulletin_sections.py`` module with::

    def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict]

each section ``{"order": int, "title": str, "paragraphs": [str], "tables": [{"caption": str,
"headers": [str], "rows": [[str | int | float | Decimal | None]]}]}`` — data only; the Word document
and the workbook render it after the bulletin's own sections, in ``order``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from tuijin.toolkit.discovery import app_modules

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers of an official document)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


@cache
def _providers() -> tuple:
    return tuple((app, module.bulletin_sections) for app, module in app_modules("bulletin_sections"))


def _cell(value: Any) -> str | int | float | None:
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _checked(app: str, section: Any) -> dict[str, Any]:
    try:
        tables = []
        for table in section.get("tables", []):
            headers = [str(h) for h in table["headers"]]
            rows = [[_cell(v) for v in row] for row in table["rows"]]
            if any(len(row) != len(headers) for row in rows):
                raise ValueError("a row's length differs from the headers'")
            tables.append({"caption": str(table["caption"]), "headers": headers, "rows": rows})
        return {"order": int(section["order"]), "title": str(section["title"]),
                "paragraphs": [str(p) for p in section.get("paragraphs", [])], "tables": tables, "app": app}
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{app}.bulletin_sections returned a malformed section: {exc}") from exc


def extra_sections(*, year: int, month: int, quarterly: bool) -> list[dict[str, Any]]:
    """Every app's sections for the period, checked and in order."""
    sections = []
    for app, provider in _providers():
        sections += [_checked(app, s) for s in provider(year=year, month=month, quarterly=quarterly)]
    return sorted(sections, key=lambda s: (s["order"], s["app"], s["title"]))
