"""Import of monthly progress from Excel (二(七)20 按月报送本地投资进展情况; DESIGN §4.5, §7, §8).

Two phases, as STYLE "Imports: every error at once" asks:

1. **Validate.** The file is checked as a file (:mod:`tuijin.toolkit.spreadsheets`: size,
   xlsx not OLE/encrypted, no zip bomb; then one sheet with the template's headers, no
   formulas, no merged header cells, the template's period and unit), then every row
   is parsed with python-calamine into a compact tuple and validated: types, unknown
   or duplicate codes, projects outside the actor's scope or not reportable for the
   period. Every problem is collected with sheet, Excel row, column and a Chinese
   reason. The data-quality flags of :func:`tuijin.reporting.rules.quality_warnings`
   become warnings.
2. **Commit**, only when there is no error and it is not a dry run: one
   transaction that upserts the changed rows in bulk (SQLite ``executemany`` with
   ``INSERT … ON CONFLICT DO UPDATE``; PostgreSQL ``COPY`` into a temporary table and
   one ``INSERT … SELECT … ON CONFLICT``), recomputes later months of the same
   projects, and appends one audit entry per changed row plus one for the batch,
   all under the caller's audit context (one request id). Unchanged rows are
   neither written nor audited, so importing the same file twice changes nothing.

Nothing here builds ORM objects per row: rows stream from calamine into tuples,
reference data is loaded with one query per kind, and writes are set-based (DESIGN §8).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from tuijin.audit import services as audit
from tuijin.audit import writer as audit_writer
from tuijin.audit.models import AuditEntry
from tuijin.audit.writer import AuditRow, Head
from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.projects.models import AnnualPlan, Project
from tuijin.projects.rules import STAGE_LABELS, project_code_problem
from tuijin.toolkit import clock, fields, spreadsheets
from tuijin.toolkit.errors import Conflict, NotFound, ValidationFailed
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.spreadsheets import ImportIssues, SpreadsheetRefused, Workbook, cell_text, is_blank

from . import rules
from .calendar import period_plan
from .models import Period, ProgressReport, SubmissionStatus, UnitPeriod
from .periods import LOCKED_STATUSES, period_open, unit_period_for
from .selectors import reportable_projects
from .workbook import (
    COL_AMOUNT,
    COL_CODE,
    COL_NOTES,
    COL_PERCENT,
    COL_PROGRESS,
    COL_STARTED,
    DATA_SHEET,
    HEADERS,
    INSTRUCTIONS_SHEET,
    META_KIND,
    META_PERIOD,
    META_SHEET,
    META_UNIT,
    NO,
    REQUIRED_HEADERS,
    TEMPLATE_KIND,
    TEXT_MAX_LENGTH,
    YES,
)

ProgressCallback = Callable[[int, int], None]

#: Sanity bound on one month's amount (5000亿元 = 50,000,000 万元): larger is a unit slip (元 for 万元).
MAX_MONTH_AMOUNT_WAN = Decimal("50000000")
#: The changes shown after an import (or previewed by a dry run).
MAX_LISTED_CHANGES = 500
#: The template's sheets that hold no data: without a sheet named DATA_SHEET, the first other visible one is read.
NOT_DATA_SHEETS = (INSTRUCTIONS_SHEET, META_SHEET)
#: What the refusal of a file that is not a zip tells the user to do.
RESAVE_ADVICE = "请使用下载的模板填报，或在 Excel 中“另存为”.xlsx"

_PERCENT_QUANT = Decimal("0.01")
_STATUS_LABELS = {SubmissionStatus.SUBMITTED: "已提交", SubmissionStatus.APPROVED: "已审核"}


# ---------------------------------------------------------------------------
# Result

@dataclass(kw_only=True)
class ImportResult(ImportIssues):
    """What an import found and did; ``as_dict()`` is the JSON of the CLI and the API (the shared
    shape of :class:`~tuijin.toolkit.spreadsheets.ImportIssues` plus ``changes``)."""

    period: str
    unit: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cascaded: int = 0  # later months' rows whose derived totals were recomputed
    batch: uuid.UUID | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "cascaded": self.cascaded, "batch": str(self.batch) if self.batch else None, "period": self.period,
            "unit": self.unit, "dry_run": self.dry_run, **super().summary(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "changes": self.changes}

    def report_lines(self) -> list[str]:
        """The Chinese report of the CLI (and of a plain-text page)."""
        lines = self.issue_lines(warning_title="数据质量提示")
        tail = f"，重算后续月份 {self.cascaded} 行" if self.cascaded else ""
        lines.append(self.outcome_line(f"{self.unit} {self.period}：数据行 {self.rows} 行", dry_run=self.dry_run,
                                       created=self.created, updated=self.updated, unchanged=self.unchanged,
                                       done=f"{tail}。批次号 {self.batch}"))
        return lines


def count_data_rows(path: str | os.PathLike[str]) -> int:
    """A cheap count of the data rows (below the header) of a progress workbook; 0 if unreadable
    (see :func:`tuijin.toolkit.spreadsheets.count_data_rows`), so a door can decide to run a large import
    as a background job."""
    return spreadsheets.count_data_rows(path, sheet=DATA_SHEET, skip=NOT_DATA_SHEETS)


# ---------------------------------------------------------------------------
# Cell values: calamine gives '' for empty, float/int, str, bool, date/datetime/time/timedelta
# (cell_text and is_blank from tuijin.toolkit.spreadsheets; cell_text gives booleans as 是 / 否, i.e. YES / NO)

#: How a cell of the month amount is refused (the import report names its row and column).
_AMOUNT_WORDS = replace(fields.CELL, required="必填：本月没有投资请填0")


def _amount_yuan(value: Any) -> tuple[int | None, str | None]:
    try:
        return fields.money_yuan(value, field=COL_AMOUNT, words=_AMOUNT_WORDS,
                                 maximum_wan=MAX_MONTH_AMOUNT_WAN), None
    except ValidationFailed as exc:
        return None, exc.message


def _percent(value: Any) -> tuple[Decimal | None, str | None]:
    try:
        return fields.percent(value, field=COL_PERCENT, words=fields.PERCENT_CELL), None
    except ValidationFailed as exc:
        return None, exc.message


_STARTED = {"yes": frozenset({YES}), "no": frozenset({NO}), "required": True,
            "required_message": f"必填：请选择“{YES}”或“{NO}”", "message": f"应为“{YES}”或“{NO}”，实际为“{{text}}”"}


def _started(value: Any) -> tuple[bool | None, str | None]:
    try:
        return fields.flag(value, field=COL_STARTED, **_STARTED), None
    except ValidationFailed as exc:
        return None, exc.message


# ---------------------------------------------------------------------------
# The import

def _period_key(year: int, month: int) -> int:
    return year * 12 + month - 1


_REPORTS = ProgressReport._meta.db_table


def _fetch(sql: str, params: list[Any]) -> Iterator[tuple]:
    """Rows of a read on the progress table, one at a time and without the ORM's per-value
    converters (DESIGN §8: reference data for 100,000 rows stays small and quick)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            yield from batch


