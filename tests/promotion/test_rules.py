"""Promotion rules: tier bands at their edges (golden YAML), stage moves, stalled deals, the annual
assessment; hypothesis properties for their bounds. (ISO weeks are the toolkit's: tests/toolkit/test_periods.py.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tuijin.plan.loader import PlanLoader, load_plan
from tuijin.promotion import rules

PLAN = load_plan(Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml")
TIERS = PLAN.rules.deal_tiers
PROMOTION = PLAN.rules.promotion
STAGES = [s.code for s in PROMOTION.stages]
NAMES = {s.code: s.name for s in PROMOTION.stages}


def tier_cases() -> list:
    data = yaml.load((Path(__file__).parent / "golden" / "tiers.yaml").read_text(encoding="utf-8"), Loader=PlanLoader)
    return [pytest.param(c["input"], c["output"], id=c["name"]) for c in data]


@pytest.mark.parametrize(("given_", "expected"), tier_cases())
def test_tier_bands_at_their_edges(given_, expected):
    yuan = int(Decimal(str(given_["amount_yi"])) * rules.YUAN_PER_YI)
    assert rules.tier_of(yuan, leading_industry=given_["leading"], tiers=TIERS) == expected


def test_the_plan_pins_the_targets():
    assert [(b.code, PLAN.target(b.target)) for b in TIERS.bands] == [
        ("yi100", 16), ("yi30", 8), ("yi10", 24), ("yi5", 56)]
    assert PLAN.target(TIERS.signed_amount_target) == 6500
    assert PROMOTION.stalled_after_days == 30
    assert STAGES == ["negotiating", "signed", "registered", "started", "producing"]


@given(st.integers(min_value=1, max_value=2 * 10**12), st.booleans())
def test_a_deal_falls_in_at_most_one_band_and_that_band_holds_its_amount(yuan, leading):
    code = rules.tier_of(yuan, leading_industry=leading, tiers=TIERS)
    containing = [b for b in TIERS.bands if b.contains(rules.amount_yi(yuan))
                  and (leading or not b.leading_industry_only)]
    assert len(containing) <= 1
    assert code == (containing[0].code if containing else None)
    if yuan >= 10 * rules.YUAN_PER_YI:
        assert code is not None


def test_moves_go_one_stage_forward_only():
    kwargs = {"last_move_on": dt.date(2022, 5, 1), "today": dt.date(2022, 7, 1), "stages": STAGES, "names": NAMES}
    assert rules.move_problem(stage="negotiating", to_stage="signed", moved_on=dt.date(2022, 5, 2), **kwargs) is None
    assert rules.move_problem(stage="negotiating", to_stage="registered", moved_on=dt.date(2022, 5, 2), **kwargs) == \
        "只能从“在谈”推进到“签约”，不能直接改为“注册”"
    assert "只能从“注册”推进到“开工”" in rules.move_problem(stage="registered", to_stage="signed",
                                                             moved_on=dt.date(2022, 5, 2), **kwargs)
    assert rules.move_problem(stage="producing", to_stage="producing", moved_on=dt.date(2022, 5, 2), **kwargs) == \
        "项目已投产，不能再推进"
    assert rules.move_problem(stage="signed", to_stage="registered", moved_on=dt.date(2022, 4, 30), **kwargs) == \
        "推进日期不能早于上一次推进的日期（2022-05-01）"
    assert rules.move_problem(stage="signed", to_stage="registered", moved_on=dt.date(2022, 7, 2), **kwargs) == \
        "推进日期不能晚于今天"
    assert "未知的阶段" in rules.move_problem(stage="signed", to_stage="done", moved_on=dt.date(2022, 5, 2), **kwargs)


@pytest.mark.parametrize(("stage", "days", "stalled"), [
    ("signed", 30, True), ("signed", 29, False), ("registered", 31, True), ("started", 100, True),
    ("producing", 200, False), ("negotiating", 200, False)])
def test_stalled_at_the_plans_number_of_days(stage, days, stalled):
    as_of = dt.date(2022, 7, 1)
    assert rules.is_stalled(stage=stage, last_move_on=as_of - dt.timedelta(days=days), as_of=as_of,
                            stalled_stages=PROMOTION.stalled_stages, days=PROMOTION.stalled_after_days) is stalled


def test_annual_assessment_by_hand():
    tallies = {
        "a": rules.Tally(counts={"yi100": 2, "yi30": 0, "yi10": 1, "yi5": 1}, signed_yuan=400 * rules.YUAN_PER_YI,
                         signed_deals=5, landed=2),
        "b": rules.Tally(counts={"yi100": 0, "yi30": 1, "yi10": 0, "yi5": 1}, signed_yuan=100 * rules.YUAN_PER_YI,
                         signed_deals=2, landed=2),
        "c": rules.Tally(counts={"yi100": 0, "yi30": 0, "yi10": 0, "yi5": 0}, signed_yuan=0, signed_deals=0, landed=0),
    }
    scores = {s.org: s for s in rules.annual_assessment(tallies, weights=PROMOTION.assessment_weights)}
    # a: 100, 100, 40 → 40 + 30 + 12; b: 25, 50, 100 → 10 + 15 + 30; c: 0
    assert scores["a"].scores == {"signed_amount": Decimal("100.00"), "tier_deals": Decimal("100.00"),
                                  "landing": Decimal("40.00")}
    assert (scores["a"].total, scores["b"].total, scores["c"].total) == (Decimal("82.00"), Decimal("55.00"),
                                                                        Decimal("0.00"))
    assert (scores["a"].rank, scores["b"].rank, scores["c"].rank) == (1, 2, 3)


tally_st = st.builds(
    lambda a, b, c, d, yuan, n, landed_share: rules.Tally(
        counts={"yi100": a, "yi30": b, "yi10": c, "yi5": d}, signed_yuan=yuan, signed_deals=n,
        landed=int(n * landed_share)),
    st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 10**12),
    st.integers(0, 30), st.floats(0, 1))


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), tally_st, min_size=1))
def test_assessment_scores_stay_between_0_and_100(tallies):
    for s in rules.annual_assessment(tallies, weights=PROMOTION.assessment_weights):
        assert all(Decimal(0) <= v <= 100 for v in s.scores.values())
        assert Decimal(0) <= s.total <= 100
