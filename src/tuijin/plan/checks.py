"""System check: the active plan file must load (DESIGN §3, STYLE "OpenFisca").

Registered in :class:`tuijin.plan.apps.PlanConfig.ready`; runs with
``runserver``, ``migrate`` and ``check``, so start-up stops on a bad plan.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from . import active_plan
from .loader import PlanError

ERROR_ID = "tuijin.E001"
HINT = "请修正方案文件后重试；可运行 `tuijin plan-check FILE` 查看全部错误（fix the plan file; `tuijin plan-check FILE` lists every error）。"


def check_plan_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One ``tuijin.E001`` error per problem in ``settings.TUIJIN_PLAN_FILE``."""
    path = getattr(settings, "TUIJIN_PLAN_FILE", None)
    if not path:
        return [
            checks.Error("未设置方案文件（settings.TUIJIN_PLAN_FILE is not set）", hint=HINT, id=ERROR_ID)
        ]
    try:
        active_plan()
    except PlanError as exc:
        return [checks.Error(str(issue), hint=HINT, obj=str(path), id=ERROR_ID) for issue in exc.errors]
    return []
