"""A stand-in for other apps' ``supervision_sources.py`` modules (same contract), driven by the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuijin.orgs.models import Org

#: kind → list of (key, org code, title); the tests change it.
ITEMS: dict[str, list[tuple[str, str, str]]] = {}
CALLS: list[tuple[str, dt.date]] = []


def reset() -> None:
    ITEMS.clear()
    ITEMS.update({
        "bond_talk": [("czj-2022Q2-jinshui", "jinshui", "金水区专项债券支出进度排名靠后，列入约谈名单")],
        "stalled_deal": [("deal-17", "swj", "某新能源汽车零部件项目签约后3个月未注册公司"),
                         ("deal-23", "zhongyuan", "某数据中心项目签约后未开工")],
        "missing_from_statistics": [("p-101", "jinshui", "某产业园项目已开工未入统")],
        "overdue_approval": [("ai-9", "zrj", "建设用地规划许可逾期未办结")],
    })
    CALLS.clear()


def _fetch(kind: str):
    def fetch(as_of: dt.date) -> list[dict[str, Any]]:
        CALLS.append((kind, as_of))
        orgs = {o.code: o for o in Org.objects.all()}
        return [{"key": key, "org": orgs[org], "title": title, "measure": "限期整改", "link": "",
                 "deadline_days": 10} for key, org, title in ITEMS.get(kind, [])]

    return fetch


def supervision_sources() -> dict:
    return {kind: _fetch(kind) for kind in ("bond_talk", "stalled_deal", "missing_from_statistics",
                                            "overdue_approval")}
