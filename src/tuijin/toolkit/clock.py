"""The one clock (DESIGN §9): every "today" and "now" that decides business logic comes from here.

In production the business date is the real date. A platform may be set to a **business date**
(``tuijin clock --set 2022-07-15``; the demo sets it): deadlines, lateness, overdue ladders, default
periods, bulletin dates, reminders, stalled deals and forecasts then run as on that day. "Now" is the
business date with the real time of day. Security and bookkeeping — audit timestamps, sessions,
tokens, lock-outs, job timings — keep real time through :func:`real_now`, so that nothing about who
did what when is ever shifted.

The setting is one row (:class:`tuijin.toolkit.models.BusinessDate`), read at most once every
``TUIJIN_CLOCK_REFRESH_SECONDS`` per process (default 5; ``None`` keeps it until it is set again, which
the tests use so that query counts do not depend on the wall clock). Setting it goes through
:func:`set_business_date` / :func:`use_real_date` — in tests as at the command line.

No other module calls ``date.today()``, ``datetime.now()`` or ``timezone.now()`` (a test greps for them).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

__all__ = ["ClockState", "business_date", "forget", "now", "real_now", "real_today", "set_business_date",
           "state", "today", "use_real_date"]


@dataclass(frozen=True)
class ClockState:
    """What the clock runs on: ``day`` is the business date, or None for the real date."""

    day: dt.date | None = None
    demo: bool = False
    set_by: str = ""
    set_at: dt.datetime | None = None

    @property
    def is_set(self) -> bool:
        return self.day is not None


_REAL = ClockState()
_lock = threading.Lock()
_memo: tuple[ClockState, float] | None = None


def _refresh_seconds() -> float:
    value = getattr(settings, "TUIJIN_CLOCK_REFRESH_SECONDS", 5)
    return float("inf") if value is None else float(value)


def _read() -> ClockState:
    from django.db import DatabaseError

    from .models import BusinessDate

    try:
        row = BusinessDate.objects.filter(pk=BusinessDate.SINGLETON).first()
    except DatabaseError:  # before the first migration
        return _REAL
    if row is None or row.day is None:
        return _REAL
    return ClockState(row.day, row.demo, row.set_by, row.set_at)


def _remember(value: ClockState) -> ClockState:
    global _memo
    with _lock:
        _memo = (value, time.monotonic() + _refresh_seconds())
    return value


def state() -> ClockState:
    """The clock's setting (memoised for ``TUIJIN_CLOCK_REFRESH_SECONDS``)."""
    memo = _memo
    if memo is not None and time.monotonic() < memo[1]:
        return memo[0]
    return _remember(_read())


def forget() -> None:
    """Drop this process's memo: the next reading asks the database."""
    global _memo
    with _lock:
        _memo = None


def real_now() -> dt.datetime:
    """The real moment, for audit timestamps, sessions, tokens and timings — never for business rules."""
    return timezone.now()


def real_today() -> dt.date:
    return timezone.localdate(real_now())


def business_date() -> dt.date | None:
    """The date the platform is set to, or None when it runs on the real date."""
    return state().day


def today() -> dt.date:
    """The business day: the business date when one is set, else the real local date."""
    return state().day or real_today()


def now() -> dt.datetime:
    """The business moment: the business date with the real local time of day (aware)."""
    moment = timezone.localtime(real_now())
    day = state().day
    if day is None:
        return moment
    return moment.replace(year=day.year, month=day.month, day=day.day)


def set_business_date(day: dt.date, *, by: str = "", demo: bool = False) -> ClockState:
    """Run the platform at ``day``. The caller opens the audit context (the row is audited)."""
    from .models import BusinessDate

    row = BusinessDate.objects.filter(pk=BusinessDate.SINGLETON).first() or BusinessDate(pk=BusinessDate.SINGLETON)
    row.day, row.demo, row.set_by, row.set_at = day, demo, by[:150], real_now()
    row.save()
    return _remember(ClockState(row.day, row.demo, row.set_by, row.set_at))


def use_real_date(*, by: str = "") -> ClockState:
    """Run the platform at the real date again."""
    from .models import BusinessDate

    row = BusinessDate.objects.filter(pk=BusinessDate.SINGLETON).first()
    if row is not None and row.day is not None:
        row.day, row.demo, row.set_by, row.set_at = None, False, by[:150], real_now()
        row.save()
    return _remember(_REAL)
