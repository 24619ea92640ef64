"""The problem-ledger section of the bulletin (cross-app contract: bulletin sections; 二(五)14).

``bulletin_sections(year=, month=, quarterly=)`` → one section: problems raised and resolved in the
month, still open and overdue at the month's end, and the resolution rate and average days per
responsible department. Pure data; ``[]`` when no problem had been raised by the month's end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuijin.toolkit.periods import month_end

from . import rules
from .models import Problem

ORDER = 75
TITLE = "项目问题协调解决情况（万人助万企）"


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict[str, Any]]:
    first, end = dt.date(year, month, 1), month_end(year, month)
    existed = list(Problem.objects.filter(raised_on__lte=end).select_related("department")
                   .order_by("department__sort_order", "department__code", "id"))
    if not existed:
        return []

    def resolved_by(p: Problem, day: dt.date) -> bool:
        return p.resolved_on is not None and p.resolved_on <= day

    raised = sum(1 for p in existed if p.raised_on >= first)
    resolved = sum(1 for p in existed if p.resolved_on is not None and first <= p.resolved_on <= end)
    open_at_end = [p for p in existed if not resolved_by(p, end) and p.status != rules.RETURNED]
    overdue = [p for p in open_at_end if p.deadline < end]
    per_department: dict[str, list[Any]] = {}
    for p in existed:
        row = per_department.setdefault(p.department.name, [0, 0, 0, []])
        row[0] += 1
        if resolved_by(p, end):
            row[1] += 1
            row[3].append((p.resolved_on - p.raised_on).days)
        elif p in overdue:
            row[2] += 1
    paragraphs = [f"{year}年{month}月，各地新提交项目问题{raised}个，解决{resolved}个；截至月底累计提交{len(existed)}个，"
                  f"尚未解决{len(open_at_end)}个，其中超过办理时限{len(overdue)}个。"]
    if overdue:
        names = "、".join(dict.fromkeys(p.department.name for p in overdue))
        paragraphs.append(f"有逾期未解决问题的责任部门：{names}。请抓紧协调解决，逾期问题已按规定提请部门负责人督促或移交市政府督查室督办。")
    rows = [[name, total, solved, late, f"{solved * 100 / total:.1f}" if total else "—",
             f"{sum(days) / len(days):.1f}" if days else "—"]
            for name, (total, solved, late, days) in per_department.items()]
    tables = [{"caption": "各责任部门问题解决情况（截至月底）",
               "headers": ["责任部门", "累计问题", "已解决", "逾期未解决", "解决率（%）", "平均办理天数"], "rows": rows}]
    return [{"order": ORDER, "title": TITLE, "paragraphs": paragraphs, "tables": tables}]


