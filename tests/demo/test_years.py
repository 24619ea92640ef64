"""The demo is Zhengzhou 2022: it reads the 2022 plan even when the directory holds a later one (issue 15)."""

from __future__ import annotations

from tuijin.demo.generate import DEMO_BUSINESS_DATE, DEMO_YEAR, demo_plan, facts_from_plan
from tuijin.demo.logins import demo_logins
from tuijin.plan import latest_plan


def test_the_demo_plan_is_the_demo_years_not_the_latest(two_year_plans):
    two_year_plans({"key_projects: {value: 900,": "key_projects: {value: 1000,"})
    assert DEMO_YEAR == DEMO_BUSINESS_DATE.year == 2022
    assert latest_plan().meta.year == 2023
    facts = facts_from_plan(demo_plan())
    assert facts.year == 2022 and facts.targets["key_projects"] == 900
    assert len(demo_logins()) == len(demo_logins(facts))
