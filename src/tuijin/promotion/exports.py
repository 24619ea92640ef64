"""Promotion downloads: the weekly report as Word and Excel, the deal list as Excel (scoped reads)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from docx import Document

from tuijin.toolkit.money import format_yi, yuan_to_yi
from tuijin.toolkit.spreadsheets import new_workbook

from .models import Deal


def weekly_paragraphs(report: dict[str, Any]) -> list[str]:
    names = report["stage_names"]
    counts = "，".join(f"{names[c]}{n}个" for c, n in report["counts"].items())
    return [
        f"{report['week']}（{report['start']:%Y年%m月%d日}—{report['end']:%m月%d日}），"
        f"全市招商项目推进{len(report['moves'])}次：{counts}；新登记在谈项目{report['new_deals']}个。",
        f"本周新签约{report['signed_count']}个、签约金额{format_yi(report['signed_yuan'])}亿元；"
        f"本年累计签约{report['year_signed_count']}个、签约金额{format_yi(report['year_signed_yuan'])}亿元。",
    ]


WEEKLY_HEADERS = ["日期", "单位", "项目名称", "投资方", "金额（亿元）", "由", "推进至", "说明"]


def weekly_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [[m["moved_on"].isoformat(), m["unit"].display_name, m["deal"].name, m["deal"].investor,
             float(yuan_to_yi(m["deal"].amount_yuan)), m["from"], m["to"], m["note"]] for m in report["moves"]]


def write_weekly_docx(report: dict[str, Any], out: IO[bytes]) -> None:
    doc = Document()
    doc.add_heading(f"招商引资工作周报告（{report['week']}）", level=1)
    for text in weekly_paragraphs(report):
        doc.add_paragraph(text)
    rows = weekly_rows(report)
    table = doc.add_table(rows=1, cols=len(WEEKLY_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, WEEKLY_HEADERS, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    doc.save(out)


def write_weekly_xlsx(report: dict[str, Any], out: IO[bytes]) -> None:
    book = new_workbook(out)
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    sheet = book.add_worksheet("周报告")
    for i, text in enumerate(weekly_paragraphs(report)):
        sheet.write_string(i, 0, text)
    start = 3
    for col, label in enumerate(WEEKLY_HEADERS):
        sheet.write(start, col, label, head)
    for r, row in enumerate(weekly_rows(report), start=start + 1):
        for col, value in enumerate(row):
            if isinstance(value, float):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    sheet.set_column(0, 1, 12)
    sheet.set_column(2, 3, 30)
    book.close()


DEAL_HEADERS = ["单位", "项目名称", "投资方", "签约金额（亿元）", "主导产业链", "分档", "阶段", "签约日期", "注册日期",
                "开工日期", "投产日期", "最近推进", "责任领导", "主要领导亲自招商", "工作专班", "集中签约活动", "项目库项目"]


def write_deals_xlsx(deals: Iterable[Deal], out: IO[bytes], *, tier_label: Any, stage_names: dict[str, str],
                     industry_names: dict[str, str]) -> int:
    book = new_workbook(out)
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    sheet = book.add_worksheet("招商项目")
    for col, label in enumerate(DEAL_HEADERS):
        sheet.write(0, col, label, head)
    row = 0
    for row, d in enumerate(deals, start=1):
        values = [d.unit.display_name, d.name, d.investor, float(yuan_to_yi(d.amount_yuan)),
                  industry_names.get(d.leading_industry, ""), tier_label(d), stage_names.get(d.stage, d.stage),
                  d.signed_on, d.registered_on, d.started_on, d.producing_on, d.last_move_on, d.leader,
                  "是" if d.principal_leader else "否", d.task_force,
                  d.signing_event.name if d.signing_event else "", d.project.name if d.project else ""]
        for col, value in enumerate(values):
            if isinstance(value, float):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, "" if value is None else str(value))
    sheet.set_column(1, 2, 30)
    sheet.freeze_panes(1, 2)
    book.close()
    return row
