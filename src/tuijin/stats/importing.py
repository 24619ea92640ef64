"""Import of official statistics from Excel (DESIGN §4.6; issue 4 item 1).

The statistics bureau's sheet has exactly these columns (any order; a title row above the
header is allowed)::

    单位代码 | 指标 | 本年累计（万元） | 同比增长（%） [| 期间]

* ``单位代码`` — a reporting unit's code (``jinshui`` …) or ``city`` for the city as a whole; the
  unit's Chinese name (``金水区``), and ``全市`` / ``合计`` / the city's name for the city, are accepted too.
* ``指标`` — an indicator of the plan (``fai``, ``industrial``, ``infrastructure``,
  ``real_estate``) or its Chinese name (固定资产投资, 工业投资, 基础设施投资, 房地产开发投资;
  also without 投资, and 固投).
* ``本年累计（万元）`` — the year-to-date value in 万元 (up to 4 decimals: exact to 1 元).
* ``同比增长（%）`` — year-on-year growth in percent, −100 to 1000, up to 2 decimals; may be
  left empty (a warning: that figure then has no growth to rank by).
* ``期间`` (optional) — the row's month as ``YYYY-MM``; without the column, or in an empty cell,
  the month given to the import (``--period``). One file can so hold a whole year of baselines.

Two phases, as STYLE "Imports: every error at once" asks: the file is checked as a file
(:mod:`tuijin.toolkit.spreadsheets`: size, xlsx not OLE/encrypted, no zip bomb, no formulas, no merged
cells, the row limit), then every row is validated and every problem is collected with sheet,
Excel row, column and a Chinese reason; when there is none and it is not a dry run,
:func:`tuijin.stats.services.figures_save` writes the changed rows in one transaction with one
audit entry per changed row and one for the batch. Unchanged rows are not written, so importing
the same file twice changes nothing.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import REPORTING_KINDS, Org, OrgKind, User
from tuijin.plan import current_plan
from tuijin.toolkit import fields
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import parse_period
from tuijin.toolkit.spreadsheets import (
    ImportIssues,
    SpreadsheetRefused,
    cell_text,
    check_xlsx,
    column_index,
    column_letter,
    is_blank,
    map_headers,
    norm_header,
    open_sheet,
)

from . import services, signals
from .models import OfficialStat
from .services import Figure

COL_ORG = "单位代码"
COL_INDICATOR = "指标"
COL_VALUE = "本年累计（万元）"
COL_GROWTH = "同比增长（%）"
COL_PERIOD = "期间"
#: The required columns, in the bureau's order; ``期间`` is optional.
HEADERS: tuple[str, ...] = (COL_ORG, COL_INDICATOR, COL_VALUE, COL_GROWTH)
ALL_HEADERS: tuple[str, ...] = (*HEADERS, COL_PERIOD)
#: The header row is looked for among the first rows (a title may stand above it).
HEADER_SEARCH_ROWS = 10

GROWTH_MIN, GROWTH_MAX = Decimal(-100), Decimal(1000)
#: Sanity bound on a year-to-date value: 10万亿元. Larger is a unit slip (元 typed for 万元).
MAX_VALUE_WAN = Decimal("1000000000")
#: The city's figure may differ from the units' sum (city-level projects); beyond this share it is flagged.
CITY_SUM_TOLERANCE = Decimal("0.01")
#: Stated growth further than this (points) from the growth over last year's stored figure is flagged.
GROWTH_CHECK_POINTS = Decimal(5)
MAX_LISTED_CHANGES = 500
CITY_WORDS = ("city", "全市", "市本级合计", "合计")

_GROWTH_QUANT = Decimal("0.01")
#: How a figure's cells are refused (the import report names the row and the column).
_VALUE_WORDS = replace(fields.CELL, required="必填：本年累计完成投资，单位万元")
_GROWTH_UNIT = "（单位%，如 8.5 表示增长8.5%，-3.2 表示下降3.2%）"
_GROWTH_WORDS = fields.PercentWords(
    invalid="应为数字，实际为“{text}”" + _GROWTH_UNIT,
    out_of_range="应在{low}至{high}之间（单位%），实际为{number}",
    too_precise="最多保留2位小数，实际为{number}",
    not_a_number="应为数字" + _GROWTH_UNIT,
    not_finite="应为有限的数字" + _GROWTH_UNIT,
)


@dataclass
class StatsImportResult(ImportIssues):
    """What an import of official statistics found and did; ``as_dict()`` is the JSON of every door."""

    period: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    periods: list[str] = field(default_factory=list)
    batch: uuid.UUID | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "batch": str(self.batch) if self.batch else None, "period": self.period, "periods": self.periods,
            "dry_run": self.dry_run, **super().summary(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "changes": self.changes}

    def report_lines(self) -> list[str]:
        """The Chinese report of the command line."""
        lines = self.issue_lines()
        months = "、".join(self.periods) if self.periods else self.period
        head = f"官方统计数据 {months}：数据行 {self.rows} 行"
        if not self.ok:
            lines.append(f"{head}；未导入。")
        elif self.dry_run:
            lines.append(f"{head}；校验通过（试导入，未写入）：将新增 {self.created} 行、更新 {self.updated} 行、"
                         f"{self.unchanged} 行无变化。")
        else:
            batch = f"批次号 {self.batch}" if self.batch else "没有需要写入的变化"
            lines.append(f"{head}；导入完成：新增 {self.created} 行、更新 {self.updated} 行、"
                         f"{self.unchanged} 行无变化。{batch}")
        return lines


def import_stats(*, actor: User | None, path: str | os.PathLike[str], period_code: str, dry_run: bool = False,
                 filename: str | None = None) -> StatsImportResult:
    """Validate a sheet of official statistics and, when it is clean, store it (DESIGN §4.6).

    ``period_code`` (``YYYY-MM``) is the month of every row without a ``期间`` of its own.
    ``actor`` None is the system (command line without ``--as``). An actor who may not import
    (:func:`tuijin.stats.services.may_import`) or a malformed or future period raise
    :class:`~tuijin.toolkit.errors.ApplicationError`; every problem of the file is an error of the
    result, and then nothing is written. The commit needs an open audit context.
    """
    uploads.admit(STATS, actor=actor)  # the import's one permission check
    year, month = services.period_get(period_code)
    return _StatsImport(path=Path(path), year=year, month=month, dry_run=dry_run,
                        filename=filename or Path(path).name).execute()


def _run(*, period: str, progress: Any = None, **kwargs: Any) -> StatsImportResult:
    return import_stats(period_code=period, **kwargs)  # this import is quick: no progress to report


#: The import of official statistics in the upload pipeline: page, API (``stats/import/``), ``tuijin import-stats``.
STATS = uploads.register(uploads.Importer(
    kind="stats_import", label="官方统计数据", run=_run, may_import=lambda actor, **_: policy.can(policy.acting(actor), "act_for_city_or_department",
                                             (services.STATISTICS_BUREAU,)),
    refusal="只有市统计局和市发展改革委可以导入官方统计数据", params=("period",),
))


def _indicator_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """Accepted spellings → indicator code, and code → Chinese name, from the plan."""
    lookup: dict[str, str] = {}
    names: dict[str, str] = {}
    for indicator in current_plan().indicators:
        names[indicator.code] = indicator.name
        for word in (indicator.code, indicator.name, indicator.name.removesuffix("投资")):
            lookup[norm_header(word).lower()] = indicator.code
    if "fai" in names:
        lookup.setdefault("固投", "fai")
    return lookup, names


def _org_lookup() -> tuple[dict[str, Org], list[Org]]:
    """Accepted spellings → org (the city and the reporting units), and the units in order."""
    lookup: dict[str, Org] = {}
    units: list[Org] = []
    for org in services.reporting_orgs():
        words = [org.code, org.name, org.short_name]
        if org.kind == OrgKind.CITY:
            words += list(CITY_WORDS)
        else:
            units.append(org)
        for word in words:
            if word:
                lookup.setdefault(norm_header(word).lower(), org)
    return lookup, units


class _StatsImport:
    def __init__(self, *, path: Path, year: int, month: int, dry_run: bool, filename: str) -> None:
        self.path = path
        self.year, self.month = year, month
        self.period = services.period_code(year, month)
        self.dry_run = dry_run
        self.filename = filename
        self.result = StatsImportResult(period=self.period, dry_run=dry_run)
        self.sheet = ""
        self.sha256 = ""
        self.figures: list[Figure] = []
        self.columns: dict[str, int] = {}  # header → column index
        self.indicator_names: dict[str, str] = {}  # code → Chinese name, from the plan
        self.units: list[Org] = []  # the reporting units, in the plan's order

    def execute(self) -> StatsImportResult:
        result = self.result
        try:
            xlsx = check_xlsx(self.path)
            self.sha256 = xlsx.sha256
            part = xlsx.sheet(None)
            self.sheet = part.name
            self._read(xlsx.formula_cells(part))
        except SpreadsheetRefused as exc:
            result.add_error(exc.message, sheet=exc.sheet or self.sheet)
        if result.ok:
            self._check_totals()
            self._check_growth()
            self._derive()
        order = [name for name, _i in sorted(self.columns.items(), key=lambda item: item[1])]
        result.sort([*order, *(h for h in ALL_HEADERS if h not in order)])
        return result

    # -- phase 1: the file, the header, every row ------------------------------
    def _read(self, formulas: list[tuple[str, int]]) -> None:
        result = self.result
        with open_sheet(self.path, self.sheet) as sheet:
            if sheet.empty:
                raise SpreadsheetRefused("工作表为空，没有表头和数据行", sheet=self.sheet)
            for ref, row in sheet.merged_ranges():
                result.add_error(f"有合并单元格 {ref}：请取消合并，每个单元格填一个值", row=row, sheet=self.sheet)
            header_row, header, rows = self._find_header(sheet.rows())
            if header_row == 0:
                raise SpreadsheetRefused("工作表为空，没有表头和数据行", sheet=self.sheet)
            data_rows = sheet.last_row - header_row
            if data_rows > settings.TUIJIN_MAX_IMPORT_ROWS:
                raise SpreadsheetRefused(f"数据行数 {data_rows} 超过上限 {settings.TUIJIN_MAX_IMPORT_ROWS} 行，请分批导入",
                                         sheet=self.sheet)
            self._header(header_row, header)
            names = {i: h for h, i in self.columns.items()}
            for letter, row in formulas:
                column = names.get(column_index(letter), f"{letter}列") if row > header_row else ""
                result.add_error(f"单元格 {letter}{row} 含有公式：导入不计算公式，请复制后“粘贴为数值”",
                                 row=row, column=column, sheet=self.sheet)
            self._validate_rows(rows)
        if result.rows == 0 and result.ok:
            raise SpreadsheetRefused("文件中没有数据行（表头下方为空）", sheet=self.sheet)

    def _find_header(self, rows: Iterator[tuple[int, list[Any]]]
                     ) -> tuple[int, list[Any], Iterator[tuple[int, list[Any]]]]:
        """The header row and the rows below it: the first of the first non-empty rows naming at
        least two of the columns, else the first non-empty row (its missing columns are reported).
        Rows above the header (a title) are ignored."""
        wanted = {norm_header(h) for h in ALL_HEADERS}
        read: list[tuple[int, list[Any]]] = []
        for number, cells in rows:
            if all(is_blank(c) for c in cells):
                continue
            read.append((number, cells))
            if sum(1 for c in cells if norm_header(c) in wanted) >= 2:
                return number, cells, rows
            if len(read) >= HEADER_SEARCH_ROWS:
                break
        if not read:
            return 0, [], rows
        number, cells = read[0]
        return number, cells, itertools.chain(read[1:], rows)

    def _header(self, number: int, cells: list[Any]) -> None:
        result = self.result
        columns, repeated = map_headers(cells, ALL_HEADERS)
        for name, first, again in repeated:
            result.add_error(f"表头“{name}”重复出现（{column_letter(first)}列和{column_letter(again)}列）",
                             row=number, sheet=self.sheet)
        missing = [h for h in HEADERS if h not in columns]
        if missing:
            result.add_error(f"缺少必需的列：{'、'.join(missing)}（表头应为 {'、'.join(HEADERS)}，"
                             f"可另加“{COL_PERIOD}”列）", row=number, sheet=self.sheet)
        self.columns = columns

    def _validate_rows(self, rows: Iterator[tuple[int, list[Any]]]) -> None:
        result = self.result
        sheet = self.sheet
        indicators, self.indicator_names = _indicator_lookup()
        orgs, self.units = _org_lookup()
        columns = self.columns
        width = max(columns.values(), default=0) + 1
        i_org, i_indicator = columns.get(COL_ORG), columns.get(COL_INDICATOR)
        i_value, i_growth, i_period = columns.get(COL_VALUE), columns.get(COL_GROWTH), columns.get(COL_PERIOD)
        present = [i for i in (i_org, i_indicator, i_value, i_growth, i_period) if i is not None]
        seen: dict[tuple[int, str, int, int], int] = {}
        periods: set[tuple[int, int]] = set()
        for number, cells in rows:
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            if all(is_blank(cells[i]) for i in present):
                continue
            result.rows += 1
            errors_before = result.error_count

            def error(message: str, column: str, number: int = number) -> None:
                result.add_error(message, row=number, column=column, sheet=sheet)

            year, month = self.year, self.month
            if i_period is not None and not is_blank(cells[i_period]):
                try:
                    year, month = parse_period(cells[i_period], what="", lenient=True)
                except ValidationFailed as exc:
                    error(exc.message, COL_PERIOD)
                    year = month = 0
                else:
                    problem = services.future_problem(year, month) or services.unpublished_problem(year, month)
                    if problem:
                        error(problem, COL_PERIOD)
                        year = month = 0
            org = None
            if i_org is not None:
                text = cell_text(cells[i_org])
                if not text:
                    error(f"必填：区县（市）/开发区代码（如 {self._example_codes()[0]}），全市填 city", COL_ORG)
                else:
                    org = orgs.get(norm_header(text).lower())
                    if org is None:
                        error(f"未知的单位代码“{text}”：应为{len(self.units)}个区县（市）/开发区的代码"
                              f"（如 {'、'.join(self._example_codes())}）或 city（全市）", COL_ORG)
            indicator = None
            if i_indicator is not None:
                text = cell_text(cells[i_indicator])
                if not text:
                    error(f"必填：{self._indicator_choices()}", COL_INDICATOR)
                else:
                    indicator = indicators.get(norm_header(text).lower())
                    if indicator is None:
                        error(f"未知的指标“{text}”：应为{self._indicator_choices()}", COL_INDICATOR)
            value_yuan = self._value(cells[i_value], error) if i_value is not None else None
            growth = self._growth(cells[i_growth], error) if i_growth is not None else None
            if i_growth is not None and is_blank(cells[i_growth]):
                result.add_warning("同比增长未填写：该数据没有增速，不参加增速排名", row=number, column=COL_GROWTH,
                                   sheet=sheet)
            if org is None or indicator is None or not year:
                continue
            key = (org.pk, indicator, year, month)
            if key in seen:
                error(f"与第{seen[key]}行重复：同一单位、同一指标、同一期间只能有一行"
                      f"（{org.display_name} {self.indicator_names[indicator]} {services.period_code(year, month)}）",
                      COL_ORG)
                continue
            seen[key] = number
            if result.error_count == errors_before and value_yuan is not None:
                periods.add((year, month))
                self.figures.append(Figure(
                    org_id=org.pk, org_code=org.code, org_name=org.display_name, indicator=indicator,
                    indicator_name=self.indicator_names[indicator], year=year, month=month,
                    ytd_value_yuan=value_yuan, yoy_growth=growth, row=number))
        result.periods = [services.period_code(y, m) for y, m in sorted(periods)]

    def _example_codes(self) -> list[str]:
        """The city's own unit codes for the error messages: its first district and first zone."""
        examples = [next((u.code for u in self.units if u.kind == kind), None) for kind in REPORTING_KINDS]
        return [code for code in examples if code] or ["city"]

    def _indicator_choices(self) -> str:
        return "、".join(f"{code}（{name}）" for code, name in self.indicator_names.items())

    @staticmethod
    def _value(raw: Any, error: Callable[[str, str], None]) -> int | None:
        try:
            return fields.money_yuan(raw, field=COL_VALUE, words=_VALUE_WORDS, maximum_wan=MAX_VALUE_WAN)
        except ValidationFailed as exc:
            error(exc.message, COL_VALUE)
            return None

    @staticmethod
    def _growth(raw: Any, error: Callable[[str, str], None]) -> Decimal | None:
        try:
            return fields.percent(raw, field=COL_GROWTH, words=_GROWTH_WORDS, low=GROWTH_MIN, high=GROWTH_MAX)
        except ValidationFailed as exc:
            error(exc.message, COL_GROWTH)
            return None

    # -- data-quality warnings (not blocking) ----------------------------------
    def _check_totals(self) -> None:
        """Per month and indicator in the file: units missing from it, and a city figure far from the units' sum."""
        result = self.result
        by_group: dict[tuple[int, int, str], dict[str, Figure]] = defaultdict(dict)
        for f in self.figures:
            by_group[(f.year, f.month, f.indicator)][f.org_code] = f
        unit_codes = [u.code for u in self.units]
        for (year, month, indicator), figures in sorted(by_group.items()):
            what = f"{services.period_code(year, month)} {self.indicator_names[indicator]}"
            given = [code for code in unit_codes if code in figures]
            absent = [u.display_name for u in self.units if u.code not in figures]
            if given and absent:
                shown = "、".join(absent[:6]) + ("等" if len(absent) > 6 else "")
                result.add_warning(f"{what}：文件缺少{len(absent)}个单位的数据（{shown}），缺少的单位本月不参加排名",
                                   sheet=self.sheet)
            city = next((f for code, f in figures.items() if code not in unit_codes), None)
            if city is not None and not absent and city.ytd_value_yuan:
                total = sum(figures[code].ytd_value_yuan for code in unit_codes)
                gap = Decimal(total - city.ytd_value_yuan) / Decimal(city.ytd_value_yuan)
                if abs(gap) > CITY_SUM_TOLERANCE:
                    result.add_warning(
                        f"{what}：全市本年累计{yuan_to_wan(city.ytd_value_yuan):,.0f}万元与各单位合计"
                        f"{yuan_to_wan(total):,.0f}万元相差{gap * 100:.1f}%，请核实", row=city.row, column=COL_VALUE,
                        sheet=self.sheet)

    def _check_growth(self) -> None:
        """Stated growth far from the growth over the same month of last year as stored (or in the file)."""
        in_file = {f.key: f.ytd_value_yuan for f in self.figures}
        wanted = {(f.org_id, f.indicator, f.year - 1, f.month) for f in self.figures if f.yoy_growth is not None}
        stored = services.existing_figures(wanted - in_file.keys())
        for f in self.figures:
            if f.yoy_growth is None:
                continue
            key = (f.org_id, f.indicator, f.year - 1, f.month)
            base = in_file.get(key)
            if base is None and key in stored:
                base = stored[key].ytd_value_yuan
            if not base:
                continue
            implied = (Decimal(f.ytd_value_yuan) / Decimal(base) - 1) * 100
            if abs(implied - f.yoy_growth) > GROWTH_CHECK_POINTS:
                self.result.add_warning(
                    f"同比增长{f.yoy_growth.normalize():f}%与按去年同期数据推算的增速{implied:.1f}%相差较大，请核实",
                    row=f.row, column=COL_GROWTH, sheet=self.sheet)

    # -- what changes, and phase 2 ---------------------------------------------
    def _derive(self) -> None:
        result = self.result
        diff = services.figures_diff(self.figures)
        result.created, result.updated, result.unchanged = len(diff.created), len(diff.updated), diff.unchanged
        for f in diff.created:
            self._change(f, None)
        for f, old in diff.updated:
            self._change(f, old)
        result.changes.sort(key=lambda c: c["row"])
        if self.dry_run or not diff.changed:
            return
        months = "、".join(result.periods)
        saved = services.figures_save(
            figures=self.figures, what=f"官方统计数据导入 {months}（{self.filename}）",
            details={"file": self.filename, "sha256": self.sha256, "period": self.period, "periods": result.periods,
                     "rows": result.rows})
        result.batch = saved.batch
        result.created, result.updated, result.unchanged = (
            len(saved.diff.created), len(saved.diff.updated), saved.diff.unchanged)
        self._announce(result.periods, saved.batch)

    @staticmethod
    def _announce(periods: list[str], batch: uuid.UUID) -> None:
        """Tell the apps above that new official figures are in (assessment records each month's
        escalations for the supervision office at once, 三(三)): one signal per month, in order."""
        for code in sorted(set(periods)):
            year, month = (int(part) for part in code.split("-"))
            signals.statistics_imported.send(sender=OfficialStat, year=year, month=month, batch=batch)

    def _change(self, f: Figure, old: services.Existing | None) -> None:
        if len(self.result.changes) >= MAX_LISTED_CHANGES:
            return
        before = None
        if old is not None:
            before = {"ytd_value_wan": _wan(old.ytd_value_yuan), "yoy_growth": _growth_text(old.yoy_growth)}
        self.result.changes.append({
            "row": f.row, "org": f.org_code, "org_name": f.org_name, "indicator": f.indicator,
            "indicator_name": f.indicator_name, "period": f.period,
            "action": "create" if old is None else "update", "before": before,
            "after": {"ytd_value_wan": _wan(f.ytd_value_yuan), "yoy_growth": _growth_text(f.yoy_growth)},
        })


def _wan(yuan: int | None) -> str | None:
    value = yuan_to_wan(yuan)
    return None if value is None else str(value)


def _growth_text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(_GROWTH_QUANT))
