"""The reporting calendar in Chinese working days (chinesecalendar), from the plan file."""

from __future__ import annotations

import datetime as dt

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
