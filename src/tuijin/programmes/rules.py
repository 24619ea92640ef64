"""Pure rules of the project pipeline programmes. No ORM; thresholds come from the plan.

* the four key-project rates of the "8946" plan (二(二)5): start rate (开工率), investment
  completion rate (投资完成率) against time progress (序时进度), funds-in-place rate (资金到位率),
  on-time completion rate (按期竣工率); and the approval rate (审批率) of 联审联批;
* the 三个一批 batch rates (二(二)6, DESIGN §5) and the batch chain: a batch's production list
  draws its candidates from the previous batch's start list;
* missing from statistics (应入未入, 二(七)19) and the suspended annual-plan release;
* overdue approval items, financing gaps (二(五)12).

Every rate is a percentage with two decimals, or ``None`` when there is nothing to divide by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

_Q = Decimal("0.01")


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """``part / whole`` as a percentage rounded half-up to 0.01; None when ``whole`` is 0 or missing."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(_Q, rounding=ROUND_HALF_UP)


# --- the four key-project rates (二(二)5) --------------------------------------------------------------------------

def start_rate(*, planned: int, started: int) -> Decimal | None:
    """开工率: key projects planned to start this year that have started by the as-of date ÷ those planned."""
    return percent(started, planned)


def completion_rate(*, ytd_yuan: int, plan_yuan: int) -> Decimal | None:
    """投资完成率: approved year-to-date investment ÷ annual plan investment."""
    return percent(ytd_yuan, plan_yuan)


def lagging(rate: Decimal | None, time_progress: Decimal) -> bool:
    """A completion rate below time progress (序时进度) is lagging; no rate is not lagging."""
    return rate is not None and rate < time_progress


def funds_in_place_rate(*, in_place_yuan: int, planned_yuan: int) -> Decimal | None:
    """资金到位率 (二(五)12): funds in place ÷ funds planned, over all sources."""
    return percent(in_place_yuan, planned_yuan)


def completed_on_time(*, planned_end: dt.date | None, actual_end: dt.date | None) -> bool:
    """A project completed on or before its planned completion date."""
    return planned_end is not None and actual_end is not None and actual_end <= planned_end


def on_time_completion_rate(*, due: int, on_time: int) -> Decimal | None:
    """按期竣工率: projects due to complete by the as-of date that completed on time ÷ those due."""
    return percent(on_time, due)


def approval_rate(*, required: int, done: int) -> Decimal | None:
    """审批率 (二(二)5): approval items done ÷ approval items required."""
    return percent(done, required)


def is_overdue(*, done: bool, due_date: dt.date | None, as_of: dt.date) -> bool:
    """An approval item not done whose due date has passed (listed for the weekly meeting)."""
    return not done and due_date is not None and due_date < as_of


# --- 三个一批 batches (二(二)6) -------------------------------------------------------------------------------------

def is_started(*, actual_start: dt.date | None, as_of: dt.date) -> bool:
    return actual_start is not None and actual_start <= as_of


def is_performing(*, company_registered: bool, actual_start: dt.date | None, as_of: dt.date) -> bool:
    """A signed deal performs (履约) when its company is registered and its investment has started."""
    return company_registered and is_started(actual_start=actual_start, as_of=as_of)


def fulfilment_rate(*, signed: int, performing: int) -> Decimal | None:
    """履约率: signed deals performing ÷ signed deals."""
    return percent(performing, signed)


def batch_start_rate(*, listed: int, started: int) -> Decimal | None:
    """开工率 of a batch: start-list projects actually started ÷ listed."""
    return percent(started, listed)


def production_rate(*, listed: int, producing: int) -> Decimal | None:
    """投产率: production-list projects in production ÷ listed."""
    return percent(producing, listed)


def capacity_rate(*, producing: int, at_capacity: int) -> Decimal | None:
    """达效率: production-list projects at capacity ÷ those in production."""
    return percent(at_capacity, producing)


def production_candidates(*, previous_start_list: Iterable[int], already_producing_listed: Iterable[int] = ()
                          ) -> list[int]:
    """The projects a batch's production list may draw from: the previous batch's start list,
    less those already on an earlier production list. Order kept, duplicates dropped."""
    seen = set(already_producing_listed)
    out: list[int] = []
    for ref in previous_start_list:
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out


# --- statistics inclusion (二(七)19) -------------------------------------------------------------------------------

def is_missing_from_statistics(*, actual_start: dt.date | None, cancelled: bool, total_yuan: int,
                               in_statistics: bool, threshold_wan: Decimal, as_of: dt.date | None = None) -> bool:
    """应入未入: a started (actual start, by ``as_of`` when given), not cancelled project with a total
    investment of at least the threshold (万元, "及以上") that is not in the statistics."""
    if cancelled or in_statistics or actual_start is None:
        return False
    if as_of is not None and actual_start > as_of:
        return False
    return Decimal(total_yuan) >= Decimal(threshold_wan) * 10_000


def plan_release_suspended(*, missing: bool, suspend_rule: bool) -> bool:
    """Its annual plan release is suspended (年度投资计划暂缓下达) while a project is missing, if the plan says so."""
    return missing and suspend_rule


# --- funding (二(五)12) --------------------------------------------------------------------------------------------

def financing_gap(*, planned_yuan: int, in_place_yuan: int) -> int:
    """What is still to be financed: planned less in place, never negative."""
    return max(planned_yuan - in_place_yuan, 0)
