"""Assessment formulas with the real plan file, and the errors they refuse with a Chinese message."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from tuijin.assessment import rules
from tuijin.plan.loader import load_plan
from tuijin.plan.schema import Plan

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml"
D = Decimal


@cache
def real_plan() -> Plan:
    return load_plan(PLAN_FILE)


# --- with the real plan ------------------------------------------------------------------------


def test_meeting_every_target_scores_the_plans_full_100_and_nothing_scores_0():
    evaluation = real_plan().rules.evaluation
    targets = dict.fromkeys(evaluation.weights, D(10))
    scores = rules.composite_scores(
        {"full": dict.fromkeys(evaluation.weights, D(10)), "none": {}},
        evaluation.weights,
        targets=targets,
        labels=evaluation.labels,
    )
    assert scores["full"].total == D(100)
    assert scores["none"].total == D(0)
    assert scores["none"].explanation.endswith("合计 0 分")
    assert scores["full"].explanation.startswith("固定资产投资增速完成目标情况 10%，目标 10%，完成率 100.00%")


def test_a_units_own_growth_target_from_the_plan_overrides_the_default():
    plan = real_plan()
    weights = {"fai_growth": D(100)}
    targets = {"fai_growth": plan.target("unit_fai_growth")}
    scores = rules.composite_scores(
        {"jinshui": {"fai_growth": D(9)}, "erqi": {"fai_growth": D(9)}},
        weights,
        targets=targets,
        unit_targets={"erqi": {"fai_growth": D(12)}},
    )
    assert scores["jinshui"].total == D(90)  # 9 / 10
    assert scores["erqi"].total == D(75)  # 9 / 12


# --- refusals ----------------------------------------------------------------------------------


def test_a_ladder_without_a_first_rung_is_refused():
    class FromTwo:
        def level_for(self, streak):
            return None

    with pytest.raises(ValueError, match="没有连续 1 个月对应的级别"):
        rules.escalation_streaks([{"a": D(1), "b": D(2)}], FromTwo())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"targets": {}}, "以下评价指标缺少目标值：fai_growth"),
        ({"targets": {"fai_growth": D(-1)}}, "目标值不应为负：fai_growth"),
        (
            {"targets": {"fai_growth": D(10)}, "unit_targets": {"a": {"fai_growth": D(-2)}}},
            "目标值不应为负：fai_growth",
        ),
        ({"targets": {"fai_growth": D(10)}, "cap": D(0)}, "封顶系数应大于 0"),
    ],
)
def test_evaluation_refuses_missing_or_negative_targets_and_a_zero_cap(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rules.composite_scores({"a": {"fai_growth": D(5)}}, {"fai_growth": D(100)}, **kwargs)


def test_evaluation_refuses_an_indicator_without_a_weight():
    with pytest.raises(ValueError, match="单位 a 有未设权重的评价指标：typo"):
        rules.composite_scores(
            {"a": {"fai_growth": D(5), "typo": D(1)}}, {"fai_growth": D(100)}, targets={"fai_growth": D(10)}
        )


SHARES = [D(m) / 12 for m in range(1, 13)]


@pytest.mark.parametrize("month", [0, 13, True])
def test_forecast_refuses_a_month_outside_1_to_12(month):
    with pytest.raises(ValueError, match="月份应为 1–12 的整数"):
        rules.forecast_year_end(D(100), month, SHARES)


def test_forecast_refuses_incomplete_shares_and_a_zero_share():
    with pytest.raises(ValueError, match="月度占比应有 12 个，实际 11 个"):
        rules.forecast_year_end(D(100), 3, SHARES[:11])
    with pytest.raises(ValueError, match="1 月的累计占比应大于 0"):
        rules.forecast_year_end(D(100), 1, [D(0), *SHARES[1:]])


def test_growth_needs_a_positive_last_year():
    with pytest.raises(ValueError, match="上年全年累计值应大于 0"):
        rules.forecast_growth(D(100), 3, SHARES, D(0))


def test_shares_need_whole_years_with_a_positive_total():
    with pytest.raises(ValueError, match="至少需要一个完整年度"):
        rules.monthly_shares([])
    with pytest.raises(ValueError, match="第 2 个年度应有 12 个月的累计值，实际 6 个"):
        rules.monthly_shares([[D(m) for m in range(1, 13)], [D(m) for m in range(1, 7)]])
    with pytest.raises(ValueError, match="第 1 个年度的全年累计值应大于 0"):
        rules.monthly_shares([[D(0)] * 12])


def test_no_month_is_left_in_december():
    with pytest.raises(ValueError, match="月份应为 0–11 的整数"):
        rules.needed_per_month(D(1100), D(1000), 12)


def test_a_backtest_needs_two_adjacent_years():
    year = [D(m) for m in range(1, 13)]
    with pytest.raises(ValueError, match="需要至少两个相邻的完整年度"):
        rules.backtest({2019: year, 2021: year})
    with pytest.raises(ValueError, match="无法回测 2019 年：需要 2019 年和 2018 年的数据"):
        rules.backtest({2019: year, 2020: year}, held_out=[2019])


def test_backtest_errors_by_month_average_over_the_held_out_years():
    flat = [D(100 * m) for m in range(1, 13)]
    late = [D(50 * m) for m in range(1, 12)] + [D(1320)]
    result = rules.backtest({2020: flat, 2021: late, 2022: flat})
    by_month = result.mean_abs_error_by_month()
    assert sorted(by_month) == list(range(1, 12))
    assert by_month == {
        m: sum((abs(e.error_points) for e in result.per_month_errors if e.month == m), D(0)) / 2
        for m in range(1, 12)
    }
