"""Periods: months (报送期、统计期), quarters (季度) and ISO weeks (周次); month ends; 序时进度; working days.

One definition of each for every app (DESIGN §9), so that a month is parsed, named and ended the
same way in reporting, statistics, assessment, bonds, programmes, bulletins and the cockpit.

* :class:`Month`, :class:`Quarter`, :class:`Week` — frozen, ordered value types with ``code``,
  ``label`` (Chinese, as the pages and documents print it), ``first_day``/``last_day`` and
  ``previous``/``next``. ``Month.parse("2022-07")``, ``Quarter.parse("2022Q1")``, ``Week.parse("2022-W23")``.
* :func:`parse_period`, :func:`parse_quarter`, :func:`parse_week` — the same parsing as plain tuples,
  refusing with :class:`InvalidPeriod` (a :class:`~tuijin.toolkit.errors.ValidationFailed` naming the
  field, so every door shows it as a 400 with its Chinese message). The caller says what the code is
  (``what="报送期"``, ``"统计期"``, ``"统计期间"``) and the message reads as that door always wrote it.
* :func:`month_end`, :func:`quarter_end`.
* :func:`time_progress` — 序时进度, with **one** meaning: the share of the year elapsed at the end of a
  month **in percent, to 2 decimals** (7月 → ``Decimal("58.33")``), as every page, export, API and
  document shows it and as completion rates (percent, 2 decimals) are compared with it. A formula that
  must not round (the bond evaluation divides by it) takes the exact share, :func:`year_elapsed`.
* :func:`is_working_day`, :func:`nth_working_day`, :func:`working_days_before` — Chinese working days
  (chinesecalendar: weekdays minus public holidays plus the adjusted weekend workdays). The plan's own
  calendar rules (the submission deadline, 二(七)20) stay with reporting.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import chinese_calendar

from .errors import ValidationFailed

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "InvalidPeriod",
    "Month",
    "Quarter",
    "Week",
    "is_working_day",
    "month_end",
    "nth_working_day",
    "parse_period",
    "parse_quarter",
    "parse_week",
    "period_code",
    "period_label",
    "previous_period",
    "quarter_code",
    "quarter_end",
    "quarter_label",
    "time_progress",
    "week_code",
    "working_days_before",
    "year_elapsed",
]

#: Years a period may fall in (the API's ``YEAR_PATTERN`` promises the same).
FIRST_YEAR, LAST_YEAR = 2000, 2100
MONTHS = 12
CENT = Decimal("0.01")

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
#: The forms a statistics file or a lenient door may write a month in.
_LENIENT_MONTH_FORMS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),  # 2022-06, 2022/6, 2022.06
    re.compile(r"^(\d{4})(\d{2})$"),  # 202206
    re.compile(r"^(\d{4})\s*年\s*(?:1\s*[-—~～至]\s*)?(\d{1,2})\s*月(?:份)?$"),  # 2022年6月, 2022年1-6月
)
_QUARTER_RE = re.compile(r"^(\d{4})[Qq]([1-4])$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


class InvalidPeriod(ValidationFailed, ValueError):
    """A month, quarter or week code that cannot be read.

    A :class:`ValidationFailed` (a 400 naming the field at every door) and, for code that parses and
    falls back to a default on a bad value, a :class:`ValueError`.
    """


def _text(code: object) -> str:
    return str(code if code is not None else "").strip()


def _check_month_number(month: int) -> None:
    if not 1 <= month <= MONTHS:
        raise ValueError(f"月份应为1–12，实际为 {month}")


# --- months --------------------------------------------------------------------------------------------


def parse_period(code: object, *, what: str = "报送期", example: str = "2022-07", field: str = "period",
                 lenient: bool = False) -> tuple[int, int]:
    """``"2022-07"`` → ``(2022, 7)``; :class:`InvalidPeriod` with a Chinese message otherwise.

    ``what`` names the code in the message (``报送期应为 YYYY-MM 格式（如 2022-07），实际为“…”``);
    years outside 2000–2100 are refused. ``lenient`` also reads the forms statistics files use
    (``2022/6``, ``2022.06``, ``202206``, ``2022年6月``, ``2022年1-6月``, a date) with the statistics'
    own wording (``…应为 YYYY-MM 格式的年月（如 2022-06），实际为“…”``).
    """
    if lenient:
        return _parse_lenient(code, what=what, field=field)
    text = _text(code)
    m = _MONTH_RE.match(text)
    if not m or not 1 <= int(m.group(2)) <= MONTHS:
        raise InvalidPeriod(f"{what}应为 YYYY-MM 格式（如 {example}），实际为“{text}”", field=field)
    year, month = int(m.group(1)), int(m.group(2))
    _check_year(year, what=what, field=field)
    return year, month


def _parse_lenient(code: object, *, what: str, field: str) -> tuple[int, int]:
    if isinstance(code, dt.date):
        return code.year, code.month
    text = str(code or "").strip()
    for form in _LENIENT_MONTH_FORMS:
        m = form.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            break
    else:
        raise InvalidPeriod(f"{what}应为 YYYY-MM 格式的年月（如 2022-06），实际为“{text}”", field=field)
    if not 1 <= month <= MONTHS:
        raise InvalidPeriod(f"{what}月份应为1至12，实际为{month}（“{text}”）", field=field)
    _check_year(year, what=what, field=field)
    return year, month


def _check_year(year: int, *, what: str, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidPeriod(f"{what}年份应在{FIRST_YEAR}至{LAST_YEAR}之间，实际为{year}", field=field)


def period_code(year: int, month: int) -> str:
    """``(2022, 7)`` → ``"2022-07"``."""
    return f"{year:04d}-{month:02d}"


def period_label(year: int, month: int) -> str:
    """``(2022, 7)`` → ``"2022年7月"``."""
    return f"{year}年{month}月"


def previous_period(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: ``(2022, 2)`` → 2022-02-28."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def year_elapsed(month: int) -> Decimal:
    """The exact share of the year elapsed at the end of ``month``: month ÷ 12 (0 < share ≤ 1)."""
    _check_month_number(month)
    return Decimal(month) / MONTHS


def time_progress(month: int) -> Decimal:
    """序时进度 at the end of ``month``: the share of the year elapsed, in percent, 2 decimals
    (1月 8.33, 6月 50.00, 7月 58.33, 12月 100.00). ``ValueError`` for a month outside 1–12."""
    return (year_elapsed(month) * 100).quantize(CENT)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month: a reporting period (报送期) or a statistical one (统计期)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        _check_month_number(self.month)

    @classmethod
    def parse(cls, code: object, **options: Any) -> Month:
        """See :func:`parse_period` for the options (``what``, ``example``, ``field``, ``lenient``)."""
        return cls(*parse_period(code, **options))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def code(self) -> str:
        return period_code(self.year, self.month)

    @property
    def label(self) -> str:
        return period_label(self.year, self.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.month)

    @property
    def previous(self) -> Month:
        return Month(*previous_period(self.year, self.month))

    @property
    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == MONTHS else Month(self.year, self.month + 1)

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    @property
    def time_progress(self) -> Decimal:
        return time_progress(self.month)

    def __str__(self) -> str:
        return self.code


# --- quarters ------------------------------------------------------------------------------------------


def parse_quarter(code: object, *, what: str = "季度", field: str = "quarter") -> tuple[int, int]:
    """``"2022Q1"`` (or ``2022q1``) → ``(2022, 1)``; :class:`InvalidPeriod` with a Chinese message otherwise."""
    text = _text(code)
    m = _QUARTER_RE.match(text)
    if not m:
        raise InvalidPeriod(f"{what}应为 YYYYQn 格式（如 2022Q1，n 为 1–4），实际为“{text}”", field=field)
    year = int(m.group(1))
    _check_year(year, what=what, field=field)
    return year, int(m.group(2))


def quarter_code(year: int, quarter: int) -> str:
    """``(2022, 1)`` → ``"2022Q1"``."""
    return f"{year:04d}Q{quarter}"


def quarter_label(year: int, quarter: int) -> str:
    """``(2022, 1)`` → ``"2022年第1季度"``."""
    return f"{year}年第{quarter}季度"


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter: ``(2022, 1)`` → 2022-03-31."""
    return month_end(year, quarter * 3)


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter (季度): the quarterly evaluation and awards (二(六)15)."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"季度应为1–4，实际为 {self.quarter}")

    @classmethod
    def parse(cls, code: object, **options: Any) -> Quarter:
        """See :func:`parse_quarter` for the options (``what``, ``field``)."""
        return cls(*parse_quarter(code, **options))

    @property
    def code(self) -> str:
        return quarter_code(self.year, self.quarter)

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    def months(self) -> tuple[Month, Month, Month]:
        first = self.quarter * 3 - 2
        return Month(self.year, first), Month(self.year, first + 1), Month(self.year, first + 2)

    @property
    def last_month(self) -> Month:
        return Month(self.year, self.quarter * 3)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.quarter * 3 - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return quarter_end(self.year, self.quarter)

    @property
    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def __str__(self) -> str:
        return self.code


