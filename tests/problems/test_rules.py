"""Routing, deadlines and the overdue ladder as pure rules (二(五)14, 三(三)), time frozen."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.plan import plan_for
from tuijin.problems import rules

LADDER = [(1, "department_head"), (5, "supervision")]


def test_deadlines_skip_weekends_and_holidays():
    # Wednesday 1 June 2022 + 10 working days: 3 June is the Dragon Boat Festival → 16 June.
    assert rules.problem_deadline(dt.date(2022, 6, 1), 10) == dt.date(2022, 6, 16)
    assert rules.add_working_days(dt.date(2022, 6, 10), 1) == dt.date(2022, 6, 13)  # Friday → Monday


@pytest.mark.parametrize(("today", "level"), [
    (dt.date(2022, 6, 16), ""),                  # on the deadline: not overdue
    (dt.date(2022, 6, 17), "department_head"),   # 1 working day over
    (dt.date(2022, 6, 19), "department_head"),   # Sunday: still 1 working day over
    (dt.date(2022, 6, 22), "department_head"),   # 4 working days over
    (dt.date(2022, 6, 23), "supervision"),       # 5 working days over
    (dt.date(2022, 9, 1), "supervision"),
])
def test_the_overdue_ladder_at_its_boundaries(today, level):
    assert rules.escalation_level(deadline=dt.date(2022, 6, 16), today=today, ladder=LADDER) == level


def test_the_plan_file_gives_the_ladder_and_every_category_a_department_and_deadline():
    plan = plan_for(2022)
    assert [(s.overdue_working_days, s.level) for s in plan.problems.escalation] == LADDER
    for category in plan.rules.problem_deadlines.categories:
        assert plan.problems.department_for(category.code) in plan.department_codes()
    assert plan.problems.source == "二(五)14、三(三)"


def test_only_the_allowed_transitions_exist():
    assert rules.transition("accept", "raised")[0] == "accepted"
    assert rules.transition("close", "resolved") == ("closed", "raiser", False)
    with pytest.raises(ValueError, match="不能"):
        rules.transition("close", "in_progress")
    with pytest.raises(ValueError, match="未知"):
        rules.transition("delete", "raised")


@given(st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2023, 12, 31)),
       st.integers(min_value=0, max_value=60))
def test_the_ladder_never_climbs_down_as_days_pass(deadline, days):
    today = deadline + dt.timedelta(days=days)
    later = today + dt.timedelta(days=1)
    now = rules.escalation_level(deadline=deadline, today=today, ladder=LADDER)
    after = rules.escalation_level(deadline=deadline, today=later, ladder=LADDER)
    assert rules.LEVEL_ORDER[after] >= rules.LEVEL_ORDER[now]
    assert (now == "") == (rules.working_days_after(deadline, today) == 0)
