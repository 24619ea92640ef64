"""Input fields (:mod:`tuijin.toolkit.fields`): money in 万元 and 亿元, dates, percents, flags and choices.

Golden cases for each door's wording (the messages the pages, the API and the import reports show
today) and properties (hypothesis): amounts round-trip exactly to yuan, dates to their ISO text,
percents stay within their bounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuijin.toolkit import fields
from tuijin.toolkit.errors import ValidationFailed
from tuijin.toolkit.money import yuan_to_wan


def refusal(read, value, **options) -> str:
    with pytest.raises(ValidationFailed) as caught:
        read(value, **options)
    assert list(caught.value.errors) == [options["field"]]
    return caught.value.message


# --- money in 万元 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "yuan"), [
    ("1234.5678", 12_345_678), ("1,234.5", 12_345_000), ("1，234", 12_340_000), (12.5, 125_000), (7, 70_000),
    (Decimal("0.0001"), 1), ("0", 0), (" 3 ", 30_000),
])
def test_amounts_in_wan_are_read_exactly_to_the_yuan(value, yuan):
    assert fields.money_yuan(value, field="amount") == yuan


@pytest.mark.parametrize(("value", "options", "message"), [
    ("abc", {}, "金额应为数字，实际为“abc”（单位万元）"),
    ("1.23456", {}, "金额最多保留4位小数（精确到元）（单位万元）"),
    ("", {}, "必填，单位万元"),
    (None, {"words": fields.AMOUNT_NUMBER}, "金额应为数字（单位万元）"),
    ("-1", {}, "金额不能为负数"),
    ("0", {"positive": True}, "金额应大于0（单位万元）"),
    ("-5", {"positive": True}, "金额应大于0（单位万元）"),
    ("60000000", {"maximum_wan": Decimal("50000000")}, "金额超过合理范围（应不超过50,000,000万元），请检查单位是否为万元"),
    (True, {}, "金额应为数字（单位万元）"),
    (dt.date(2022, 1, 1), {}, "金额应为数字（单位万元）"),
])
def test_a_form_field_refuses_an_amount_in_its_own_words(value, options, message):
    assert refusal(fields.money_yuan, value, field="amount", **options) == message


@pytest.mark.parametrize(("value", "options", "message"), [
    ("-3", {}, "总投资（万元）：不能为负数"),
    ("", {}, "总投资（万元）：必填"),
    ("x", {}, "总投资（万元）：应为数字，实际为“x”"),
    ("2000000000", {"maximum_wan": 1_000_000_000}, "总投资（万元）：数额过大"),
])
def test_a_labelled_message_names_its_field(value, options, message):
    assert refusal(fields.money_wan, value, field="total", label="总投资（万元）", words=fields.LABELLED,
                   **options) == message


@pytest.mark.parametrize(("value", "message"), [
    (-1.0, "不能为负数（填写的是-1）"),
    (2_000_000_000, "金额2000000000万元过大，请核对单位是否为万元"),
    (12.34567, "最多保留4位小数（精确到元）（单位万元）"),
    ("很多", "应为数字，实际为“很多”（单位万元）"),
    (float("nan"), "应为有限的数字（单位万元）"),
    ("", "必填：本月没有投资请填0"),
])
def test_a_cell_is_refused_as_the_import_report_words_it(value, message):
    words = replace(fields.CELL, required="必填：本月没有投资请填0")
    assert refusal(fields.money_yuan, value, field="本月完成投资（万元）", words=words,
                   maximum_wan=Decimal("1000000000")) == message


def test_a_blank_optional_amount_is_none():
    assert fields.money_wan(None, field="rate", required=False) is None
    assert fields.money_wan("  ", field="rate", required=False) is None


@given(st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False))
def test_amounts_round_trip_through_yuan_exactly(amount):
    yuan = fields.money_yuan(str(amount), field="amount")
    assert yuan_to_wan(yuan) == amount
    assert fields.money_yuan(f"{amount:,}", field="amount") == yuan
    assert fields.money_wan(amount, field="amount") == amount


@given(st.floats(min_value=0, max_value=10**8, allow_nan=False))
def test_a_float_cell_reads_as_its_shortest_decimal_or_is_refused(value):
    """Calamine gives numbers as floats: the amount is the float's repr, never a binary artefact."""
    try:
        yuan = fields.money_yuan(value, field="cell", words=fields.CELL)
    except ValidationFailed as exc:
        assert "最多保留4位小数" in exc.message
    else:
        assert yuan_to_wan(yuan) == Decimal(repr(value))


@pytest.mark.parametrize(("value", "yuan"), [("12.5", 1_250_000_000), ("1,000", 100_000_000_000),
                                             (Decimal("0.00000001"), 1)])
def test_deal_amounts_in_yi_are_read_to_the_yuan(value, yuan):
    assert fields.money_yi(value, field="amount") == yuan


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "金额应为数字（单位亿元），实际为“abc”"), ("0", "金额应大于0（单位亿元）"),
    ("20000", "金额超过合理范围（应不超过10000亿元），请检查单位是否为亿元"),
    ("0.000000001", "金额最多精确到元（亿元后8位小数）"),
])
def test_deal_amounts_are_refused_in_yi_words(value, message):
    assert refusal(fields.money_yi, value, field="amount", maximum_yi=Decimal(10000)) == message


