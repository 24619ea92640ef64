"""The plan: the year's targets and rules as a validated data file (DESIGN §3).

Other modules read every number of the plan from here, never from code::

    from tuijin.plan import active_plan

    plan = active_plan()
    plan.target("unit_fai_growth", unit="jinshui")   # Decimal("10")
    plan.rules.quarterly_awards.amount_for(2)         # Decimal("100") 万元, 二(六)15

``active_plan()`` loads ``settings.TUIJIN_PLAN_FILE`` once and reloads it when
the path or the file's modification time changes; ``active_plan.cache_clear()``
(alias ``reset_active_plan()``) forgets it, for tests.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .loader import PlanError, PlanIssue, load_plan, parse_plan
from .schema import Plan

__all__ = ["Plan", "PlanError", "PlanIssue", "active_plan", "load_plan", "parse_plan", "reset_active_plan"]

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _cache_key(path: Path) -> tuple[str, int | None]:
    try:
        mtime: int | None = path.stat().st_mtime_ns
    except OSError:
        mtime = None
    return str(path.resolve()), mtime


def active_plan() -> Plan:
    """The plan of ``settings.TUIJIN_PLAN_FILE``; raises PlanError if it is invalid."""
    from django.conf import settings

    path = Path(settings.TUIJIN_PLAN_FILE)
    key = _cache_key(path)
    with _lock:
        if _cache.get("key") != key:
            _cache.clear()
            plan = load_plan(path)  # raises before anything is cached
            _cache.update(key=key, plan=plan)
        return _cache["plan"]  # type: ignore[return-value]


def reset_active_plan() -> None:
    """Forget the cached plan; the next ``active_plan()`` reloads the file."""
    with _lock:
        _cache.clear()


active_plan.cache_clear = reset_active_plan  # type: ignore[attr-defined]
