"""The reporting calendar of the plan file (二(七)20): when a period's submissions are due.

Chinese working days themselves (chinesecalendar) are the toolkit's, :mod:`tuijin.toolkit.periods`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tuijin.plan import Plan, plan_of_month
from tuijin.toolkit.periods import nth_working_day


def period_plan(year: int, month: int) -> Plan:
    """The plan whose calendar and quality rules govern the reporting period ``year``-``month``: its own
    year's plan (amended as of the month's end); a year without a plan file takes the nearest earlier
    plan's rules (:func:`tuijin.plan.plan_of_month`)."""
    return plan_of_month(year, month)


def deadline_for(year: int, month: int, *, deadline_working_day: int) -> dt.date:
    """A period's submission deadline: the N-th working day of the following month (二(七)20)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return nth_working_day(next_year, next_month, deadline_working_day)


def ahead_margin(year: int, month: int = 12) -> Decimal:
    """The margin (percentage points above time progress) for "ahead of schedule" (超序时进度) in the period's plan."""
    return Decimal(str(period_plan(year, month).rules.reporting_calendar.ahead_margin_points))
