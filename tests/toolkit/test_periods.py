"""Months, quarters and ISO weeks; month ends; 序时进度; working days (:mod:`tuijin.toolkit.periods`).

Golden cases for the codes and labels every page and document prints, the Chinese refusals each door
shows, and properties (hypothesis): parsing round trips, month ends, ordering, and time progress
within 0–100 % (the exact share within 0–1).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    InvalidPeriod,
    Month,
    Quarter,
    Week,
    is_working_day,
    month_end,
    nth_working_day,
    parse_period,
    parse_quarter,
    parse_week,
    period_code,
    period_label,
    previous_period,
    quarter_end,
    time_progress,
    week_code,
    working_days_before,
    year_elapsed,
)

years = st.integers(min_value=FIRST_YEAR, max_value=LAST_YEAR)
months_of_year = st.integers(min_value=1, max_value=12)
month_values = st.builds(Month, years, months_of_year)
quarter_values = st.builds(Quarter, years, st.integers(min_value=1, max_value=4))
days = st.dates(min_value=dt.date(FIRST_YEAR, 1, 4), max_value=dt.date(LAST_YEAR, 12, 24))


# --- time progress (序时进度) -------------------------------------------------------------------


@pytest.mark.parametrize(("month", "percent"), [
    (1, "8.33"), (2, "16.67"), (3, "25.00"), (6, "50.00"), (7, "58.33"), (9, "75.00"), (11, "91.67"), (12, "100.00"),
])
def test_time_progress_is_the_share_of_the_year_in_percent_to_two_decimals(month, percent):
    assert str(time_progress(month)) == percent  # the reporting API prints "75.00"
    assert Month(2022, month).time_progress == time_progress(month)


@given(months_of_year)
def test_time_progress_lies_within_0_and_100_and_the_exact_share_within_0_and_1(month):
    share = year_elapsed(month)
    assert 0 < share <= 1
    assert Decimal(0) < time_progress(month) <= Decimal(100)
    assert time_progress(month) == (share * 100).quantize(Decimal("0.01"))
    assert abs(time_progress(month) - share * 100) <= Decimal("0.005")
    if month > 1:
        assert time_progress(month) > time_progress(month - 1)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_time_progress_refuses_a_month_outside_the_year(month):
    with pytest.raises(ValueError, match="月份应为1–12"):
        time_progress(month)
    with pytest.raises(ValueError, match="月份应为1–12"):
        year_elapsed(month)


# --- month ends ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "month", "end"), [
    (2022, 1, dt.date(2022, 1, 31)), (2022, 2, dt.date(2022, 2, 28)), (2024, 2, dt.date(2024, 2, 29)),
    (2100, 2, dt.date(2100, 2, 28)), (2022, 4, dt.date(2022, 4, 30)), (2022, 12, dt.date(2022, 12, 31)),
])
def test_month_end_golden(year, month, end):
    assert month_end(year, month) == end == Month(year, month).last_day


@given(years, months_of_year)
def test_month_end_is_the_last_day_before_the_next_month(year, month):
    end = month_end(year, month)
    assert (end.year, end.month) == (year, month)
    assert end.day == calendar.monthrange(year, month)[1]
    following = end + dt.timedelta(days=1)
    assert following.day == 1 and Month.of(following) == Month(year, month).next


@pytest.mark.parametrize(("quarter", "end"), [(1, dt.date(2022, 3, 31)), (2, dt.date(2022, 6, 30)),
                                              (3, dt.date(2022, 9, 30)), (4, dt.date(2022, 12, 31))])
def test_quarter_end_golden(quarter, end):
    assert quarter_end(2022, quarter) == end == Quarter(2022, quarter).last_day


# --- months --------------------------------------------------------------------------------------


def test_month_codes_labels_and_neighbours():
    july = Month.parse("2022-07")
    assert (july.year, july.month, july.code, july.label, str(july)) == (2022, 7, "2022-07", "2022年7月", "2022-07")
    assert (july.first_day, july.last_day) == (dt.date(2022, 7, 1), dt.date(2022, 7, 31))
    assert Month(2022, 1).previous == Month(2021, 12) and Month(2021, 12).next == Month(2022, 1)
    assert Month(2022, 7).quarter == Quarter(2022, 3)
    assert Month.of(dt.date(2022, 2, 14)) == Month(2022, 2)
    assert (period_code(2022, 7), period_label(2022, 7), previous_period(2022, 1)) == ("2022-07", "2022年7月",
                                                                                    (2021, 12))
    assert sorted([Month(2022, 1), Month(2021, 12), Month(2022, 11)]) == [Month(2021, 12), Month(2022, 1),
                                                                           Month(2022, 11)]


@pytest.mark.parametrize("code", ["2022-13", "2022-7", "22-07", "", "2022/07", "abcd-ef", None, "2022-00"])
def test_a_malformed_reporting_period_is_refused_as_before(code):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(code)
    text = "" if code is None else code
    assert caught.value.message == f"报送期应为 YYYY-MM 格式（如 2022-07），实际为“{text}”"
    assert caught.value.errors == {"period": [caught.value.message]}


@pytest.mark.parametrize("code", ["1999-12", "2101-01"])
def test_a_year_outside_2000_to_2100_is_refused(code):
    with pytest.raises(ValidationFailed, match=r"报送期年份应在2000至2100之间，实际为"):
        parse_period(code)
    with pytest.raises(ValidationFailed, match=r"^统计期年份应在2000至2100之间"):
        parse_period(code, what="统计期")


def test_each_door_names_its_period_and_field():
    with pytest.raises(ValidationFailed) as caught:
        parse_period("2022-6", what="统计期", example="2022-06", field="as_of")
    assert caught.value.message == "统计期应为 YYYY-MM 格式（如 2022-06），实际为“2022-6”"
    assert caught.value.field == "as_of"


def test_an_invalid_period_is_also_a_value_error_for_code_that_falls_back():
    with pytest.raises(ValueError):
        parse_period("nonsense")
    assert issubclass(InvalidPeriod, ValidationFailed)


@pytest.mark.parametrize(("text", "expected"), [
    ("2022-06", (2022, 6)), ("2022/6", (2022, 6)), ("2022.06", (2022, 6)), ("202206", (2022, 6)),
    ("2022年6月", (2022, 6)), ("2022年1-6月", (2022, 6)), ("2022年6月份", (2022, 6)), (dt.date(2022, 6, 30), (2022, 6)),
    (dt.datetime(2022, 6, 1, 8), (2022, 6)),
])
def test_statistics_periods_are_read_leniently(text, expected):
    assert parse_period(text, lenient=True) == expected


@pytest.mark.parametrize(("text", "what", "message"), [
    ("June", "", "应为 YYYY-MM 格式的年月（如 2022-06），实际为“June”"),
    ("2022-13", "统计期间", "统计期间月份应为1至12，实际为13（“2022-13”）"),
    ("1999-06", "", "年份应在2000至2100之间，实际为1999"),
])
def test_lenient_refusals_keep_the_statistics_wording(text, what, message):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(text, what=what, lenient=True)
    assert caught.value.message == message


@given(month_values)
def test_a_month_code_parses_back_to_the_month(month):
    assert Month.parse(month.code) == month
    assert parse_period(month.code) == (month.year, month.month)
    assert parse_period(month.code, lenient=True) == (month.year, month.month)
    assert month.previous < month < month.next
    assert month.previous.next == month == month.next.previous


# --- quarters ------------------------------------------------------------------------------------


def test_quarter_codes_labels_and_months():
    q = Quarter.parse("2022q3")
    assert (q.code, q.label, str(q)) == ("2022Q3", "2022年第3季度", "2022Q3")
    assert q.months() == (Month(2022, 7), Month(2022, 8), Month(2022, 9))
    assert (q.first_day, q.last_day, q.last_month) == (dt.date(2022, 7, 1), dt.date(2022, 9, 30), Month(2022, 9))
    assert Quarter(2022, 1).previous == Quarter(2021, 4) and Quarter(2021, 4).next == Quarter(2022, 1)


@pytest.mark.parametrize("code", ["2022Q5", "2022Q0", "2022-Q1", "Q1", "2022", ""])
def test_a_malformed_quarter_is_refused_as_before(code):
    with pytest.raises(ValidationFailed) as caught:
        parse_quarter(code)
    assert caught.value.message == f"季度应为 YYYYQn 格式（如 2022Q1，n 为 1–4），实际为“{code}”"
    assert caught.value.field == "quarter"


def test_a_quarters_year_is_bounded():
    with pytest.raises(ValidationFailed, match="季度年份应在2000至2100之间，实际为1999"):
        parse_quarter("1999Q1")


@given(quarter_values)
def test_a_quarter_code_parses_back_and_its_months_are_its_own(quarter):
    assert Quarter.parse(quarter.code) == quarter
    assert [m.quarter for m in quarter.months()] == [quarter] * 3
    assert quarter.last_day == quarter.last_month.last_day
    assert quarter.previous < quarter < quarter.next


# --- ISO weeks -----------------------------------------------------------------------------------


def test_weeks_are_iso_weeks():
    assert parse_week("2022-W23") == (dt.date(2022, 6, 6), dt.date(2022, 6, 12))
    assert week_code(dt.date(2022, 1, 2)) == "2021-W52"
    week = Week.parse("2022-W23")
    assert (week.code, week.label, week.first_day, week.last_day) == ("2022-W23", "2022年第23周", dt.date(2022, 6, 6),
                                                                      dt.date(2022, 6, 12))
    assert week.previous == Week(2022, 22) and Week(2021, 52).next == Week(2022, 1)


@pytest.mark.parametrize(("code", "message"), [
    ("2022-23", "周次应为 YYYY-Www 格式（如 2022-W23），实际为“2022-23”"),
    ("", "周次应为 YYYY-Www 格式（如 2022-W23），实际为“”"),
    ("2022-W60", "2022年没有第60周"),
    ("2021-W53", "2021年没有第53周"),
])
def test_a_malformed_week_is_refused_in_chinese(code, message):
    with pytest.raises(ValidationFailed) as caught:
        parse_week(code)
    assert caught.value.message == message and caught.value.field == "week"


@given(days)
def test_a_days_week_contains_it_and_its_code_parses_back(day):
    week = Week.of(day)
    assert week.first_day <= day <= week.last_day
    assert week.first_day.weekday() == 0 and (week.last_day - week.first_day).days == 6
    assert Week.parse(week.code) == week == Week.parse(week_code(day))
    assert week.previous < week < week.next


# --- Chinese working days ------------------------------------------------------------------------


def test_working_days_follow_the_holiday_calendar():
    assert not is_working_day(dt.date(2022, 10, 3))  # National Day
    assert is_working_day(dt.date(2022, 10, 8))  # a make-up Saturday
    assert nth_working_day(2022, 10, 1) == dt.date(2022, 10, 8)
    assert working_days_before(dt.date(2022, 10, 10), 1) == dt.date(2022, 10, 9)  # a make-up Sunday
    assert is_working_day(dt.date(2200, 1, 1)) is (dt.date(2200, 1, 1).weekday() < 5)  # beyond the library: weekdays
