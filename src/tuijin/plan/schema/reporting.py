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


class StatisticsCalendarRule(Rule):
    """Which months have official statistics (统计月份), and whether a last-place streak (三(三)) carries
    across the new year.

    National practice publishes fixed-asset investment for 1–2月 together: ``months: [2, …, 12]`` (no
    January figure). The seed's "连续三个月" has no year limit; ``streak_across_years: true`` counts
    December and the next year's first statistics month as consecutive. A plan file without this rule
    has statistics every month and streaks within the year (the platform's behaviour before the rule).
    """

    months: tuple[Annotated[int, Field(strict=True, ge=1, le=12)], ...] = Field(min_length=1)
    streak_across_years: bool = False

    @model_validator(mode="after")
    def _months_ascending(self) -> StatisticsCalendarRule:
        if list(self.months) != sorted(set(self.months)):
            _reject(("months",), "统计月份应按升序排列且不重复（months must be ascending and unique）")
        if 12 not in self.months:
            _reject(("months",), "统计月份应包含12月（the year's figure: December must have statistics）")
        return self

    def has_statistics(self, month: int) -> bool:
        return month in self.months

    def months_label(self) -> str:
        """The months as the bureau publishes them: ``1–2月、3月、…、12月``."""
        from tuijin.toolkit.statistics_months import months_label

        return months_label(self)

DEFAULT_STATISTICS_CALENDAR = StatisticsCalendarRule(label="统计月份", source="二(七)20",
                                                     months=tuple(range(1, 13)), streak_across_years=False)
