"""Statistics months (issue 15): golden cases and properties of the chain a last-place streak counts
(1–2月 published together, December carried into the next year when the plan says so) and of time
progress under a year's statistics months."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golden import golden_cases
from tuijin.plan.schema import StatisticsCalendarRule
from tuijin.toolkit.periods import time_progress
from tuijin.toolkit.statistics_months import (
    is_statistics_month,
    months_label,
    previous_statistics_month,
    statistics_chain,
    statistics_month_problem,
    statistics_time_progress,
)

GOLDEN = Path(__file__).parent / "golden"
NAMED = {"all": tuple(range(1, 13)), "national": tuple(range(2, 13))}


@dataclass(frozen=True)
class Calendar:
    months: tuple[int, ...]
    streak_across_years: bool


def months_of(spec: Any) -> tuple[int, ...]:
    return NAMED[spec] if isinstance(spec, str) else tuple(spec)


def calendars(spec: dict[int, dict[str, Any]]):  # noqa: ANN201
    table = {int(year): Calendar(months_of(c["months"]), bool(c["across"])) for year, c in spec.items()}
    return table.get


@pytest.mark.parametrize(("given_", "expected"), golden_cases(GOLDEN, "statistics_months"))
def test_statistics_chain_golden(given_: dict[str, Any], expected: dict[str, Any]) -> None:
    calendar_of = calendars(given_["calendars"])
    year, month = given_["at"]
    chain = statistics_chain(year, month, calendar_of, length=given_["length"])
    assert chain == [tuple(pair) for pair in expected["chain"]]
    previous = previous_statistics_month(year, month, calendar_of)
    assert previous == (tuple(expected["previous"]) if expected["previous"] else None)


@pytest.mark.parametrize(("given_", "expected"), golden_cases(GOLDEN, "statistics_time_progress"))
def test_statistics_time_progress_golden(given_: dict[str, Any], expected: Any) -> None:
    calendar = Calendar(months_of(given_["months"]), True)
    got = statistics_time_progress(given_["month"], calendar)
    assert got == (None if expected is None else Decimal(expected))


def test_a_january_under_the_national_calendar_is_refused_naming_the_months() -> None:
    national = Calendar(NAMED["national"], True)
    problem = statistics_month_problem(2023, 1, national)
    assert problem is not None
    assert "1–2月、3月" in problem and "12月" in problem and "2023-02" in problem
    assert statistics_month_problem(2023, 2, national) is None
    assert statistics_month_problem(2023, 1, None) is None  # a year without a calendar: every month


def test_the_schema_refuses_months_out_of_order_or_without_december() -> None:
    from pydantic import ValidationError

    StatisticsCalendarRule(label="统计月份", source="三(三)", months=(2, 3, 12))
    for months in ((3, 2, 12), (2, 2, 12), (2, 3, 11), ()):
        with pytest.raises(ValidationError):
            StatisticsCalendarRule(label="统计月份", source="三(三)", months=months)


# --- properties ------------------------------------------------------------------------------

@st.composite
def calendar_tables(draw: st.DrawFn) -> dict[int, Calendar]:
    years = draw(st.lists(st.integers(min_value=2020, max_value=2026), unique=True, max_size=5))
    table = {}
    for year in years:
        months = draw(st.sets(st.integers(min_value=1, max_value=11)))
        table[year] = Calendar(tuple(sorted(months | {12})), draw(st.booleans()))
    return table


@given(calendar_tables(), st.integers(min_value=2020, max_value=2026), st.integers(min_value=1, max_value=12),
       st.integers(min_value=1, max_value=40))
def test_a_chain_is_statistics_months_each_the_previous_of_the_next(table: dict[int, Calendar], year: int,
                                                                  month: int, length: int) -> None:
    chain = statistics_chain(year, month, table.get, length=length)
    assert len(chain) <= length
    if not is_statistics_month(month, table.get(year)):
        assert chain == []
        return
    assert chain[-1] == (year, month)
    assert chain == sorted(set(chain))  # strictly increasing
    for y, m in chain:
        assert is_statistics_month(m, table.get(y))
    for before, after in zip(chain, chain[1:], strict=False):
        assert previous_statistics_month(*after, table.get) == before
        if before[0] != after[0]:  # a year boundary is crossed only when the later year's plan says so
            assert after[0] == before[0] + 1 and table.get(after[0]) is not None
            assert table[after[0]].streak_across_years and before[1] == 12


@given(calendar_tables(), st.integers(min_value=2020, max_value=2026), st.integers(min_value=1, max_value=12))
def test_time_progress_never_runs_ahead_of_the_month(table: dict[int, Calendar], year: int, month: int) -> None:
    calendar = table.get(year)
    got = statistics_time_progress(month, calendar)
    if got is None:
        assert calendar is not None and min(calendar.months) > month
    else:
        assert Decimal(0) < got <= time_progress(month)
        assert (got == time_progress(month)) == is_statistics_month(month, calendar)
    assert months_label(calendar).endswith("12月")
