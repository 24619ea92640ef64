"""The reporting calendar in Chinese working days (chinesecalendar), from the plan file."""

from __future__ import annotations

import datetime as dt
import re

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    """A Chinese working day: weekdays, minus public holidays, plus the adjusted weekend workdays."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # outside the years the library knows: weekdays only
        return day.weekday() < 5


def nth_working_day(year: int, month: int, n: int) -> dt.date:
    """The n-th working day of a month."""
    day = dt.date(year, month, 1)
    count = 0
    while True:
        if is_working_day(day):
            count += 1
            if count == n:
                return day
        day += dt.timedelta(days=1)


def deadline_for(year: int, month: int, *, deadline_working_day: int) -> dt.date:
    """A period's submission deadline: the N-th working day of the following month (二(七)20)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return nth_working_day(next_year, next_month, deadline_working_day)


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day``."""
    current = day
    while n > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(code: str) -> tuple[dt.date, dt.date]:
    """'2022-W23' → (Monday, Sunday) of that ISO week (weekly report 二(四)11, weekly meeting 二(二)6);
    ``ValueError`` with a Chinese message otherwise."""
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
    """The ISO week of ``day``: '2022-W23'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
