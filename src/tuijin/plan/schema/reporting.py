"""Monthly reporting (二(七)20): the calendar and the data-quality checks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from .base import Count, Percent, Positive, Rule, _number, _reject


class ReportingCalendarRule(Rule):
    """Monthly reporting (二(七)20): deadline = N-th Chinese working day of the following month."""

    period_opens_day: Annotated[int, Field(strict=True, ge=1, le=28)]
    deadline_working_day: Annotated[int, Field(strict=True, ge=1, le=20)]
    reminder_days_before: Count
    #: A project whose year-to-date completion of its annual plan is this many percentage
    #: points above time progress (序时进度) is "ahead"; below time progress it is "lagging".
    ahead_margin_points: Percent

    @model_validator(mode="after")
    def _reminder_before_deadline(self) -> ReportingCalendarRule:
        if self.reminder_days_before >= self.deadline_working_day:
            _reject(
                ("reminder_days_before",),
                f"提醒应在截止日所在月内（reminder must fall within the deadline month: less than {self.deadline_working_day} working days before）",
            )
        return self


class DataQualityRule(Rule):
    """Data-quality checks on monthly reports (DESIGN §4.5): flags shown as warnings."""

    #: A month above ``spike_factor`` × the project's trailing average is flagged.
    spike_factor: Annotated[Decimal, BeforeValidator(_number), Field(gt=1)]
    spike_window_months: Positive
