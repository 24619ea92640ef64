"""Import of the bond ledger (专项债券资金支出台账) from Excel, two-phase like the other importers.

One sheet with these columns (any order; a title row above the header is allowed)::

    项目代码 | 月份 | 本月支出（万元）

* ``项目代码`` — the national code of a project with a special-bond quota in the month's year, in
  the importer's scope (a unit imports only its own projects: another unit's code is "unknown").
* ``月份`` — ``YYYY-MM``, not in the future.
* ``本月支出（万元）`` — bond money spent in that month, ≥ 0, up to 4 decimals.

Phase 1 checks the file (:func:`tuijin.toolkit.spreadsheets.check_xlsx`) and every row, collecting every
problem as ``第N行 列名：原因``; a project-month twice in the file and a year's spending above the
bonds issued are errors too. Phase 2, only when there is no error and it is not a dry run, writes
the changed rows in one transaction (one audit entry per changed row, one for the batch).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Sum

from tuijin.audit import services as audit
from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.projects.models import Project
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.periods import parse_period
from tuijin.toolkit.spreadsheets import (
    ImportIssues,
    SpreadsheetRefused,
    cell_text,
    check_xlsx,
    is_blank,
    map_headers,
    norm_header,
    open_sheet,
)

from .models import BondIssuance, BondQuota, BondSpending, SpendingSource

COL_CODE, COL_MONTH, COL_AMOUNT = "项目代码", "月份", "本月支出（万元）"
HEADERS = (COL_CODE, COL_MONTH, COL_AMOUNT)
#: How a month's spending cell is refused (the report names row and column); a blank one is no number.
_AMOUNT_WORDS = fields.MoneyWords(required="应为数字，实际为“”", invalid="{reason}", negative="金额不能为负数",
                                  not_positive="金额应大于0", too_large="金额过大")


@dataclass
class LedgerImportResult(ImportIssues):
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    batch: uuid.UUID | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "batch": str(self.batch) if self.batch else None, "dry_run": self.dry_run, **super().summary()}

    def report_lines(self) -> list[str]:
        lines = self.issue_lines()
        done = f"。批次号 {self.batch}" if self.batch else "。没有需要写入的变化"
        lines.append(self.outcome_line(f"专项债券支出台账：数据行 {self.rows} 行", dry_run=self.dry_run,
                                       created=self.created, updated=self.updated, unchanged=self.unchanged,
                                       done=done))
        return lines




def import_ledger(*, actor: User | None, path: str | os.PathLike[str], dry_run: bool = False) -> LedgerImportResult:
    """Validate a bond ledger and, when clean, store it (二(二)8). ``actor`` None: the system."""
    uploads.admit(LEDGER, actor=actor)  # the import's one permission check
    result = LedgerImportResult(dry_run=dry_run)
    rows: list[tuple[int, Project, int, int, int]] = []  # excel row, project, year, month, yuan
    sheet = ""
    try:
        xlsx = check_xlsx(Path(path))
        part = xlsx.sheet(None)
        sheet = part.name
        for letter, row in xlsx.formula_cells(part):
            result.add_error(f"单元格 {letter}{row} 含有公式：请“粘贴为数值”后再导入", row=row, sheet=sheet)
        with open_sheet(Path(path), sheet) as reader:
            if reader.empty:
                raise SpreadsheetRefused("工作表为空，没有表头和数据行", sheet=sheet)
            rows = _validate(reader.rows(), result, sheet, actor)
    except SpreadsheetRefused as exc:
        result.add_error(exc.message, sheet=exc.sheet or sheet)
    if result.ok and result.rows == 0:
        result.add_error("文件中没有数据行（表头下方为空）", sheet=sheet)
    if result.ok:
        _check_against_issued(rows, result, sheet)
    result.sort(HEADERS)
    if result.ok:
        _commit(rows, result, dry_run=dry_run)
    return result


def _run(*, actor: User | None, path: str | os.PathLike[str], dry_run: bool, **_unused: Any) -> LedgerImportResult:
    return import_ledger(actor=actor, path=path, dry_run=dry_run)  # no file name or progress to record


#: The bond ledger import in the upload pipeline: page, API (``bonds/ledger/import/``), ``tuijin import-bond-ledger``.
LEDGER = uploads.register(uploads.Importer(
    kind="bond_ledger_import", label="专项债券支出台账", run=_run,
    may_import=lambda actor, **_: policy.can(policy.acting(actor), "write_business_data"),
    refusal="只有市发展改革委管理员和报送单位可以导入专项债券支出台账", reason="import-bond-ledger",
))


def _validate(lines: Any, result: LedgerImportResult, sheet: str, actor: User | None
              ) -> list[tuple[int, Project, int, int, int]]:
    header_row, columns = 0, {}
    wanted = {norm_header(h) for h in HEADERS}
    pending: list[tuple[int, list[Any]]] = []
    for number, cells in lines:
        if header_row == 0:
            if all(is_blank(c) for c in cells):
                continue
            if sum(1 for c in cells if norm_header(c) in wanted) >= 2:
                header_row = number
                columns, repeated = map_headers(cells, HEADERS)
                for name, _a, _b in repeated:
                    result.add_error(f"表头“{name}”重复出现", row=number, sheet=sheet)
                missing = [h for h in HEADERS if h not in columns]
                if missing:
                    result.add_error(f"缺少必需的列：{'、'.join(missing)}（表头应为 {'、'.join(HEADERS)}）",
                                     row=number, sheet=sheet)
                    return []
            continue
        pending.append((number, cells))
    if header_row == 0:
        result.add_error(f"找不到表头（应为 {'、'.join(HEADERS)}）", sheet=sheet)
        return []
    projects = Project.objects.visible_to(actor) if actor is not None else Project.objects.all()
    codes = {cell_text(c[columns[COL_CODE]]).upper() for _n, c in pending if len(c) > columns[COL_CODE]}
    by_code = {p.project_code: p for p in projects.filter(project_code__in=codes).select_related("unit")}
    quota_years = set(BondQuota.objects.filter(project__in=by_code.values()).values_list("project_id", "batch__year"))
    today = clock.today()
    width = max(columns.values()) + 1
    seen: dict[tuple[int, int, int], int] = {}
    out = []
    for number, cells in pending:
        cells = [*cells, *([""] * (width - len(cells)))]
        if all(is_blank(cells[i]) for i in columns.values()):
            continue
        result.rows += 1
        before = result.error_count

        def error(message: str, column: str, number: int = number) -> None:
            result.add_error(message, row=number, column=column, sheet=sheet)

        code = cell_text(cells[columns[COL_CODE]]).upper()
        project = by_code.get(code)
        if not code:
            error("必填", COL_CODE)
        elif project is None:
            error(f"未知的项目代码“{code}”（或不在您的范围内）", COL_CODE)
        if actor is not None and project is not None and not policy.can(actor, "edit_unit", project.unit):
            error("只能导入本单位的项目", COL_CODE)
        year = month = 0
        raw = cells[columns[COL_MONTH]]
        text = raw.strftime("%Y-%m") if isinstance(raw, dt.date) else cell_text(raw)
        try:
            year, month = parse_period(text, lenient=True)
        except ValidationFailed:
            error(f"月份应为YYYY-MM（如2022-06），实际为“{text}”", COL_MONTH)
        if year and (year, month) > (today.year, today.month):
            error(f"月份 {text} 尚未到来", COL_MONTH)
            year = 0
        if year and project is not None and (project.pk, year) not in quota_years:
            error(f"项目在{year}年没有专项债券额度", COL_CODE)
        amount = 0
        try:
            amount = fields.money_yuan(cells[columns[COL_AMOUNT]], field=COL_AMOUNT, words=_AMOUNT_WORDS)
        except ValidationFailed as exc:
            error(exc.message, COL_AMOUNT)
        if year and project is not None:
            key = (project.pk, year, month)
            if key in seen:
                error(f"与第{seen[key]}行重复（同一项目同一月份只能有一行）", COL_MONTH)
            seen.setdefault(key, number)
        if result.error_count == before and project is not None:
            out.append((number, project, year, month, amount))
    return out


def _check_against_issued(rows: list[tuple[int, Project, int, int, int]], result: LedgerImportResult,
                          sheet: str) -> None:
    """A project's spending in a year may not exceed the bonds issued to it that year."""
    ids = {p.pk for _n, p, *_ in rows}
    issued = {(pid, y): s for pid, y, s in BondIssuance.objects.filter(quota__project_id__in=ids).values(
        "quota__project_id", "quota__batch__year").annotate(s=Sum("amount_yuan")).values_list(
        "quota__project_id", "quota__batch__year", "s")}
    totals: dict[tuple[int, int], int] = {}
    existing = {(pid, y, m): a for pid, y, m, a in BondSpending.objects.filter(project_id__in=ids).values_list(
        "project_id", "year", "month", "amount_yuan")}
    new = {(p.pk, y, m): a for _n, p, y, m, a in rows}
    for (pid, y, _m), a in {**existing, **new}.items():
        totals[(pid, y)] = totals.get((pid, y), 0) + a
    for number, project, year, _month, _amount in rows:
        cap = issued.get((project.pk, year), 0)
        if totals[(project.pk, year)] > cap:
            result.add_error(f"项目“{project.name}”{year}年累计支出将超过已发行额（{cap / 10000:,.2f}万元）",
                             row=number, column=COL_AMOUNT, sheet=sheet)


