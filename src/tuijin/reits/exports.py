"""The REITs pipeline as an Excel workbook (XlsxWriter), in the user's scope."""

from __future__ import annotations

import io
from typing import Any

from tuijin.plan import current_plan
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.spreadsheets import new_workbook

from .models import ReitsEntry

HEADERS = ["项目编号", "项目名称", "报送单位", "资产类型", "原始权益人", "阶段", "所在名单", "纳入国家储备库", "注册地在本市",
           "前期经费（万元）", "拟发行规模（万元）", "发行日期", "发行规模（万元）", "运营起始日期", "本阶段起始日期"]


def _wan(value: int | None) -> Any:
    return float(yuan_to_wan(value)) if value is not None else ""


def stage_name(code: str) -> str:
    try:
        return current_plan().rules.reits_pipeline.name(code)
    except KeyError:
        return code


def list_name(code: str) -> str:
    lists = current_plan().rules.reits_lists
    for item in lists.items if lists else ():
        if item.code == code:
            return item.name
    return code


def reits_workbook(entries: list[ReitsEntry]) -> bytes:
    out = io.BytesIO()
    book = new_workbook(out)
    sheet = book.add_worksheet("REITs项目")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, HEADERS, head)
    for i, e in enumerate(entries, start=1):
        sheet.write_row(i, 0, [
            e.project_id, e.project.name, e.unit.name, e.asset_type, e.sponsor, stage_name(e.stage),
            list_name(e.batch_list), "是" if e.in_national_reserve else "否", "是" if e.registered_locally else "否"])
        sheet.write(i, 9, _wan(e.pre_expenses_yuan), money)
        sheet.write(i, 10, _wan(e.planned_size_yuan), money)
        sheet.write(i, 11, e.issue_date.isoformat() if e.issue_date else "")
        sheet.write(i, 12, _wan(e.issue_amount_yuan), money)
        sheet.write(i, 13, e.operating_since.isoformat() if e.operating_since else "")
        sheet.write(i, 14, e.stage_since.isoformat())
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 14, 14)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
