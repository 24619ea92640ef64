"""Supervision source "bond_talk" (二(二)8): each unit on the month's bond talk list, assigned to it.

The supervision app discovers this module and creates each task once per (kind, key); the key is
``YYYY-MM:unit`` so a unit still on the list next month gets a new task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from tuijin.orgs import policy

from .plan_terms import plan_of
from .selectors import evaluation


def bond_talk_candidates(as_of: dt.date) -> list[dict]:
    """Units whose bond evaluation for the month of ``as_of`` is below the plan's talk threshold."""
    result = evaluation(user=policy.SYSTEM, year=as_of.year, month=as_of.month)
    threshold = plan_of(as_of.year, as_of.month).rules.bond_evaluation.talk_threshold
    out = []
    for row in result.talk_rows:
        s = row.score
        out.append({
            "key": f"{as_of.year}-{as_of.month:02d}:{row.org.code}",
            "org": row.org,
            "title": f"{row.org.display_name}专项债券工作评价{s.total:.2f}分（低于{Decimal(threshold):g}分），列入约谈名单",
            "measure": "对发行专项债券中不担当、不作为的政府投资项目单位和主管部门进行约谈，"
                       "督促加快债券资金支出、提高项目报送质量、规范资金使用（二(二)8）",
            "link": f"/bonds/?year={as_of.year}&month={as_of.month}",
            "deadline_days": 15,
        })
    return out


def supervision_sources() -> dict[str, Callable[[dt.date], list[dict]]]:
    return {"bond_talk": bond_talk_candidates}