def _commit(rows: list[tuple[int, Project, int, int, int]], result: LedgerImportResult, *, dry_run: bool) -> None:
    existing = {(r.project_id, r.year, r.month): r for r in BondSpending.objects.filter(
        project_id__in={p.pk for _n, p, *_ in rows})}
    changed = []
    for _n, project, year, month, amount in rows:
        row = existing.get((project.pk, year, month))
        if row is None:
            result.created += 1
            changed.append(BondSpending(project=project, unit_id=project.unit_id, year=year, month=month,
                                        amount_yuan=amount, source=SpendingSource.LEDGER))
        elif row.amount_yuan != amount or row.source != SpendingSource.LEDGER:
            result.updated += 1
            row.amount_yuan, row.source = amount, SpendingSource.LEDGER
            changed.append(row)
        else:
            result.unchanged += 1
        result.changes.append({"project_code": project.project_code, "month": f"{year}-{month:02d}",
                               "amount_wan": str(yuan_to_wan(amount))})
    if dry_run or not changed:
        return
    with transaction.atomic():
        for row in changed:
            row.save()  # each records its own entry
        # The batch summary: not a row change, an event of its own.
        batch = audit.record(action="import", object_type="bonds.bondspending", object_repr="专项债券支出台账",
                             after={"created": result.created, "updated": result.updated})
        result.batch = batch.request_id
