"""What the supervision office must follow up from the programmes (contract of issue 8).

* ``missing_from_statistics`` — one candidate per started project missing from the statistics
  (应入未入, 二(七)19), assigned to its reporting unit;
* ``overdue_approval`` — one per approval item not done after its due date (联审联批, 二(二)5),
  assigned to the approving department (the project's unit when the item names none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from tuijin.money import yuan_to_wan

from . import selectors


def missing_from_statistics(as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for p in selectors.missing_projects(user=None, as_of=as_of):
        out.append({
            "key": f"project-{p.pk}",
            "org": p.unit,
            "title": f"{p.unit.display_name}“{p.name}”已开工未入库纳统（应入未入）",
            "measure": (f"项目总投资{yuan_to_wan(p.total_investment_yuan):,.2f}万元，{p.actual_start}开工，"
                        "请督促项目单位完善手续、尽快入库纳统；入库前年度投资计划暂缓下达"),
            "link": reverse("projects:detail", args=[p.pk]),
            "deadline_days": 30,
        })
    return out


def overdue_approval(as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for item in selectors.overdue_approvals(user=None, as_of=as_of):
        org = item.department or item.project.unit
        out.append({
            "key": f"approval-{item.pk}",
            "org": org,
            "title": f"“{item.project.name}”{item.name}逾期未办结",
            "measure": (f"应于{item.due_date}前办结，已逾期{(as_of - item.due_date).days}天；请{org.display_name}"
                        "加快办理（联审联批），并在周例会上说明"),
            "link": reverse("projects:detail", args=[item.project_id]),
            "deadline_days": 10,
        })
    return out


def supervision_sources() -> dict[str, Callable[[dt.date], list[dict[str, Any]]]]:
    return {"missing_from_statistics": missing_from_statistics, "overdue_approval": overdue_approval}