# --- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "options", "day"), [
    ("2022-06-01", {}, dt.date(2022, 6, 1)), (" 2022-06-01 ", {}, dt.date(2022, 6, 1)),
    (dt.datetime(2022, 6, 1, 9, 30), {}, dt.date(2022, 6, 1)), (dt.date(2022, 6, 1), {}, dt.date(2022, 6, 1)),
    ("2022/06/01", {"slashes": True}, dt.date(2022, 6, 1)), ("", {"required": False}, None),
    (None, {"required": False}, None),
])
def test_dates_are_iso_dates_or_spreadsheet_dates(value, options, day):
    assert fields.date(value, field="day", **options) == day


@pytest.mark.parametrize(("value", "options", "message"), [
    ("2022-13-01", {}, "日期格式应为YYYY-MM-DD"),
    ("", {}, "日期格式应为YYYY-MM-DD"),
    ("2022/06/01", {}, "日期格式应为YYYY-MM-DD"),
    ("soon", {"message": "日期格式应为YYYY-MM-DD，实际为“{text}”"}, "日期格式应为YYYY-MM-DD，实际为“soon”"),
    ("soon", {"label": "发行日期", "message": "{label}：应为日期 YYYY-MM-DD"}, "发行日期：应为日期 YYYY-MM-DD"),
])
def test_a_malformed_date_is_refused_in_the_doors_words(value, options, message):
    assert refusal(fields.date, value, field="day", **options) == message


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_a_dates_iso_text_reads_back(day):
    assert fields.date(day.isoformat(), field="day") == day
    assert fields.date(day.isoformat().replace("-", "/"), field="day", slashes=True) == day


# --- percents ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "number"), [("12.5", Decimal("12.50")), ("12.5%", Decimal("12.50")),
                                               (100, Decimal("100.00")), (0.1, Decimal("0.10")), ("", None)])
def test_percents_are_quantized_to_two_places(value, number):
    assert fields.percent(value, field="percent_complete") == number


@pytest.mark.parametrize(("value", "words", "message"), [
    ("abc", fields.PERCENT, "应为0到100之间的数字，实际为“abc”"),
    ("120", fields.PERCENT, "应在0到100之间，实际为120"),
    ("12.345", fields.PERCENT, "最多保留2位小数"),
    ("abc", fields.PERCENT_CELL, "应为0–100之间的数字，实际为“abc”"),
    (120.0, fields.PERCENT_CELL, "应在0–100之间，实际为120"),
    (12.345, fields.PERCENT_CELL, "最多保留2位小数，实际为12.345"),
    (True, fields.PERCENT_CELL, "应为0–100之间的数字"),
])
def test_a_percent_is_refused_in_the_doors_words(value, words, message):
    assert refusal(fields.percent, value, field="percent_complete", words=words) == message


@given(st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False))
def test_an_accepted_percent_lies_within_its_bounds(number):
    try:
        read = fields.percent(str(number), field="growth", low=-100, high=100)
    except ValidationFailed:
        assert not -100 <= number <= 100 or number != number.quantize(Decimal("0.01"))
    else:
        assert -100 <= read <= 100 and read == number


# --- flags and choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("是", True), ("否", False), ("true", True), ("FALSE", False), ("1", True),
    ("0", False), (1, True), (None, False), ("", False),
])
def test_flags_read_yes_and_no_words(value, expected):
    assert fields.flag(value, field="started") is expected


def test_a_flag_is_refused_in_the_doors_words():
    assert refusal(fields.flag, "maybe", field="started") == "应为“是”或“否”，实际为“maybe”"
    assert refusal(fields.flag, "", field="started", yes={"是"}, no={"否"}, required=True,
                   required_message="必填：请选择“是”或“否”") == "必填：请选择“是”或“否”"
    assert refusal(fields.flag, "yes", field="issued", label="已发行", yes=(), no=(),
                   message="{label}：应为 true 或 false") == "已发行：应为 true 或 false"


def test_choices_are_one_of_their_codes():
    assert fields.choice(" fai ", field="indicator", choices=["fai", "industrial"]) == "fai"
    assert fields.choice("", field="maturity", choices=["a", "b"], blank=True) == ""
    assert refusal(fields.choice, "x", field="nature", choices=["", "new", "expansion"]) == \
        "无效的取值“x”，应为 new、expansion 之一"


def test_collect_gathers_every_fields_refusal():
    errors: dict[str, list[str]] = {}
    assert fields.collect(errors, fields.money_yuan, "-1", field="planned") is None
    assert fields.collect(errors, fields.date, "soon", field="on") is None
    assert fields.collect(errors, fields.money_yuan, "2", field="in_place") == 20_000
    assert errors == {"planned": ["金额不能为负数"], "on": ["日期格式应为YYYY-MM-DD"]}
