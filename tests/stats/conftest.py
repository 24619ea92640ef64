"""Fixtures of the official-statistics tests: the bureau's user, real xlsx files, a loaded demo."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.management import call_command

from plan_years import two_year_plans  # noqa: F401  (the shared two-year plans directory)
from tuijin.audit.context import audit_context
from tuijin.stats.importing import HEADERS, import_stats

PASSWORD = "Tuijin@2022!"

UNITS = ("zhongyuan", "erqi", "guancheng", "jinshui", "shangjie", "huiji", "zhongmou", "gongyi", "xingyang", "xinmi",
         "xinzheng", "dengfeng", "zhengdong", "jingkai", "gaoxin", "hangkonggang")


@pytest.fixture
def tjj(users, orgs):
    """The statistics bureau's user: role ``department`` in org ``tjj``."""
    from tuijin.orgs.models import User

    with audit_context(source="system", reason="test fixture"):
        user = User(username="tjj", org=orgs["tjj"], roles=["department"], full_name="统计局")
        user.set_password(PASSWORD)
        user.save()
    users["tjj"] = user
    return user


def build_stats_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
                     title: str | None = None, formulas: dict[tuple[int, int], str] | None = None,
                     merge: str | None = None, sheet_name: str = "统计数据", first_col: int = 0) -> Path:
    """Write the bureau's sheet: ``title`` adds a title row above the header; ``formulas`` maps
    (0-based row below the header, col) to a formula; ``first_col`` shifts everything right."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(sheet_name)
    top = 0
    if title is not None:
        sheet.write_string(0, first_col, title)
        top = 1
    for c, header in enumerate(headers):
        sheet.write_string(top, first_col + c, header)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, first_col + c, value)
            elif isinstance(value, dt.date):  # as Excel keeps a typed "2022-06": a date shown as a month
                sheet.write_datetime(r, first_col + c, dt.datetime(value.year, value.month, value.day),
                                     book.add_format({"num_format": "yyyy-mm"}))
            else:
                sheet.write(r, first_col + c, value)
    for (r, c), formula in (formulas or {}).items():
        sheet.write_formula(top + 1 + r, first_col + c, formula, None, 1)
    if merge:
        sheet.merge_range(merge, "合并")
    book.close()
    return path


def month_rows(*, indicator: str = "fai", base: int = 100_000, growth: float = 8.0,
               city: bool = True) -> list[list[Any]]:
    """A month of one indicator for all 16 units (and the city as their sum)."""
    rows = [[code, indicator, base + 1000 * i, growth + i / 10] for i, code in enumerate(UNITS)]
    if city:
        rows.insert(0, ["city", indicator, sum(r[2] for r in rows), growth + 0.5])
    return rows


@pytest.fixture
def xlsx(tmp_path) -> Callable[..., Path]:
    counter = iter(range(1, 10_000))

    def make(rows: Sequence[Sequence[Any]], **kwargs: Any) -> Path:
        return build_stats_xlsx(tmp_path / f"stats-{next(counter)}.xlsx", rows, **kwargs)

    return make


def run_import(user, path: Path, period: str = "2022-06", **kwargs: Any):
    with audit_context(source="web", actor=user, reason="test import"):
        return import_stats(actor=user, path=path, period_code=period, **kwargs)


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker) -> Iterator[Callable[..., str]]:
    """Database access for a whole module; the callable runs ``tuijin demo``; empties the database after."""

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("demo", *args, stdout=out)
        return out.getvalue()

    with django_db_blocker.unblock():
        try:
            yield run
        finally:
            call_command("flush", "--noinput", verbosity=0)
