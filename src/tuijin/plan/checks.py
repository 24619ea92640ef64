"""System check: the plans directory must load (DESIGN §3, STYLE "OpenFisca").

Registered in :class:`tuijin.plan.apps.PlanConfig.ready`; runs with ``runserver``, ``migrate`` and
``check``, so start-up stops on a bad plan file, two base plans for one city and year, or an unknown
``TUIJIN_CITY``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from . import city, plans
from .loader import PlanError

ERROR_ID = "tuijin.E001"
HINT = "请修正方案文件后重试；可运行 `tuijin plan-check` 查看全部错误（fix the plans; `tuijin plan-check` lists every error）。"


def check_plan_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One ``tuijin.E001`` error per problem in ``settings.TUIJIN_PLANS_DIR``."""
    path = getattr(settings, "TUIJIN_PLANS_DIR", None)
    if not path:
        return [checks.Error("未设置方案目录（settings.TUIJIN_PLANS_DIR is not set）", hint=HINT, id=ERROR_ID)]
    try:
        plans()
        city()
    except PlanError as exc:
        return [checks.Error(str(issue), hint=HINT, obj=str(path), id=ERROR_ID) for issue in exc.errors]
    return []