# --- ISO weeks -----------------------------------------------------------------------------------------


def parse_week(code: object, *, field: str = "week") -> tuple[dt.date, dt.date]:
    """``"2022-W23"`` → (Monday, Sunday) of that ISO week (weekly report 二(四)11, weekly meeting 二(二)6);
    :class:`InvalidPeriod` with a Chinese message otherwise."""
    text = _text(code)
    m = _WEEK_RE.match(text)
    if not m:
        raise InvalidPeriod(f"周次应为 YYYY-Www 格式（如 2022-W23），实际为“{text}”", field=field)
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidPeriod(f"{year}年没有第{week}周", field=field) from None
    return monday, monday + dt.timedelta(days=6)


def week_code(day: dt.date) -> str:
    """The ISO week of ``day``: ``"2022-W23"``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (周次, Monday to Sunday): the weekly promotion report and the weekly meeting."""

    year: int
    week: int

    def __post_init__(self) -> None:
        dt.date.fromisocalendar(self.year, self.week, 1)  # ValueError for a week the year does not have

    @classmethod
    def parse(cls, code: object, **options: Any) -> Week:
        """See :func:`parse_week` for the options (``field``)."""
        return cls.of(parse_week(code, **options)[0])

    @classmethod
    def of(cls, day: dt.date) -> Week:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def label(self) -> str:
        """``"2022年第23周"``, as the weekly meeting's agenda names it."""
        return f"{self.year}年第{self.week}周"

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=6)

    @property
    def previous(self) -> Week:
        return Week.of(self.first_day - dt.timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week.of(self.first_day + dt.timedelta(days=7))

    def __str__(self) -> str:
        return self.code


# --- Chinese working days ------------------------------------------------------------------------------


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


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day``."""
    current = day
    while n > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current
