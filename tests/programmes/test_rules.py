"""Every rate's formula on small hand-made cases, the batch chain and 应入未入 (pure rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.programmes import rules

D1 = dt.date(2022, 6, 30)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, D("33.33")), (2, 3, D("66.67")), (0, 5, D("0.00")), (5, 5, D("100.00")), (1, 8, D("12.50")),
    (7, 0, None), (0, 0, None), (3, None, None),
])
def test_percent_rounds_half_up_and_refuses_nothing_to_divide_by(part, whole, expected):
    assert rules.percent(part, whole) == expected


def test_start_rate_is_started_over_planned():
    # 10 key projects planned to start this year, 4 started: 40 % — the Q1 target of 二(二)5.
    assert rules.start_rate(planned=10, started=4) == D("40.00")
    assert rules.start_rate(planned=0, started=0) is None


def test_completion_rate_is_ytd_over_annual_plan_and_lagging_is_below_time_progress():
    rate = rules.completion_rate(ytd_yuan=45_000_000, plan_yuan=100_000_000)
    assert rate == D("45.00")
    assert rules.lagging(rate, D("50.00")) is True      # June: time progress 50 %
    assert rules.lagging(D("50.00"), D("50.00")) is False  # at time progress is not lagging
    assert rules.lagging(None, D("50.00")) is False
    assert rules.completion_rate(ytd_yuan=5, plan_yuan=0) is None


def test_funds_in_place_rate_is_in_place_over_planned():
    assert rules.funds_in_place_rate(in_place_yuan=30_000_000, planned_yuan=120_000_000) == D("25.00")
    assert rules.funds_in_place_rate(in_place_yuan=0, planned_yuan=0) is None


def test_on_time_completion_counts_completions_on_or_before_the_planned_date():
    planned = dt.date(2022, 5, 31)
    assert rules.completed_on_time(planned_end=planned, actual_end=planned) is True
    assert rules.completed_on_time(planned_end=planned, actual_end=planned + dt.timedelta(days=1)) is False
    assert rules.completed_on_time(planned_end=planned, actual_end=None) is False
    assert rules.completed_on_time(planned_end=None, actual_end=planned) is False
    assert rules.on_time_completion_rate(due=4, on_time=3) == D("75.00")


def test_approval_rate_is_done_over_required():
    # 1,278 items done of 1,600 required.
    assert rules.approval_rate(required=1600, done=1278) == D("79.88")
    assert rules.approval_rate(required=0, done=0) is None


def test_an_item_is_overdue_only_after_its_due_date_and_while_not_done():
    due = dt.date(2022, 6, 15)
    assert rules.is_overdue(done=False, due_date=due, as_of=dt.date(2022, 6, 16)) is True
    assert rules.is_overdue(done=False, due_date=due, as_of=due) is False
    assert rules.is_overdue(done=True, due_date=due, as_of=dt.date(2022, 7, 1)) is False
    assert rules.is_overdue(done=False, due_date=None, as_of=dt.date(2022, 7, 1)) is False


def test_the_four_batch_rates():
    assert rules.fulfilment_rate(signed=8, performing=6) == D("75.00")
    assert rules.batch_start_rate(listed=20, started=17) == D("85.00")
    assert rules.production_rate(listed=12, producing=9) == D("75.00")
    assert rules.capacity_rate(producing=9, at_capacity=3) == D("33.33")
    assert rules.capacity_rate(producing=0, at_capacity=0) is None


def test_a_signed_deal_performs_with_a_registered_company_and_started_investment():
    start = dt.date(2022, 3, 1)
    assert rules.is_performing(company_registered=True, actual_start=start, as_of=D1) is True
    assert rules.is_performing(company_registered=False, actual_start=start, as_of=D1) is False
    assert rules.is_performing(company_registered=True, actual_start=None, as_of=D1) is False
    assert rules.is_performing(company_registered=True, actual_start=dt.date(2022, 7, 1), as_of=D1) is False


def test_production_candidates_come_from_the_previous_start_list_less_those_already_listed():
    assert rules.production_candidates(previous_start_list=[5, 3, 9, 3], already_producing_listed=[9]) == [5, 3]
    assert rules.production_candidates(previous_start_list=[]) == []


@pytest.mark.parametrize(("total_yuan", "started", "included", "cancelled", "missing"), [
    (5_000_000, dt.date(2022, 3, 1), False, False, True),     # exactly 500万: "及以上" → missing
    (4_999_999, dt.date(2022, 3, 1), False, False, False),    # one yuan below the threshold
    (80_000_000, None, False, False, False),                  # not started: not yet due
    (80_000_000, dt.date(2022, 3, 1), True, False, False),    # included
    (80_000_000, dt.date(2022, 3, 1), False, True, False),    # cancelled
    (80_000_000, dt.date(2022, 7, 1), False, False, False),   # starts after the as-of date
])
def test_missing_from_statistics(total_yuan, started, included, cancelled, missing):
    assert rules.is_missing_from_statistics(actual_start=started, cancelled=cancelled, total_yuan=total_yuan,
                                            in_statistics=included, threshold_wan=D("500"), as_of=D1) is missing


def test_the_plan_release_is_suspended_only_for_missing_projects_when_the_plan_says_so():
    assert rules.plan_release_suspended(missing=True, suspend_rule=True) is True
    assert rules.plan_release_suspended(missing=True, suspend_rule=False) is False
    assert rules.plan_release_suspended(missing=False, suspend_rule=True) is False


def test_the_financing_gap_is_never_negative():
    assert rules.financing_gap(planned_yuan=100, in_place_yuan=30) == 70
    assert rules.financing_gap(planned_yuan=100, in_place_yuan=130) == 0


@given(st.integers(min_value=1, max_value=10**12), st.data())
def test_a_rate_of_a_part_lies_between_0_and_100(whole, data):
    part = data.draw(st.integers(min_value=0, max_value=whole))
    rate = rules.percent(part, whole)
    assert D(0) <= rate <= D(100)