def _as_percent(value: Any) -> Decimal | None:
    """A stored percent as Decimal: SQLite gives back a float or int, PostgreSQL a Decimal."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.quantize(_PERCENT_QUANT)
    return (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)).quantize(_PERCENT_QUANT)


def import_progress(*, actor: User | None, path: str | os.PathLike[str], period_code: str, unit_code: str,
                    dry_run: bool = False, progress: ProgressCallback | None = None,
                    filename: str | None = None) -> ImportResult:
    """Validate a unit's monthly progress workbook for a period and, when clean, commit it.

    二(七)20, DESIGN §4.5. ``actor`` None is the system (command line without ``--as``),
    city-wide. Every problem of the file is an error of the result, and then nothing is
    written; data-quality flags are warnings. A wrong period format, an unknown unit or a
    unit outside the actor's scope raise :class:`~tuijin.toolkit.errors.ApplicationError`.
    ``progress(done, total)`` is called as rows are validated and written.
    The commit needs an open audit context (its request id ties the batch together).
    """
    run = _ProgressImport(actor=actor, path=Path(path), period_code=period_code, unit_code=unit_code,
                          dry_run=dry_run, progress=progress, filename=filename)
    return run.execute()


def may_import(actor: User | None, *, unit: str) -> bool:
    """Whether ``actor`` may import a month of the unit ``unit`` (a code): whoever may edit its reports."""
    org = Org.objects.filter(code=(unit or "").strip()).first()
    return org is not None and policy.can(policy.acting(actor), "edit_unit", org)


def _refusal(*, door: str, unit: str = "", **_params: Any) -> str:
    if door == uploads.PAGE:  # the unit's own page: it needs no name
        return "您只能查看该单位的月报，不能导入"
    name = Org.objects.filter(code=(unit or "").strip()).values_list("name", flat=True).first() or unit
    if door == uploads.API:
        return f"您只能查看{name}的月报，不能导入"
    return f"您无权为{name}导入月度进展"


def _run(*, period: str, unit: str, **kwargs: Any) -> ImportResult:
    # import_progress is looked up when called, so that a test may stand in for it
    return import_progress(period_code=period, unit_code=unit, **kwargs)


#: The monthly progress import in the upload pipeline: page, API (``progress/import/``), ``tuijin
#: import-progress``, and a background job for a file of more than ``TUIJIN_ASYNC_IMPORT_ROWS`` rows.
PROGRESS = uploads.register(uploads.Importer(
    kind="progress_import", label="月度进展", run=_run, may_import=may_import, refusal=_refusal,
    params=("period", "unit"), checks=("unit",), background=True, count_rows=count_data_rows,
    unreadable="无法读取或导入该文件，请确认它是由本系统模板填写的 .xlsx 文件",
))


class _ProgressImport:
    def __init__(self, *, actor: User | None, path: Path, period_code: str, unit_code: str, dry_run: bool,
                 progress: ProgressCallback | None, filename: str | None) -> None:
        try:
            self.year, self.month = rules.parse_period(period_code)
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="period") from exc
        self.period_code = rules.period_code(self.year, self.month)
        unit = Org.objects.filter(code=(unit_code or "").strip()).first()
        if unit is None or not unit.is_reporting_unit:
            raise NotFound(f"报送单位“{unit_code}”不存在", field="unit")
        uploads.admit(PROGRESS, actor=actor, unit=unit.code)  # the import's one permission check
        self.unit = unit
        self.actor = actor
        self.viewer = policy.acting(actor)
        self.path = path
        self.filename = filename or path.name
        self.dry_run = dry_run
        self.progress = progress
        self.result = ImportResult(period=self.period_code, unit=unit.code, dry_run=dry_run)
        self.sheet = DATA_SHEET
        self.period: Period | None = Period.objects.filter(year=self.year, month=self.month).first()
        self.sha256 = ""
        self.total = 0
        self.plan = period_plan(self.year, self.month)
        self.quality = self.plan.rules.data_quality
        # Validated rows: (excel_row, project, month_yuan, progress, percent, started, notes), where
        # project is the shared (id, name, stage, total_yuan, code) tuple of the reference query.
        self.rows: list[tuple[int, tuple, int, str, Decimal | None, bool, str]] = []

    # -- driver ---------------------------------------------------------------
    def execute(self) -> ImportResult:
        result = self.result
        self._check_period()
        try:
            xlsx = spreadsheets.check_xlsx(self.path, advice=RESAVE_ADVICE)
            self.sha256 = xlsx.sha256
            part = xlsx.sheet(DATA_SHEET, skip=NOT_DATA_SHEETS)
            self.sheet = part.name
            formulas = xlsx.formula_cells(part)
            self._read(formulas, has_meta=any(p.name == META_SHEET for p in xlsx.sheets))
        except SpreadsheetRefused as exc:
            result.refuse(exc)
        if result.ok:
            changes = self._derive()
            if changes and not self.dry_run:
                self._commit(changes)
        result.sort(HEADERS)
        self._tick(self.total)
        return result

    def _tick(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)

    # -- checks before reading ----------------------------------------------
    def _check_period(self) -> None:
        calendar = self.plan.rules.reporting_calendar
        opens = dt.date(self.year, self.month, calendar.period_opens_day)
        if opens > clock.today():
            self.result.add_error(f"报送期{self.period_code}尚未开始（{opens.isoformat()}起可报送）")
        if self.period is not None:
            status = (UnitPeriod.objects.filter(unit=self.unit, period=self.period)
                      .values_list("status", flat=True).first())
            if status in LOCKED_STATUSES:
                self.result.add_error(self._locked_message(status))

    def _locked_message(self, status: str) -> str:
        what = f"{self.unit.name}{self.period_code}的月报{_STATUS_LABELS.get(status, status)}"
        if status == SubmissionStatus.APPROVED:
            return f"{what}（已锁定），不能再导入；如需更正，请提交更正申请，经市发展改革委审核后生效"
        return f"{what}，正在审核，不能再导入；如需修改，请联系市发展改革委退回后再导入"

    # -- phase 1: parse and validate every row ------------------------------
    def _read(self, formulas: list[tuple[str, int]], *, has_meta: bool) -> None:
        result = self.result
        with spreadsheets.open_book(self.path, detail=False) as book:
            self._check_meta(book, has_meta)
            sheet = book.sheet(self.sheet)
            if sheet.empty:
                raise SpreadsheetRefused("工作表为空，没有表头和数据行", sheet=self.sheet)
            if sheet.first_row != 1:
                raise SpreadsheetRefused("第1行应为表头（项目代码、项目名称、本月完成投资（万元）等），请使用下载的模板",
                                         sheet=self.sheet)
            for ref, row in sheet.merged_ranges():
                if row == 1:
                    result.add_error(f"表头（第1行）有合并单元格 {ref}：请取消合并，每列一个表头", sheet=self.sheet)
                else:
                    result.add_error(f"有合并单元格 {ref}：请取消合并，每个单元格填一个值", row=row, sheet=self.sheet)
            data_rows = sheet.last_row - 1
            if data_rows > settings.TUIJIN_MAX_IMPORT_ROWS:
                raise SpreadsheetRefused(f"数据行数 {data_rows} 超过上限 {settings.TUIJIN_MAX_IMPORT_ROWS} 行，请分批导入",
                                         sheet=self.sheet)
            rows = sheet.rows()  # cells by absolute column index, so columns and formula cells match
            _number, header = next(rows, (1, []))
            columns = self._columns(header)
            for letter, row in formulas:
                index = spreadsheets.column_index(letter)
                name = next((h for h, i in columns.items() if i == index), f"{letter}列")
                result.add_error(f"单元格 {letter}{row} 含有公式：导入不计算公式，请复制后“粘贴为数值”",
                                 row=row, column=name if row > 1 else "", sheet=self.sheet)
            if any(h not in columns for h in REQUIRED_HEADERS):
                return
            if data_rows <= 0:
                raise SpreadsheetRefused("文件中没有数据行（表头下方为空）", sheet=self.sheet)
            self.total = data_rows * (1 if self.dry_run else 2)
            self._validate_rows(rows, columns)
        if result.rows == 0 and result.ok:
            raise SpreadsheetRefused("文件中没有数据行（表头下方为空）", sheet=self.sheet)

    def _check_meta(self, book: Workbook, has_meta: bool) -> None:
        if not has_meta:
            self.result.add_warning("文件不是从本系统下载的模板（缺少模板标识），无法核对报送期和单位，请确认无误")
            return
        try:  # key and value are the first two used columns, wherever they stand
            meta_sheet = book.sheet(META_SHEET)
            values = [cells[meta_sheet.first_col:] for _number, cells in meta_sheet.rows()]
        except Exception:  # an unreadable metadata sheet is treated as missing
            values = []
        meta = {cell_text(r[0]): cell_text(r[1]) for r in values if len(r) >= 2}
        kind, period, unit = meta.get(META_KIND, ""), meta.get(META_PERIOD, ""), meta.get(META_UNIT, "")
        if kind and kind != TEMPLATE_KIND:
            self.result.add_error("文件不是月度进展填报模板")
        if period and period != self.period_code:
            self.result.add_error(f"文件是{period}的模板，与本次导入的报送期{self.period_code}不符：请下载{self.period_code}"
                                  f"的模板填报，或选择正确的报送期")
        if unit and unit != self.unit.code:
            other = Org.objects.filter(code=unit).values_list("name", flat=True).first() or unit
            self.result.add_error(f"文件是{other}的模板，与本次导入的单位{self.unit.name}不符")

    def _columns(self, header: list[Any]) -> dict[str, int]:
        """Header name → column index; errors for missing or repeated headers."""
        columns, repeated = spreadsheets.map_headers(header, HEADERS)
        for name, first, again in repeated:
            letters = f"{spreadsheets.column_letter(first)}列和{spreadsheets.column_letter(again)}列"
            self.result.add_error(f"表头“{name}”重复出现（{letters}）", row=1, sheet=self.sheet)
        missing = [h for h in REQUIRED_HEADERS if h not in columns]
        if missing:
            self.result.add_error(f"缺少必需的列：{'、'.join(missing)}（请使用下载的模板，不要修改表头）",
                                  row=1, sheet=self.sheet)
        return columns

    def _reportable(self) -> dict[str, tuple[int, str, str, int, str]]:
        """The unit's reportable projects for the period, in the actor's scope:
        code → (id, name, stage, total_yuan, code)."""
        period = self.period or Period(code=self.period_code, year=self.year, month=self.month)
        start = dt.date(self.year, self.month, 1)
        return {
            code: (pid, name, rules.stage_during(stage, actual_end, start), total, code)
            for code, pid, name, stage, actual_end, total
            in reportable_projects(user=self.viewer, unit=self.unit, period=period)
            .filter(project_code__isnull=False)
            .values_list("project_code", "id", "name", "stage", "actual_end", "total_investment_yuan")
        }

    def _validate_rows(self, rows: Iterator[tuple[int, list[Any]]], columns: dict[str, int]) -> None:
        result = self.result
        sheet = self.sheet
        projects = self._reportable()
        i_code, i_amount = columns[COL_CODE], columns[COL_AMOUNT]
        i_progress, i_percent, i_started = columns[COL_PROGRESS], columns[COL_PERCENT], columns[COL_STARTED]
        i_notes = columns.get(COL_NOTES)
        width = max(columns.values()) + 1
        seen: dict[str, int] = {}  # code → first row; keys are the reference query's strings where possible
        foreign: dict[str, int] = {}  # codes not among the reportable projects → row
        out = self.rows
        append = out.append
        tick_every = 2000
        for excel_row, cells in rows:
            if excel_row % tick_every == 0:
                self._tick(excel_row)
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            code_raw, amount_raw, progress_raw = cells[i_code], cells[i_amount], cells[i_progress]
            percent_raw, started_raw = cells[i_percent], cells[i_started]
            notes_raw = cells[i_notes] if i_notes is not None else ""
            values = (code_raw, amount_raw, progress_raw, percent_raw, started_raw, notes_raw)
            if values.count("") == 6 or all(is_blank(v) for v in values):
                continue
            result.rows += 1
            errors_before = result.error_count
            code = code_raw.strip() if type(code_raw) is str else cell_text(code_raw)
            project = None
            if not code:
                result.add_error("必填", row=excel_row, column=COL_CODE, sheet=sheet)
            else:
                found = projects.get(code)
                key = code if found is None else found[4]
                first = seen.get(key)
                if first is not None:
                    result.add_error(f"项目代码与第{first}行重复，同一项目每月只能填报一行", row=excel_row,
                                     column=COL_CODE, sheet=sheet)
                else:
                    seen[key] = excel_row
                    if found is None:  # explained after the loop, with one query for all such codes
                        foreign[code] = excel_row
                    else:
                        project = found
            amount, problem = _amount_yuan(amount_raw)
            if problem:
                result.add_error(problem, row=excel_row, column=COL_AMOUNT, sheet=sheet)
            progress_text = progress_raw.strip() if type(progress_raw) is str else cell_text(progress_raw)
            if len(progress_text) > TEXT_MAX_LENGTH:
                result.add_error(f"最多{TEXT_MAX_LENGTH}字，实际{len(progress_text)}字", row=excel_row,
                                 column=COL_PROGRESS, sheet=sheet)
            percent, problem = _percent(percent_raw)
            if problem:
                result.add_error(problem, row=excel_row, column=COL_PERCENT, sheet=sheet)
            started, problem = _started(started_raw)
            if problem:
                result.add_error(problem, row=excel_row, column=COL_STARTED, sheet=sheet)
            notes = notes_raw.strip() if type(notes_raw) is str else cell_text(notes_raw)
            if len(notes) > TEXT_MAX_LENGTH:
                result.add_error(f"最多{TEXT_MAX_LENGTH}字，实际{len(notes)}字", row=excel_row, column=COL_NOTES,
                                 sheet=sheet)
            if result.error_count == errors_before and project is not None:
                append((excel_row, project, amount, progress_text, percent, started, notes))
        if foreign:
            self._foreign_codes(foreign)
        absent = sorted(code for code in projects if code not in seen)
        if absent:
            shown = "、".join(absent[:5]) + ("等" if len(absent) > 5 else "")
            result.add_warning(f"本期应报项目中有{len(absent)}个不在文件中（{shown}），这些项目本月将视为未报送",
                               sheet=sheet)

    def _foreign_codes(self, foreign: dict[str, int]) -> None:
        """Codes not among the reportable projects: the unit's project in another stage, another
        unit's project (visible or not to the actor), or an unknown code."""
        codes = list(foreign)
        visible: dict[str, tuple[int, str, str]] = {}
        existing: set[str] = set()
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            visible.update((code, (unit_id, unit_name, stage)) for code, unit_id, unit_name, stage
                           in Project.objects.visible_to(self.viewer).filter(project_code__in=chunk)
                           .values_list("project_code", "unit_id", "unit__name", "stage"))
            existing.update(Project.objects.filter(project_code__in=chunk).values_list("project_code", flat=True))
        for code, row in foreign.items():
            if code in visible and visible[code][0] == self.unit.pk:
                stage = visible[code][2]
                message = (f"项目处于{STAGE_LABELS.get(stage, stage)}，不在{self.period_code}的应报项目范围内"
                           f"（应报：在建项目、本年计划开工的拟开工项目、本年竣工的项目）")
            elif code in visible:
                message = f"项目属于{visible[code][1]}，不能在{self.unit.name}的月报中导入"
            elif code in existing:
                message = "项目不在您的权限范围内，不能导入"
            else:
                problem = project_code_problem(code)
                message = f"项目库中没有该项目代码（{problem}）" if problem else "项目库中没有该项目代码"
            self.result.add_error(message, row=row, column=COL_CODE, sheet=self.sheet)

    # -- derive ytd / cumulative, warnings, what changes ---------------------
    def _derive(self) -> list[tuple]:
        """Derived totals and data-quality warnings for every valid row; returns the rows that change.

        ytd = the latest earlier report's ytd (same year) + this month; cumulative = its
        cumulative + this month (二(七)20: 本年累计、开工累计 derived, never typed).
        """
        result = self.result
        periods = {_period_key(y, m): pid for pid, y, m in Period.objects.values_list("id", "year", "month")}
        self.periods = periods
        key = _period_key(self.year, self.month)
        window = max(int(self.quality.spike_window_months), 1)
        spike_factor = Decimal(self.quality.spike_factor)
        previous, trailing = self._history(periods, key, window)
        plans = dict(AnnualPlan.objects.visible_to(self.viewer).filter(project__unit=self.unit, year=self.year)
                     .values_list("project_id", "amount_yuan"))
        current: dict[int, tuple] = {}
        if self.period is not None:
            rows = _fetch(f"SELECT project_id, id, month_amount_yuan, ytd_amount_yuan, cumulative_amount_yuan, "
                          f"physical_progress, percent_complete, started, notes, status FROM {_REPORTS} "
                          f"WHERE unit_id = %s AND period_id = %s", [self.unit.pk, self.period.pk])
            current = {pid: (rid, month_amount, ytd, cumulative, progress_text, _as_percent(percent), bool(started),
                             notes, status)
                       for pid, rid, month_amount, ytd, cumulative, progress_text, percent, started, notes, status
                       in rows}
        changes: list[tuple] = []
        sheet = self.sheet
        year = self.year
        rows = self.rows
        rows.reverse()
        while rows:  # consumed as it goes, so that rows and changes are not both held in full
            excel_row, project, amount, progress_text, percent, started, notes = rows.pop()
            pid, name, stage, total, code = project
            prev = previous.get(pid)  # (period key, ytd, cumulative, percent)
            if prev is None:
                ytd, cumulative, prev_percent = amount, amount, None
            else:
                ytd = amount + (prev[1] if prev[0] // 12 == year else 0)
                cumulative = amount + prev[2]
                prev_percent = _as_percent(prev[3])
            facts = rules.RowFacts(
                month_amount_yuan=amount, ytd_yuan=ytd, cumulative_yuan=cumulative,
                annual_plan_yuan=plans.get(pid), total_investment_yuan=total,
                trailing_amounts_yuan=tuple(trailing.get(pid, ())), percent_complete=percent,
                previous_percent=prev_percent, project_stage=stage, started=started,
            )
            for column, message in rules.quality_warnings(facts, spike_factor=spike_factor, spike_window=window):
                result.add_warning(message, row=excel_row, column=column, sheet=sheet)
            new = (amount, ytd, cumulative, progress_text, percent, started, notes)
            existing = current.get(pid)
            if existing is not None and existing[1:8] == new:
                result.unchanged += 1
                continue
            if existing is None:
                result.created += 1
            else:
                result.updated += 1
            changes.append((excel_row, project, *new, existing))
            if len(result.changes) < MAX_LISTED_CHANGES:
                result.changes.append(_change_view(excel_row, code, name, new, existing))
        return changes

    def _history(self, periods: dict[int, int], key: int, window: int
                 ) -> tuple[dict[int, tuple], dict[int, list[int]]]:
        """Each project's latest earlier report ``(period key, ytd, cumulative, percent)``, and its
        amounts of the ``window`` months before this one.

        One query of the last months' rows; projects without a row there (a gap in
        reporting) fall back to one windowed query of the older rows.
        """
        key_of = {pid: k for k, pid in periods.items()}
        recent_ids = [periods[k] for k in range(key - window, key) if k in periods]
        previous: dict[int, tuple] = {}
        first = key - window
        amounts: dict[int, list[int | None]] = {}  # project → the window's amounts, oldest first
        if recent_ids:
            marks = ", ".join(["%s"] * len(recent_ids))
            rows = _fetch(f"SELECT project_id, period_id, month_amount_yuan, ytd_amount_yuan, cumulative_amount_yuan, "
                          f"percent_complete FROM {_REPORTS} WHERE unit_id = %s AND period_id IN ({marks})",
                          [self.unit.pk, *recent_ids])
            for pid, period_id, month_amount, ytd, cumulative, percent in rows:
                k = key_of[period_id]
                months = amounts.get(pid)
                if months is None:
                    months = amounts[pid] = [None] * window
                months[k - first] = month_amount
                best = previous.get(pid)
                if best is None or k > best[0]:
                    previous[pid] = (k, ytd, cumulative, percent)
        missing = {row[1][0] for row in self.rows} - previous.keys()
        older_ids = [pid for k, pid in periods.items() if k < key - window]
        if missing and older_ids:
            latest = (ProgressReport.objects.filter(unit=self.unit, period_id__in=older_ids)
                      .annotate(rank=Window(RowNumber(), partition_by=[F("project_id")],
                                            order_by=[F("period__year").desc(), F("period__month").desc()]))
                      .filter(rank=1)
                      .values_list("project_id", "period__year", "period__month", "ytd_amount_yuan",
                                   "cumulative_amount_yuan", "percent_complete"))
            for pid, year, month, ytd, cumulative, percent in latest:
                if pid in missing:
                    previous[pid] = (_period_key(year, month), ytd, cumulative, percent)
        for pid in [pid for pid, months in amounts.items() if None in months]:
            del amounts[pid]  # a month missing in the window: no spike check
        return previous, amounts

    # -- phase 2: commit ------------------------------------------------------
    def _commit(self, changes: list[tuple]) -> None:
        result = self.result
        ctx_entry = audit.build_entry(action="import", object_type="reporting.progressimport")  # needs a context
        batch = uuid.uuid4()
        now = clock.real_now()  # the audit entries' time; the rows are stamped at the business moment
        with transaction.atomic():
            period = self.period or period_open(self.period_code)
            self.period = period
            unit_period = unit_period_for(unit=self.unit, period=period)
            status = (UnitPeriod.objects.select_for_update().filter(pk=unit_period.pk)
                      .values_list("status", flat=True).first())
            if status in LOCKED_STATUSES:  # submitted while this import was validating
                result.add_error(self._locked_message(status))
                return
            writer = _Writer(unit_id=self.unit.pk, period_id=period.pk, batch=batch, now=now,
                             stamp=clock.now(), user_id=self.actor.pk if self.actor is not None else None)
            writer.upsert((c[1][0], c[2], c[3], c[4], c[5], c[6], c[7], c[8]) for c in changes)
            self._tick(self.total - self.total // 4)
            # Created rows: their audit entries are built by the database from the rows just written.
            audited = writer.audit_created(ctx_entry, period_code=self.period_code)
            entries = _AuditRows(ctx_entry, now)
            for _row, project, amount, ytd, cumulative, progress_text, percent, started, notes, existing in changes:
                if existing is None:
                    continue
                _pid, name, _stage, _total, code = project
                after = _state(code, self.period_code, (amount, ytd, cumulative, progress_text, percent, started,
                                                        notes, SubmissionStatus.DRAFT))
                entries.add(action="update", object_id=existing[0], object_repr=f"{name} {self.period_code}",
                            before=_state(code, self.period_code, existing[1:9]), after=after)
            if audited + len(entries.rows) != len(changes):
                # Another import of the same rows committed in between: start again rather than guess.
                raise Conflict("同一单位、同一报送期的另一份导入刚刚完成，请重新导入")
            result.cascaded = self._cascade(changes, writer, entries)
            writer.append_audit(entries.rows)
            ctx_entry.object_id = str(batch)
            ctx_entry.object_repr = f"{self.unit.display_name} {self.period_code} 月度进展导入"[:255]
            ctx_entry.after = {"file": self.filename, "sha256": self.sha256, "period": self.period_code,
                               "unit": self.unit.code, "rows": result.rows, "created": result.created,
                               "updated": result.updated, "unchanged": result.unchanged,
                               "cascaded": result.cascaded}
            ctx_entry.at = now
            audit.record_many([ctx_entry])
        result.batch = batch

    def _cascade(self, changes: list[tuple], writer: _Writer, entries: _AuditRows) -> int:
        """Recompute ytd and cumulative of later months of the changed projects (their inputs stay)."""
        key = _period_key(self.year, self.month)
        later = {pid: k for k, pid in self.periods.items() if k > key}
        if not later:
            return 0
        start = {c[1][0]: (c[3], c[4]) for c in changes}  # project → (ytd, cumulative) at this period
        by_id = {c[1][0]: (c[1][4], c[1][1]) for c in changes}  # project → (code, name)
        rows = (ProgressReport.objects.filter(unit=self.unit, period_id__in=list(later))
                .values_list("id", "project_id", "period_id", "month_amount_yuan", "ytd_amount_yuan",
                             "cumulative_amount_yuan"))
        by_project: dict[int, list[tuple[int, int, int, int, int]]] = {}
        for rid, pid, period_id, month_amount, ytd, cumulative in rows:
            if pid in start:
                by_project.setdefault(pid, []).append((later[period_id], rid, month_amount, ytd, cumulative))
        updates: list[tuple[int, int, int]] = []
        codes = {k: f"{k // 12}-{k % 12 + 1:02d}" for k in later.values()}
        for pid, items in by_project.items():
            ytd, cumulative = start[pid]
            year = self.year
            for k, rid, month_amount, old_ytd, old_cumulative in sorted(items):
                ytd = month_amount + (ytd if k // 12 == year else 0)
                cumulative += month_amount
                year = k // 12
                if (ytd, cumulative) != (old_ytd, old_cumulative):
                    updates.append((ytd, cumulative, rid))
                    code, name = by_id[pid]
                    entries.add(action="update", object_id=rid, object_repr=f"{name} {codes[k]}",
                                before={"project": code, "period": codes[k], "ytd_amount_yuan": old_ytd,
                                        "cumulative_amount_yuan": old_cumulative},
                                after={"project": code, "period": codes[k], "ytd_amount_yuan": ytd,
                                       "cumulative_amount_yuan": cumulative},
                                reason=f"导入{self.period_code}月度进展后重算后续月份累计")
        writer.update_totals(updates)
        return len(updates)


def _state(code: str, period: str, values: Iterable[Any]) -> dict[str, Any]:
    amount, ytd, cumulative, progress_text, percent, started, notes, status = values
    return {"project": code, "period": period, "month_amount_yuan": amount, "ytd_amount_yuan": ytd,
            "cumulative_amount_yuan": cumulative, "physical_progress": progress_text,
            "percent_complete": None if percent is None else str(Decimal(percent).quantize(_PERCENT_QUANT)),
            "started": bool(started), "notes": notes, "status": str(status)}


def _wan_text(yuan: int) -> str:
    return str(yuan_to_wan(yuan))


def _change_view(row: int, code: str, name: str, new: tuple, existing: tuple | None) -> dict[str, Any]:
    """One line of "what changed" for the page and the JSON (amounts in 万元)."""
    def view(values: tuple) -> dict[str, Any]:
        amount, ytd, cumulative, progress_text, percent, started, notes = values
        return {"month_amount_wan": _wan_text(amount), "ytd_amount_wan": _wan_text(ytd),
                "cumulative_amount_wan": _wan_text(cumulative), "physical_progress": progress_text,
                "percent_complete": None if percent is None else str(percent), "started": bool(started),
                "notes": notes}
    after = view(new)
    before = None if existing is None else view(tuple(existing[1:8]))
    if before is not None:
        after = {k: v for k, v in after.items() if before[k] != v}
        before = {k: before[k] for k in after}
    return {"row": row, "project_code": code, "project_name": name,
            "action": "create" if existing is None else "update", "before": before, "after": after}


# ---------------------------------------------------------------------------
# Bulk writes (DESIGN §8): executemany on SQLite, COPY + one upsert on PostgreSQL

_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _AuditRows:
    """The import's per-row audit entries, for the one bulk writer (:mod:`tuijin.audit.writer`)."""

    def __init__(self, template: AuditEntry, now: dt.datetime) -> None:
        self.template = template
        self.now = now
        self.rows: list[AuditRow] = []

    def add(self, *, action: str, object_id: int | str, object_repr: str, before: dict | None, after: dict,
            reason: str = "") -> None:
        self.rows.append(AuditRow(action, "reporting.progressreport", str(object_id), object_repr[:255],
                                  None if before is None else _json(before), _json(after),
                                  reason or self.template.reason))


class _Writer:
    _REPORT_COLUMNS = ("unit_id", "period_id", "project_id", "month_amount_yuan", "ytd_amount_yuan",
                       "cumulative_amount_yuan", "physical_progress", "percent_complete", "started", "notes",
                       "status", "return_reason", "import_batch", "version", "updated_at", "updated_by_id")
    _ON_CONFLICT_SET = ("month_amount_yuan", "ytd_amount_yuan", "cumulative_amount_yuan", "physical_progress",
                        "percent_complete", "started", "notes", "status", "import_batch", "updated_at",
                        "updated_by_id")

    def __init__(self, *, unit_id: int, period_id: int, batch: uuid.UUID, now: dt.datetime, stamp: dt.datetime,
                 user_id: int | None) -> None:
        """``now``: the real moment, for the audit entries; ``stamp``: the business moment, the rows' ``updated_at``."""
        self.unit_id, self.period_id, self.user_id = unit_id, period_id, user_id
        self.batch, self.now, self.stamp = batch, now, stamp
        self.postgres = connection.vendor == "postgresql"
        self.qn = connection.ops.quote_name
        self.table = self.qn(ProgressReport._meta.db_table)

    def _prep(self, model: type, name: str, value: Any) -> Any:
        return model._meta.get_field(name).get_db_prep_save(value, connection)

    def _upsert_sql(self, source: str) -> str:
        qn = self.qn
        cols = ", ".join(qn(c) for c in self._REPORT_COLUMNS)
        # On SQLite a foreign key in the DO UPDATE list makes every insert about 3× slower
        # (measured); there updated_by_id is set afterwards by one statement (see upsert).
        assigned = [c for c in self._ON_CONFLICT_SET if self.postgres or c != "updated_by_id"]
        updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in assigned)
        return (f"INSERT INTO {self.table} ({cols}) {source} "
                f"ON CONFLICT ({qn('unit_id')}, {qn('period_id')}, {qn('project_id')}) DO UPDATE SET {updates}, "
                f"{qn('version')} = {self.table}.{qn('version')} + 1")

    def upsert(self, rows: Iterable[tuple]) -> None:
        """rows: (project_id, month, ytd, cumulative, progress, percent, started, notes)."""
        batch = self._prep(ProgressReport, "import_batch", self.batch)
        now = self._prep(ProgressReport, "updated_at", self.stamp)
        draft = str(SubmissionStatus.DRAFT)
        with connection.cursor() as cursor:
            if self.postgres:
                temp = self.qn(f"tuijin_import_{self.batch.hex[:16]}")
                cursor.execute(f"CREATE TEMPORARY TABLE {temp} (project_id bigint, month_amount_yuan bigint, "
                               "ytd_amount_yuan bigint, cumulative_amount_yuan bigint, physical_progress text, "
                               "percent_complete numeric(5,2), started boolean, notes text) ON COMMIT DROP")
                with cursor.cursor.copy(f"COPY {temp} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                select = (f"SELECT %s::bigint, %s::bigint, project_id, month_amount_yuan, ytd_amount_yuan, cumulative_amount_yuan, "
                          f"physical_progress, percent_complete, started, notes, %s, '', %s::uuid, 1, %s::timestamptz, "
                          f"%s::bigint FROM {temp}")
                cursor.execute(self._upsert_sql(select),
                               [self.unit_id, self.period_id, draft, batch, now, self.user_id])
                cursor.execute(f"DROP TABLE {temp}")
            else:
                values = "VALUES (" + ", ".join(["%s"] * len(self._REPORT_COLUMNS)) + ")"
                unit_id, period_id, user_id = self.unit_id, self.period_id, self.user_id
                cursor.executemany(self._upsert_sql(values), [
                    (unit_id, period_id, pid, month, ytd, cumulative, progress_text, percent, started, notes,
                     draft, "", batch, 1, now, user_id)
                    for pid, month, ytd, cumulative, progress_text, percent, started, notes in rows
                ])
                # Rows that existed (updated through DO UPDATE) take the importing user here.
                cursor.execute(f"UPDATE {self.table} SET {self.qn('updated_by_id')} = %s WHERE "
                               f"{self.qn('unit_id')} = %s AND {self.qn('period_id')} = %s AND "
                               f"{self.qn('import_batch')} = %s AND {self.qn('updated_by_id')} IS NOT %s",
                               [user_id, unit_id, period_id, batch, user_id])

    def audit_created(self, ctx: AuditEntry, *, period_code: str) -> int:
        """One ``create`` audit entry per row this batch inserted, built by the database from the rows
        just written (one INSERT … SELECT through the audit writer).

        The JSON matches what :func:`_state` writes for updated rows. Returns the count.
        """
        projects = self.qn(Project._meta.db_table)
        if self.postgres:
            after = ("jsonb_build_object('project', p.project_code, 'period', %s::text, "
                     "'month_amount_yuan', r.month_amount_yuan, 'ytd_amount_yuan', r.ytd_amount_yuan, "
                     "'cumulative_amount_yuan', r.cumulative_amount_yuan, 'physical_progress', r.physical_progress, "
                     "'percent_complete', r.percent_complete::text, 'started', r.started, 'notes', r.notes, "
                     "'status', r.status)")
        else:
            after = ("json_object('project', p.project_code, 'period', %s, "
                     "'month_amount_yuan', r.month_amount_yuan, 'ytd_amount_yuan', r.ytd_amount_yuan, "
                     "'cumulative_amount_yuan', r.cumulative_amount_yuan, 'physical_progress', r.physical_progress, "
                     "'percent_complete', CASE WHEN r.percent_complete IS NULL THEN NULL "
                     "ELSE printf('%%.2f', r.percent_complete) END, "
                     "'started', json(CASE WHEN r.started THEN 'true' ELSE 'false' END), 'notes', r.notes, "
                     "'status', r.status)")
        select = (f"SELECT {{head}}, 'create', 'reporting.progressreport', "
                  f"CAST(r.id AS TEXT), SUBSTR(p.name || ' ' || %s, 1, 255), NULL, {after}, %s "
                  f"FROM {self.table} r JOIN {projects} p ON p.id = r.project_id "
                  f"WHERE r.unit_id = %s AND r.period_id = %s AND r.import_batch = %s AND r.version = 1")
        params = [period_code, period_code, ctx.reason, self.unit_id, self.period_id,
                  self._prep(ProgressReport, "import_batch", self.batch)]
        return audit_writer.write_select(select, params, head=Head.of(at=self.now))

    def update_totals(self, updates: list[tuple[int, int, int]]) -> None:
        """Later months' recomputed (ytd, cumulative, id)."""
        if not updates:
            return
        qn = self.qn
        now = self._prep(ProgressReport, "updated_at", self.stamp)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {self.table} SET {qn('ytd_amount_yuan')} = %s, {qn('cumulative_amount_yuan')} = %s, "
                f"{qn('version')} = {qn('version')} + 1, {qn('updated_at')} = %s WHERE {qn('id')} = %s",
                [(ytd, cumulative, now, rid) for ytd, cumulative, rid in updates])

    def append_audit(self, rows: list[AuditRow]) -> None:
        """Append the per-row audit entries in bulk (the audit writer: executemany / COPY)."""
        audit_writer.write(rows, at=self.now)
