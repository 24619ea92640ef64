"""Discovery of supervision sources (cross-app contract, see the preamble of DESIGN §2).

An app that produces things the supervision office must follow up provides
``src/tuijin/<app>/supervision_sources.py`` with::

    def supervision_sources() -> dict[str, Callable[[datetime.date], list[dict]]]

mapping a source kind ("bond_talk", "stalled_deal", …) to a function of the as-of date returning
candidates ``{"key", "org", "title", "measure", "link", "deadline_days"}``. This module finds those
modules in every installed ``tuijin.*`` app, plus the modules named in the optional setting
``TUIJIN_SUPERVISION_SOURCE_MODULES`` (dotted paths; used for sources outside the apps and in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings

from tuijin.toolkit.discovery import app_modules

Source = Callable[[dt.date], list[dict[str, Any]]]
MODULE = "supervision_sources"

#: Chinese names of the known kinds (others are shown by their code).
KIND_LABELS = {
    "manual": "督查室交办",
    "meeting": "周例会议定事项",
    "escalation": "末位增速约谈",
    "overdue_problem": "逾期未解决的项目问题",
    "bond_talk": "专项债券约谈",
    "stalled_deal": "招商项目推进停滞",
    "missing_from_statistics": "应入未入统计项目",
    "overdue_approval": "审批事项逾期",
    "incentive_pending": "奖补申请超时待办",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def source_modules() -> list[Any]:
    modules = [module for _app, module in app_modules(MODULE)]
    modules += [import_module(name) for name in getattr(settings, "TUIJIN_SUPERVISION_SOURCE_MODULES", ())]
    return modules


def discover() -> dict[str, Source]:
    """Source kind → function, from every source module (later modules win on a repeated kind)."""
    registry: dict[str, Source] = {}
    for module in source_modules():
        registry.update(module.supervision_sources())
    return registry
