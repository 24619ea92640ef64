"""Money is stored as integer yuan and sums exactly on both databases (DESIGN §4.0)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from tuijin.toolkit.money import MoneyError, format_wan, parse_wan, wan_to_yuan, yuan_to_wan


@given(st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False))
def test_wan_and_yuan_round_trip_exactly(amount):
    assert yuan_to_wan(wan_to_yuan(amount)) == amount


@pytest.mark.parametrize("bad", ["", "abc", "1.23456", "NaN", None, True])
def test_unreadable_amounts_are_refused(bad):
    with pytest.raises(MoneyError):
        parse_wan(bad)


def test_amounts_with_separators_are_read():
    assert parse_wan("1,234.5") == Decimal("1234.5")
    assert format_wan(12345678) == "1,234.57"


def test_thousands_of_amounts_sum_exactly_in_sql(make_project):
    from tuijin.projects.models import AnnualPlan

    rng = random.Random(7)
    amounts = [Decimal(rng.randint(1, 10**9)) / 10_000 for _ in range(3000)]
    # (project, year) is unique, so spread the rows over 30 projects and 100 years.
    projects = [make_project(annual_plan_wan=None) for _ in range(30)]
    rows = [AnnualPlan(project=projects[i % 30], year=1900 + i // 30, amount_yuan=wan_to_yuan(a))
            for i, a in enumerate(amounts)]
    AnnualPlan.objects.bulk_create(rows, batch_size=500)
    total_yuan = AnnualPlan.objects.aggregate(s=Sum("amount_yuan"))["s"]
    assert yuan_to_wan(total_yuan) == sum(amounts)
