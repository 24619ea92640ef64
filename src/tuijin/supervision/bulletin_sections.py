"""The monthly supervision section of the bulletin (cross-app contract: bulletin sections).

``bulletin_sections(year=, month=, quarterly=)`` → one section (三(三) "月督办、紧盯不放"): tasks
assigned, closed and open at the month's end, overdue and repeatedly overdue, per organisation, and
the overdue tasks themselves. Pure data; ``[]`` when no task existed by the month's end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from tuijin.plan import plan_for_period
from tuijin.toolkit.periods import month_end, period_code

from . import rules, sources
from .models import SupervisionTask

ORDER = 80
TITLE = "督查督办情况"


def _open_at(day: dt.date) -> Q:
    return Q(created_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict[str, Any]]:
    first = dt.date(year, month, 1)
    end = month_end(year, month)
    existed = SupervisionTask.objects.filter(created_on__lte=end)
    if not existed.exists():
        return []
    created = existed.filter(created_on__gte=first).count()
    closed = SupervisionTask.objects.filter(closed_on__gte=first, closed_on__lte=end).count()
    open_tasks = list(existed.filter(_open_at(end)).select_related("org").order_by("deadline", "id"))
    cycle = plan_for_period(period_code(year, month)).follow_up_cycle_days()
    overdue, repeated = [], []
    for task in open_tasks:
        # As at the month's end: the task counted as open then (closed later or never).
        state = rules.overdue_state(status=rules.OPEN, deadline=task.deadline, today=end,
                                    extensions=task.extensions, cycle_days=cycle)
        if state:
            overdue.append(task)
        if state == rules.REPEATED:
            repeated.append(task)
    per_org: dict[str, list[int]] = {}
    for task in open_tasks:
        row = per_org.setdefault(task.org.name, [0, 0, 0])
        row[0] += 1
    for task in overdue:
        per_org[task.org.name][1] += 1
    for task in repeated:
        per_org[task.org.name][2] += 1
    paragraphs = [
        f"{year}年{month}月，市政府督查室新交办督办任务{created}项，办结{closed}项；"
        f"截至月底在办{len(open_tasks)}项，其中逾期{len(overdue)}项、多次逾期{len(repeated)}项。",
    ]
    if repeated:
        names = "、".join(dict.fromkeys(t.org.name for t in repeated))
        paragraphs.append(f"多次逾期未办结的单位：{names}。请上述单位主要负责同志亲自研究，限期办结。")
    elif not overdue:
        paragraphs.append("各项督办任务均在办理时限内推进。")
    tables = []
    if per_org:
        tables.append({"caption": "各单位督办任务办理情况（截至月底）",
                       "headers": ["单位", "在办", "逾期", "多次逾期"],
                       "rows": [[name, *counts] for name, counts in
                                sorted(per_org.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))]})
    if overdue:
        tables.append({"caption": "逾期督办任务",
                       "headers": ["序号", "任务", "责任单位", "来源", "办理时限", "逾期天数"],
                       "rows": [[i, t.title, t.org.name, sources.kind_label(t.kind), t.deadline.isoformat(),
                                 (end - t.deadline).days] for i, t in enumerate(overdue, start=1)]})
    return [{"order": ORDER, "title": TITLE, "paragraphs": paragraphs, "tables": tables}]
