"""Pure rules of supervision (督办, 三(三) "月督办、紧盯不放") and the weekly meeting (周例会, 二(二)6)."""

from __future__ import annotations

import datetime as dt

OPEN, CLOSED = "open", "closed"
NOT_OVERDUE, OVERDUE, REPEATED = "", "overdue", "repeated"
OVERDUE_LABELS = {NOT_OVERDUE: "", OVERDUE: "逾期", REPEATED: "多次逾期"}


def overdue_state(*, status: str, deadline: dt.date, today: dt.date, extensions: int, cycle_days: int) -> str:
    """An open task past its deadline is overdue; it is *repeatedly* overdue when its deadline was
    already extended once, or when it has stayed overdue longer than one follow-up cycle (月督办,
    the plan's ``supervision.follow_up_cycle_days``)."""
    if status != OPEN or today <= deadline:
        return NOT_OVERDUE
    if extensions > 0 or (today - deadline).days > cycle_days:
        return REPEATED
    return OVERDUE

