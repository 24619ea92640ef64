"""Excel export of the project library, always from a scoped queryset."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from tuijin.plan import current_plan
from tuijin.toolkit.spreadsheets import new_workbook

from .models import Project, Stage, Tag

HEADERS = [
    ("项目代码", 26), ("项目名称", 40), ("报送单位", 12), ("所处阶段", 10), ("项目类别", 10), ("所属领域", 16),
    ("建设性质", 8), ("总投资（万元）", 14), ("业主单位", 30), ("统一社会信用代码", 20), ("计划开工", 11),
    ("计划竣工", 11), ("实际开工", 11), ("实际竣工", 11), ("包抓市领导", 14), ("标签", 30), ("是否入库纳统", 8),
]


def write_projects_xlsx(projects: Iterable[Project], out: IO[bytes], *, title: str = "项目库") -> int:
    """Write projects (already scoped by the caller) to ``out``; returns the row count.

    Rows stream through XlsxWriter's constant-memory mode, so memory stays flat.
    """
    plan = current_plan()
    fields = {f.code: f.name for f in plan.fields}
    categories = {c.code: c.name for c in plan.categories}
    stages = dict(Stage.choices)
    tags = dict(Tag.choices)
    book = new_workbook(out, constant_memory=True)
    sheet = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for col, (label, width) in enumerate(HEADERS):
        sheet.write(0, col, label, head)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 2)
    row = 0
    for row, p in enumerate(projects, start=1):
        values = [
            p.project_code or "", p.name, p.unit.short_name or p.unit.name, str(stages.get(p.stage, p.stage)),
            categories.get(p.category, p.category), fields.get(p.field, p.field), p.get_nature_display(),
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value))
        sheet.write_number(row, 7, float(p.total_investment), money)
        rest = [p.owner_name, p.owner_uscc, p.planned_start, p.planned_end, p.actual_start, p.actual_end,
                p.leader, "、".join(str(tags.get(t, t)) for t in p.tag_codes()), "是" if p.in_statistics else "否"]
        for col, value in enumerate(rest, start=8):
            sheet.write_string(row, col, "" if value is None else str(value))
    sheet.autofilter(0, 0, max(row, 1), len(HEADERS) - 1)
    book.close()
    return row
