"""Helpers and fixtures of the Excel template and import tests (imported by those modules).

Real xlsx files are built here with XlsxWriter (the templates and filled files a unit
would upload), seeded history is written straight to the tables inside a system
audit context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from tuijin.audit.context import audit_context
from tuijin.reporting.workbook import DATA_SHEET, HEADERS, META_SHEET
from tuijin.toolkit.money import wan_to_yuan

# The template's columns in order, for building rows by name.
COLUMN_INDEX = {h: i for i, h in enumerate(HEADERS)}


def data_row(code: str, amount: Any = 100, progress: Any = "主体施工", percent: Any = 30, started: Any = "是",
             notes: Any = "", name: str = "") -> list[Any]:
    """One row of the progress sheet in the template's column order (context columns left empty)."""
    row: list[Any] = [""] * len(HEADERS)
    row[COLUMN_INDEX["项目代码"]] = code
    row[COLUMN_INDEX["项目名称"]] = name
    row[COLUMN_INDEX["本月完成投资（万元）"]] = amount
    row[COLUMN_INDEX["形象进度"]] = progress
    row[COLUMN_INDEX["完成百分比"]] = percent
    row[COLUMN_INDEX["是否开工"]] = started
    row[COLUMN_INDEX["备注"]] = notes
    return row


def build_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
               meta: tuple[str, str] | None = None, formulas: dict[tuple[int, int], str] | None = None,
               merge_header: str | None = None, sheet_name: str = DATA_SHEET) -> Path:
    """Write a progress workbook: ``meta`` = (period, unit) adds the template's metadata sheet;
    ``formulas`` maps (0-based row, col) to a formula; ``merge_header`` merges a range of row 1."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(sheet_name)
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    if merge_header:
        sheet.merge_range(merge_header, "说明")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    for (r, c), formula in (formulas or {}).items():
        sheet.write_formula(r, c, formula, None, 1)
    if meta is not None:
        info = book.add_worksheet(META_SHEET)
        for i, (key, value) in enumerate([("kind", "progress"), ("period", meta[0]), ("unit", meta[1])]):
            info.write_string(i, 0, key)
            info.write_string(i, 1, value)
        info.very_hidden()
    book.close()
    return path


@pytest.fixture
def construction_project(make_project) -> Callable[..., Any]:
    """A project under construction (reportable), started in March 2022."""

    def make(unit: str = "jinshui", **fields: Any) -> Any:
        values = {"stage": "construction", "actual_start": dt.date(2022, 3, 1)}
        values.update(fields)
        return make_project(unit, **values)

    return make


@pytest.fixture
def seed_report(orgs) -> Callable[..., Any]:
    """Write a stored report for a project and period directly (history before the import)."""
    from tuijin.reporting.models import ProgressReport
    from tuijin.reporting.periods import period_open

    def make(project: Any, period: str, *, month: str, ytd: str, cumulative: str, percent: str | None = None,
             status: str = "approved", started: bool = True) -> Any:
        with audit_context(source="system", reason="test fixture"):
            return ProgressReport.objects.create(
                unit=project.unit, period=period_open(period), project=project,
                month_amount_yuan=wan_to_yuan(month), ytd_amount_yuan=wan_to_yuan(ytd),
                cumulative_amount_yuan=wan_to_yuan(cumulative), percent_complete=percent, started=started,
                status=status,
            )

    return make


@pytest.fixture
def lock_unit_period(orgs) -> Callable[[str, str, str], Any]:
    from tuijin.reporting.models import UnitPeriod
    from tuijin.reporting.periods import period_open

    def lock(unit: str, period: str, status: str = "submitted") -> Any:
        with audit_context(source="system", reason="test fixture"):
            up, _ = UnitPeriod.objects.update_or_create(unit=orgs[unit], period=period_open(period),
                                                        defaults={"status": status})
        return up

    return lock
