"""Supervision source "stalled_deal" (二(四)11 月督查): one candidate per stalled deal, assigned to its unit.

The key is the deal id and the date of its last move, so a deal that moves and stalls again
later gets a new task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.money import format_yi

from .selectors import stalled


def stalled_deal_candidates(as_of: dt.date) -> list[dict]:
    out = []
    for row in stalled(user=SYSTEM, as_of=as_of):
        deal = row["deal"]
        out.append({
            "key": f"{deal.pk}:{deal.last_move_on.isoformat()}",
            "org": deal.unit,
            "title": f"招商项目“{deal.name}”（{format_yi(deal.amount_yuan)}亿元）{row['stage']}后已{row['days']}天无进展",
            "measure": "跟踪已签约重大招商项目，做深做实前期工作，加快推动项目转化落地、尽早开工（二(四)10）",
            "link": f"/promotion/deals/{deal.pk}/",
            "deadline_days": 10,
        })
    return out


def supervision_sources() -> dict[str, Callable[[dt.date], list[dict]]]:
    return {"stalled_deal": stalled_deal_candidates}
