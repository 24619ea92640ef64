"""Bulk statistics inclusion (入库纳统, 二(七)19) from the statistics bureau's Excel list.

The sheet has the column ``项目代码`` (required) and optionally ``入库日期`` (YYYY-MM-DD; empty: the
import date); a title row above the header is allowed, other columns are ignored. Two phases as
every import: the file is checked as a file (:mod:`tuijin.toolkit.spreadsheets`), every row is validated
and every problem listed as ``第N行 列名：原因``; only a clean file is written, in one transaction,
with one audit entry per project that changed. Projects already included with the same date are
counted as unchanged, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.projects.models import Project
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.spreadsheets import (
    ImportIssues,
    SpreadsheetRefused,
    cell_text,
    check_xlsx,
    column_letter,
    is_blank,
    map_headers,
    norm_header,
    open_sheet,
)

from . import services

COL_CODE = "项目代码"
COL_DATE = "入库日期"
HEADERS = (COL_CODE, COL_DATE)
HEADER_SEARCH_ROWS = 10


@dataclass
class InclusionImportResult(ImportIssues):
    dry_run: bool = False
    rows: int = 0
    updated: int = 0
    unchanged: int = 0
    projects: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "updated": self.updated, "unchanged": self.unchanged, "dry_run": self.dry_run,
                **super().summary()}

    def report_lines(self) -> list[str]:
        lines = self.issue_lines()
        head = f"入库纳统名单：数据行 {self.rows} 行"
        if not self.ok:
            lines.append(f"{head}；未导入。")
        elif self.dry_run:
            lines.append(f"{head}；校验通过（试导入，未写入）：将标记入库 {self.updated} 个项目，{self.unchanged} 个无变化。")
        else:
            lines.append(f"{head}；导入完成：标记入库 {self.updated} 个项目，{self.unchanged} 个无变化。")
        return lines


def import_inclusion(*, actor: User | None, path: str | os.PathLike[str], dry_run: bool = False
                     ) -> InclusionImportResult:
    """Validate the list and, when clean and not a dry run, mark the projects included (二(七)19)."""
    uploads.admit(INCLUSION, actor=actor)  # the import's one permission check
    result = InclusionImportResult(dry_run=dry_run)
    marks: list[tuple[int, dt.date]] = []
    sheet_name = ""
    try:
        xlsx = check_xlsx(Path(path))
        part = xlsx.sheet(None)
        sheet_name = part.name
        for letter, row in xlsx.formula_cells(part):
            result.add_error(f"单元格 {letter}{row} 含有公式：请复制后“粘贴为数值”", row=row, sheet=sheet_name)
        marks = _read(Path(path), sheet_name, result)
    except SpreadsheetRefused as exc:
        result.add_error(exc.message, sheet=exc.sheet or sheet_name)
    if result.ok and result.rows == 0:
        result.add_error("文件中没有数据行（表头下方为空）", sheet=sheet_name)
    result.sort(HEADERS)
    if not result.ok:
        return result
    current = {p.pk: (p.in_statistics, p.statistics_date)
               for p in Project.objects.filter(pk__in=[pk for pk, _d in marks]).only("in_statistics", "statistics_date")}
    changing = [(pk, day) for pk, day in marks if current[pk] != (True, day)]
    result.unchanged = len(marks) - len(changing)
    result.updated = len(changing)
    if not dry_run and changing:
        services.statistics_mark(marks=changing)
    return result




def _run(*, actor: User | None, path: str | os.PathLike[str], dry_run: bool, **_unused: Any
         ) -> InclusionImportResult:
    return import_inclusion(actor=actor, path=path, dry_run=dry_run)  # no file name or progress to record


#: The statistics-inclusion import in the upload pipeline: page, API (``programmes/statistics/import/``),
#: ``tuijin import-statistics-inclusion``.
INCLUSION = uploads.register(uploads.Importer(
    kind="statistics_inclusion_import", label="入库纳统名单", run=_run,
    may_import=lambda actor, **_: policy.can(policy.acting(actor), "act_for_city_or_department",
                                             services.statistics_inclusion_departments()),
    refusal="只有统计局、市发展改革委可以导入入库纳统名单",
))


def _read(path: Path, sheet_name: str, result: InclusionImportResult) -> list[tuple[int, dt.date]]:
    today = clock.today()
    marks: list[tuple[int, dt.date]] = []
    with open_sheet(path, sheet_name) as sheet:
        if sheet.empty:
            raise SpreadsheetRefused("工作表为空，没有表头和数据行", sheet=sheet_name)
        for ref, row in sheet.merged_ranges():
            result.add_error(f"有合并单元格 {ref}：请取消合并", row=row, sheet=sheet_name)
        rows = sheet.rows()
        header_row, columns = 0, {}
        wanted = {norm_header(h) for h in HEADERS}
        for number, cells in rows:
            if all(is_blank(c) for c in cells):
                continue
            if any(norm_header(c) in wanted for c in cells):
                header_row = number
                columns, repeated = map_headers(cells, HEADERS)
                for name, first, again in repeated:
                    result.add_error(f"表头“{name}”重复出现（{column_letter(first)}列和{column_letter(again)}列）",
                                     row=number, sheet=sheet_name)
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if COL_CODE not in columns:
            result.add_error(f"缺少必需的列：{COL_CODE}（可另加“{COL_DATE}”列）", row=header_row or None,
                             sheet=sheet_name)
            return []
        if sheet.last_row - header_row > settings.TUIJIN_MAX_IMPORT_ROWS:
            raise SpreadsheetRefused(f"数据行数超过上限 {settings.TUIJIN_MAX_IMPORT_ROWS} 行，请分批导入", sheet=sheet_name)
        i_code, i_date = columns[COL_CODE], columns.get(COL_DATE)
        parsed: list[tuple[int, str, dt.date | None]] = []
        seen: dict[str, int] = {}
        for number, cells in rows:
            cells = [*cells, *([""] * (max(i_code, i_date or 0) + 1 - len(cells)))]
            if is_blank(cells[i_code]) and (i_date is None or is_blank(cells[i_date])):
                continue
            result.rows += 1
            code = cell_text(cells[i_code]).upper()
            if not code:
                result.add_error("必填：国家项目代码（YYYY-AAAAAA-BB-CC-NNNNNN）", row=number, column=COL_CODE,
                                 sheet=sheet_name)
                continue
            if code in seen:
                result.add_error(f"与第{seen[code]}行重复", row=number, column=COL_CODE, sheet=sheet_name)
                continue
            seen[code] = number
            day: dt.date | None = today
            if i_date is not None and not is_blank(cells[i_date]):
                try:
                    day = fields.date(cells[i_date], field=COL_DATE, slashes=True,
                                      message="日期格式应为 YYYY-MM-DD，实际为“{text}”")
                except ValidationFailed as exc:
                    day = None
                    result.add_error(exc.message, row=number, column=COL_DATE, sheet=sheet_name)
                if day is not None and day > today:
                    result.add_error("入库日期不能晚于今天", row=number, column=COL_DATE, sheet=sheet_name)
                    day = None
            parsed.append((number, code, day))
    found = {p.project_code: p for p in Project.objects.filter(project_code__in=[c for _n, c, _d in parsed])
             .only("pk", "project_code", "stage", "actual_start")}
    for number, code, day in parsed:
        project = found.get(code)
        if project is None:
            result.add_error(f"项目代码“{code}”在项目库中不存在", row=number, column=COL_CODE, sheet=sheet_name)
            continue
        if project.stage == "cancelled":
            result.add_error(f"项目“{code}”已取消，不能标记入库", row=number, column=COL_CODE, sheet=sheet_name)
            continue
        if project.actual_start is None:
            result.add_warning("该项目尚未填写实际开工日期，请核实", row=number, column=COL_CODE, sheet=sheet_name)
        if day is not None:
            marks.append((project.pk, day))
    return marks
