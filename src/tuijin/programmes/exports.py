"""Excel exports of the programmes: the financing-needs list (二(五)12) and the batch report (二(二)6).
Always from data the caller already scoped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from tuijin.toolkit.spreadsheets import new_workbook

FINANCING_HEADERS = [
    ("项目代码", "project_code", 26), ("项目名称", "name", 40), ("报送单位", "unit", 12), ("项目单位", "owner", 30),
    ("所属领域", "field", 16), ("总投资（万元）", "total_wan", 14), ("计划融资（万元）", "planned_wan", 14),
    ("已到位（万元）", "in_place_wan", 14), ("融资缺口（万元）", "gap_wan", 14), ("联系人", "contact", 10),
    ("联系电话", "phone", 14),
]
NUMBER_KEYS = {"total_wan", "planned_wan", "in_place_wan", "gap_wan"}


def _table(book: Any, sheet: Any, headers: list[tuple[str, str, int]], rows: Iterable[dict[str, Any]],
           first_row: int = 0) -> int:
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for col, (label, _key, width) in enumerate(headers):
        sheet.write(first_row, col, label, head)
        sheet.set_column(col, col, width)
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, (_label, key, _w) in enumerate(headers):
            value = row.get(key)
            if value is None:
                sheet.write_blank(first_row + n, col, None)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(first_row + n, col, value, money if key in NUMBER_KEYS else None)
            else:
                sheet.write_string(first_row + n, col, str(value))
    return n


def write_financing_needs_xlsx(rows: list[dict[str, Any]], out: IO[bytes]) -> int:
    """The financing-needs list for bank matching events (政银企对接); returns the row count."""
    book = new_workbook(out)
    sheet = book.add_worksheet("融资需求清单")
    n = _table(book, sheet, FINANCING_HEADERS, rows)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(n, 1), len(FINANCING_HEADERS) - 1)
    book.close()
    return n


def write_batch_report_xlsx(figures: dict[str, Any], entries: Iterable[Any], out: IO[bytes]) -> int:
    """The batch report: rates per unit (first sheet), then the three lists. Returns the entry count."""
    book = new_workbook(out)
    sheet = book.add_worksheet("指标")
    sheet.write(0, 0, f"“三个一批”{figures['batch_name']}（{figures['held_on']}），统计截至 {figures['as_of']}")
    headers = [("单位", "name", 12)] + [(c["label"], c["key"], 11) for c in figures["columns"]]
    _table(book, sheet, headers, [*figures["rows"], {"name": "合计", **figures["total"]}], first_row=2)
    lists = book.add_worksheet("项目清单")
    kinds = {"signed": "签约", "started": "开工", "producing": "投产"}
    rows = [{"kind": kinds.get(e.kind, e.kind), "unit": e.unit.display_name, "project_code": e.project.project_code or "",
             "name": e.project.name,
             "actual_start": e.project.actual_start.isoformat() if e.project.actual_start else "",
             "in_production_on": e.project.in_production_on.isoformat() if e.project.in_production_on else "",
             "at_capacity_on": e.project.at_capacity_on.isoformat() if e.project.at_capacity_on else "",
             "company_registered": "是" if e.company_registered else "否"} for e in entries]
    n = _table(book, lists, [("清单", "kind", 8), ("单位", "unit", 12), ("项目代码", "project_code", 26),
                             ("项目名称", "name", 40), ("实际开工", "actual_start", 11),
                             ("投产日期", "in_production_on", 11), ("达产日期", "at_capacity_on", 11),
                             ("已注册公司", "company_registered", 10)], rows)
    book.close()
    return n
