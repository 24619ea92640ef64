"""Pure rules of monthly reporting (DESIGN §4.5). No ORM; numbers come from the plan.

* each project's plan-vs-actual status against time progress (序时进度, :mod:`tuijin.toolkit.periods`);
* data-quality flags, which warn but never block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# Months and 序时进度 are the toolkit's (one definition for every app); these names stay importable
# here for reporting's own modules and the cockpit. New code imports tuijin.toolkit.periods.
from tuijin.toolkit.periods import parse_period as parse_period
from tuijin.toolkit.periods import period_code as period_code
from tuijin.toolkit.periods import previous_period as previous_period
from tuijin.toolkit.periods import time_progress as time_progress

AHEAD, NORMAL, LAGGING, NO_PLAN = "ahead", "normal", "lagging", "no_plan"
STATUS_LABELS = {AHEAD: "超前", NORMAL: "正常", LAGGING: "滞后", NO_PLAN: "无年度计划"}


def completion_rate(ytd_yuan: int, annual_plan_yuan: int | None) -> Decimal | None:
    """Year-to-date investment as a percentage of the annual plan; None without a plan."""
    if not annual_plan_yuan:
        return None
    return (Decimal(ytd_yuan) * 100 / Decimal(annual_plan_yuan)).quantize(Decimal("0.01"))


def progress_status(*, ytd_yuan: int, annual_plan_yuan: int | None, month: int, ahead_margin_points: Decimal) -> str:
    """Plan-vs-actual: lagging below time progress, ahead at or above it plus the margin, else normal."""
    rate = completion_rate(ytd_yuan, annual_plan_yuan)
    if rate is None:
        return NO_PLAN
    tp = time_progress(month)
    if rate < tp:
        return LAGGING
    if rate >= tp + ahead_margin_points:
        return AHEAD
    return NORMAL


def stage_during(stage: str, actual_end: dt.date | None, period_start: dt.date) -> str:
    """The project's stage as it was in a period: one completed during or after the period's
    first day was still under construction then (its final months are legitimate reports)."""
    if stage == "completed" and actual_end is not None and actual_end >= period_start:
        return "construction"
    return stage


@dataclass(frozen=True)
class RowFacts:
    """What the data-quality checks know about one reported project-month."""

    month_amount_yuan: int
    ytd_yuan: int
    cumulative_yuan: int
    annual_plan_yuan: int | None
    total_investment_yuan: int
    trailing_amounts_yuan: tuple[int, ...]  # the previous months, most recent last
    percent_complete: Decimal | None
    previous_percent: Decimal | None
    project_stage: str
    started: bool


def quality_warnings(facts: RowFacts, *, spike_factor: Decimal, spike_window: int) -> list[tuple[str, str]]:
    """Data-quality flags as (column, Chinese message). They are shown, never blocking."""
    out: list[tuple[str, str]] = []
    amount_col = "本月完成投资（万元）"
    if facts.annual_plan_yuan is not None and facts.ytd_yuan > facts.annual_plan_yuan:
        out.append((amount_col, f"本年累计完成{facts.ytd_yuan / 10_000:,.2f}万元，超过年度计划{facts.annual_plan_yuan / 10_000:,.2f}万元"))
    if facts.cumulative_yuan > facts.total_investment_yuan:
        out.append((amount_col, f"开工累计完成{facts.cumulative_yuan / 10_000:,.2f}万元，超过总投资{facts.total_investment_yuan / 10_000:,.2f}万元"))
    window = [a for a in facts.trailing_amounts_yuan[-spike_window:]]
    if len(window) == spike_window and facts.month_amount_yuan > 0:
        average = Decimal(sum(window)) / spike_window
        if average > 0 and Decimal(facts.month_amount_yuan) > spike_factor * average:
            out.append((amount_col, f"本月完成投资是前{spike_window}个月平均值的{Decimal(facts.month_amount_yuan) / average:.1f}倍，请核实"))
    if facts.project_stage == "completed" and facts.month_amount_yuan > 0:
        out.append((amount_col, "项目已竣工，仍填报了本月投资"))
    if facts.project_stage in ("reserve", "ready") and not facts.started and facts.month_amount_yuan > 0:
        out.append((amount_col, "项目尚未开工，却填报了本月投资"))
    if (facts.percent_complete is not None and facts.previous_percent is not None
            and facts.percent_complete < facts.previous_percent):
        out.append(("完成百分比", f"完成百分比由上月的{facts.previous_percent}%降为{facts.percent_complete}%"))
    return out
