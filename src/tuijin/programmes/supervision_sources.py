"""What the supervision office must follow up from the programmes (contract of issue 8).

* ``missing_from_statistics`` — one candidate per started project missing from the statistics
  (应入未入, 二(七)19), assigned to its reporting unit;
* ``overdue_approval`` — one a month per organisation with approval items not done after their due date
  (联审联批, 二(二)5): the approving department, or the project's unit when the item names none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.money import yuan_to_wan

from . import selectors


def missing_from_statistics(as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for p in selectors.missing_projects(user=SYSTEM, as_of=as_of):
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
    """One task a month per approving organisation with overdue items (月督办): the count, the longest
    delay and the first items; the weekly meeting lists every item (``selectors.overdue_approvals``)."""
    by_org: dict[int, list] = {}
    for item in selectors.overdue_approvals(user=SYSTEM, as_of=as_of):
        by_org.setdefault((item.department or item.project.unit).pk, []).append(item)
    out = []
    for items in by_org.values():
        org = items[0].department or items[0].project.unit
        worst = max((as_of - item.due_date).days for item in items)
        named = "；".join(f"“{item.project.name}”{item.name}（应于{item.due_date}前办结）" for item in items[:3])
        out.append({
            "key": f"{org.code}:{as_of:%Y-%m}",
            "org": org,
            "title": f"{org.display_name}联审联批事项逾期未办结{len(items)}项",
            "measure": (f"最长已逾期{worst}天。{named}{'等' if len(items) > 3 else ''}。"
                        f"请{org.display_name}加快办理（联审联批），并在周例会上说明"),
            "link": reverse("programmes:programme", args=["approvals"]),
            "deadline_days": 10,
        })
    return out


def supervision_sources() -> dict[str, Callable[[dt.date], list[dict[str, Any]]]]:
    return {"missing_from_statistics": missing_from_statistics, "overdue_approval": overdue_approval}
