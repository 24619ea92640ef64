"""The reporting calendar of the plan file (二(七)20): when a period's submissions are due.

Chinese working days themselves (chinesecalendar) are the toolkit's, :mod:`tuijin.toolkit.periods`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tuijin.plan import active_plan
from tuijin.toolkit.periods import nth_working_day


def deadline_for(year: int, month: int, *, deadline_working_day: int) -> dt.date:
    """A period's submission deadline: the N-th working day of the following month (二(七)20)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return nth_working_day(next_year, next_month, deadline_working_day)


def ahead_margin() -> Decimal:
    """The plan's margin (percentage points above time progress) for "ahead of schedule" (超序时进度)."""
    return Decimal(str(active_plan().rules.reporting_calendar.ahead_margin_points))
