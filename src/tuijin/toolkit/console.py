"""What the management commands share: a plain table aligned for Chinese, the ``--today`` option.

Part of the toolkit, so any app's command may use it without importing another app's command.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.management.base import CommandError

from . import clock


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, right: Sequence[int] = ()) -> list[str]:
    """Lines of a plain table aligned for Chinese (full-width characters count double)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            parts.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def parse_today(value: str) -> dt.date:
    """A command's ``--today YYYY-MM-DD`` (empty: today); a malformed date exits with status 2."""
    if not value:
        return clock.today()
    return parse_day(value)


def parse_day(value: str) -> dt.date:
    """A command's ``YYYY-MM-DD`` argument; a malformed date exits with status 2."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期应为 YYYY-MM-DD 格式，实际为“{value}”", returncode=2) from None
