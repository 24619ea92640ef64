"""Pure rules of the problem ledger (万人助万企, 二(五)14; overdue ladder 三(三)). No ORM.

Deadlines are counted in Chinese working days (chinesecalendar, as the reporting calendar);
every number comes from the plan file (``rules.problem_deadlines``, ``problems``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tuijin.toolkit.periods import is_working_day

RAISED, ACCEPTED, IN_PROGRESS, RESOLVED, CLOSED, RETURNED = (
    "raised", "accepted", "in_progress", "resolved", "closed", "returned")
OPEN_STATES = (RAISED, ACCEPTED, IN_PROGRESS)
STATE_LABELS = {RAISED: "已提交", ACCEPTED: "已受理", IN_PROGRESS: "办理中", RESOLVED: "已解决（待确认）",
                CLOSED: "已办结", RETURNED: "已退回"}

#: Who may take each action: the responsible department, or the raiser's organisation.
DEPARTMENT, RAISER = "department", "raiser"
#: action → (allowed from states, to state, who, note required)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str, bool]] = {
    "accept": ((RAISED,), ACCEPTED, DEPARTMENT, False),
    "start": ((ACCEPTED,), IN_PROGRESS, DEPARTMENT, False),
    "resolve": ((ACCEPTED, IN_PROGRESS), RESOLVED, DEPARTMENT, True),
    "return": ((RAISED, ACCEPTED), RETURNED, DEPARTMENT, True),
    "close": ((RESOLVED,), CLOSED, RAISER, False),
    "reopen": ((RESOLVED,), IN_PROGRESS, RAISER, True),
    "resubmit": ((RETURNED,), RAISED, RAISER, False),
}
ACTION_LABELS = {"accept": "受理", "start": "开始办理", "resolve": "办结答复", "return": "退回",
                 "close": "确认办结", "reopen": "不满意，重新办理", "resubmit": "重新提交"}

NONE_LEVEL = ""
LEVEL_ORDER = {NONE_LEVEL: 0, "department_head": 1, "supervision": 2}
LEVEL_LABELS = {NONE_LEVEL: "", "department_head": "部门负责人督促", "supervision": "督查室督办"}


def transition(action: str, state: str) -> tuple[str, str, bool]:
    """``(to state, who, note required)`` of ``action`` from ``state``; ValueError when not allowed."""
    if action not in TRANSITIONS:
        raise ValueError(f"未知的操作“{action}”")
    sources, target, who, needs_note = TRANSITIONS[action]
    if state not in sources:
        raise ValueError(f"问题当前为“{STATE_LABELS.get(state, state)}”，不能“{ACTION_LABELS[action]}”")
    return target, who, needs_note


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days after ``day`` (``day`` itself not counted)."""
    current = day
    while n > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def working_days_after(deadline: dt.date, today: dt.date) -> int:
    """Working days in (deadline, today]: how many working days a problem is overdue (0 if not)."""
    if today <= deadline:
        return 0
    count = 0
    day = deadline
    while day < today:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def problem_deadline(raised_on: dt.date, working_days: int) -> dt.date:
    """Deadline: ``working_days`` working days after the day raised (rules.problem_deadlines, 二(五)14)."""
    return add_working_days(raised_on, working_days)


def escalation_level(*, deadline: dt.date, today: dt.date, ladder: Sequence[tuple[int, str]]) -> str:
    """The overdue ladder (三(三) "紧盯不放"): the highest rung whose overdue working days are reached.

    ``ladder`` is ``[(overdue_working_days, level), …]`` ascending, from the plan's ``problems.escalation``.
    Not overdue (today on or before the deadline) → "".
    """
    overdue = working_days_after(deadline, today)
    level = NONE_LEVEL
    for days, name in ladder:
        if overdue >= days:
            level = name
    return level


def is_overdue(*, status: str, deadline: dt.date, today: dt.date) -> bool:
    return status in OPEN_STATES and today > deadline


def resolution_rate(total: int, resolved: int) -> float | None:
    """Resolved (resolved or closed) as a percentage of all problems counted; None when none."""
    if total <= 0:
        return None
    return round(resolved * 100 / total, 1)
