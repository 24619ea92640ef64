"""Pure rules of supervision (督办, 三(三) "月督办、紧盯不放") and the weekly meeting (周例会, 二(二)6)."""

from __future__ import annotations

import datetime as dt
import re

OPEN, CLOSED = "open", "closed"
NOT_OVERDUE, OVERDUE, REPEATED = "", "overdue", "repeated"
OVERDUE_LABELS = {NOT_OVERDUE: "", OVERDUE: "逾期", REPEATED: "多次逾期"}
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def overdue_state(*, status: str, deadline: dt.date, today: dt.date, extensions: int, cycle_days: int) -> str:
    """An open task past its deadline is overdue; it is *repeatedly* overdue when its deadline was
    already extended once, or when it has stayed overdue longer than one follow-up cycle (月督办,
    the plan's ``supervision.follow_up_cycle_days``)."""
    if status != OPEN or today <= deadline:
        return NOT_OVERDUE
    if extensions > 0 or (today - deadline).days > cycle_days:
        return REPEATED
    return OVERDUE


def parse_week(code: str) -> tuple[dt.date, dt.date]:
    """'2022-W23' → (Monday, Sunday) of that ISO week; ValueError with a Chinese message otherwise."""
    m = WEEK_RE.match((code or "").strip())
    if not m:
        raise ValueError(f"周次应为 YYYY-Www 格式（如 2022-W23），实际为“{code}”")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year}年没有第{week}周") from None
    return monday, monday + dt.timedelta(days=6)


def week_code(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
