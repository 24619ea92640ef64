"""Statistics months (统计月份): which months of a year have official statistics, and which month comes
before which when a last-place streak (三(三)) is counted across the new year.

Pure functions on plain data: a year's calendar is anything with ``months`` (ascending month numbers
with official figures, December always among them) and ``streak_across_years`` (the plan's
``rules.statistics_calendar``, :class:`tuijin.plan.schema.StatisticsCalendarRule`). A year without
a calendar (``calendar_of(year)`` returns None) has statistics every month and does not carry a
streak over from the year before.

National practice publishes fixed-asset investment for 1–2月 together, so a plan lists months 2–12:
January has no statistics month, its time progress has no figure to compare with, and the month
before February is the previous year's December when the plan carries streaks across years.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol

from .periods import period_code, time_progress

__all__ = ["ALL_MONTHS", "CalendarLike", "is_statistics_month", "months_label", "previous_statistics_month",
           "statistics_chain", "statistics_month_problem", "statistics_time_progress"]

ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))


class CalendarLike(Protocol):
    @property
    def months(self) -> Sequence[int]: ...

    @property
    def streak_across_years(self) -> bool: ...


CalendarOf = Callable[[int], "CalendarLike | None"]


def _months(calendar: CalendarLike | None) -> Sequence[int]:
    return ALL_MONTHS if calendar is None else calendar.months


def is_statistics_month(month: int, calendar: CalendarLike | None) -> bool:
    """Whether ``month`` (1–12) has official statistics under ``calendar`` (every month without one)."""
    return month in _months(calendar)


def months_label(calendar: CalendarLike | None) -> str:
    """``1–2月、3月、…、12月``: a first month above January covers the months before it."""
    first, *rest = _months(calendar)
    head = f"1–{first}月" if first > 1 else f"{first}月"
    return "、".join([head, *(f"{m}月" for m in rest)])


def statistics_month_problem(year: int, month: int, calendar: CalendarLike | None) -> str | None:
    """Why ``year-month`` can have no official figure (the plan publishes no such month), else None.

    ``2023-01`` under months 2–12: ``2023年方案的统计月份为1–2月、3月、…、12月：1月没有单独的统计数据，
    请按 2023-02（1–2月）导入``.
    """
    months = _months(calendar)
    if month in months:
        return None
    covering = next((m for m in months if m > month), 12)
    first = months[0]
    hint = f"请按 {period_code(year, covering)}（1–{first}月）导入" if month < first else "该月不单独发布"
    return (f"{year}年方案的统计月份为{months_label(calendar)}：{month}月没有单独的统计数据，{hint}")


def previous_statistics_month(year: int, month: int, calendar_of: CalendarOf) -> tuple[int, int] | None:
    """The statistics month a streak counts just before ``(year, month)``, or None where it stops.

    Within the year, the calendar's month before ``month``; before the year's first statistics month,
    the previous year's last statistics month (December) when this year's calendar carries streaks
    across years, else None.
    """
    earlier = [m for m in _months(calendar_of(year)) if m < month]
    if earlier:
        return year, earlier[-1]
    calendar = calendar_of(year)
    if calendar is None or not calendar.streak_across_years:
        return None
    return year - 1, _months(calendar_of(year - 1))[-1]


def statistics_chain(year: int, month: int, calendar_of: CalendarOf, *, length: int = 24) -> list[tuple[int, int]]:
    """The statistics months a streak ending at ``(year, month)`` may count, oldest first, at most ``length``.

    ``(year, month)`` itself is included only when it is a statistics month; a month without statistics
    has no streak of its own (the chain is then empty).
    """
    if length < 1 or not is_statistics_month(month, calendar_of(year)):
        return []
    chain = [(year, month)]
    while len(chain) < length:
        before = previous_statistics_month(*chain[-1], calendar_of)
        if before is None:
            break
        chain.append(before)
    chain.reverse()
    return chain


def statistics_time_progress(month: int, calendar: CalendarLike | None) -> Decimal | None:
    """序时进度 of the statistics in hand at the end of ``month``: the time progress of the latest
    statistics month on or before it (:func:`tuijin.toolkit.periods.time_progress`); None before the
    year's first statistics month (a January under months 2–12: nothing published yet)."""
    published = [m for m in _months(calendar) if m <= month]
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为1–12，实际为 {month}")
    return time_progress(published[-1]) if published else None
