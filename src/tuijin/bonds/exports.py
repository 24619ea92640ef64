"""Excel export of the bond evaluation and the bond projects (always from scoped reads)."""

from __future__ import annotations

from typing import IO

from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.spreadsheets import new_workbook

from .selectors import Evaluation, QuotaRow


def write_bonds_xlsx(evaluation: Evaluation, quotas: list[QuotaRow], labels: dict[str, str], out: IO[bytes]) -> None:
    book = new_workbook(out)
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet = book.add_worksheet("评价排名")
    headers = ["名次", "单位", "额度（万元）", "已发行（万元）", "已支出（万元）", *labels.values(), "综合得分", "列入约谈"]
    for col, label in enumerate(headers):
        sheet.write(0, col, label, head)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, len(headers) - 1, 14)
    for i, r in enumerate(evaluation.rows, start=1):
        sheet.write_number(i, 0, r.score.rank)
        sheet.write_string(i, 1, r.org.display_name)
        for col, yuan in enumerate((r.quota_yuan, r.facts.issued_yuan, r.facts.spent_yuan), start=2):
            sheet.write_number(i, col, float(yuan_to_wan(yuan)), money)
        for col, key in enumerate(labels, start=5):
            sheet.write_number(i, col, float(r.score.scores[key]))
        sheet.write_number(i, 5 + len(labels), float(r.score.total))
        sheet.write_string(i, 6 + len(labels), "是" if r.score.talk else "否")
    sheet.freeze_panes(1, 2)
    sheet = book.add_worksheet("专项债券项目")
    headers = ["批次", "单位", "项目代码", "项目名称", "额度（万元）", "已发行（万元）", "已支出（万元）"]
    for col, label in enumerate(headers):
        sheet.write(0, col, label, head)
    sheet.set_column(0, 2, 14)
    sheet.set_column(3, 3, 40)
    sheet.set_column(4, 6, 14)
    for i, q in enumerate(quotas, start=1):
        sheet.write_string(i, 0, q.quota.batch.name)
        sheet.write_string(i, 1, q.quota.unit.display_name)
        sheet.write_string(i, 2, q.quota.project.project_code or "")
        sheet.write_string(i, 3, q.quota.project.name)
        for col, yuan in enumerate((q.quota.amount_yuan, q.issued_yuan, q.spent_yuan), start=4):
            sheet.write_number(i, col, float(yuan_to_wan(yuan)), money)
    sheet.freeze_panes(1, 4)
    book.close()
