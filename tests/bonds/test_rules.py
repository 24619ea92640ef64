"""The bond evaluation formulas (二(二)8): golden cases from YAML and properties of their bounds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tuijin.bonds import rules
from tuijin.plan.loader import PlanLoader, load_plan
from tuijin.toolkit.periods import time_progress, year_elapsed

GOLDEN = Path(__file__).parent / "golden"
PLAN = load_plan(Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml")
RULE = PLAN.rules.bond_evaluation


def cases() -> list:
    data = yaml.load((GOLDEN / "evaluation.yaml").read_text(encoding="utf-8"), Loader=PlanLoader)
    return [pytest.param(c["input"], c["output"], id=c["name"]) for c in data]


def facts_of(units: dict) -> dict[str, rules.BondFacts]:
    return {code: rules.BondFacts(issued_yuan=int(Decimal(str(u["issued_yi"])) * 100_000_000),
                                  spent_yuan=int(Decimal(str(u["spent_yi"])) * 100_000_000),
                                  reviewed=u["reviewed"], passed=u["passed"], violations=u["violations"])
            for code, u in units.items()}


@pytest.mark.parametrize(("given_", "expected"), cases())
def test_golden_cases(given_, expected):
    result = {s.org: s for s in rules.bond_evaluation(facts_of(given_["units"]), month=given_["month"], rule=RULE)}
    assert set(result) == set(expected)
    for org, want in expected.items():
        got = result[org]
        assert {k: str(v) for k, v in got.scores.items()} == want["scores"], org
        assert str(got.total) == want["total"], org
        assert got.rank == want["rank"], org
        assert got.talk is want["talk"], org


def test_the_plan_carries_weights_threshold_and_deduction():
    assert RULE.source == "二(二)8"
    assert dict(RULE.weights) == {"issuance_scale": 30, "submission_quality": 20, "spending_progress": 30,
                                  "compliance": 20}
    assert RULE.talk_threshold == 60
    assert RULE.violation_deduction == 25


def test_time_progress_refuses_a_month_outside_the_year():
    with pytest.raises(ValueError, match="月份"):
        time_progress(13)
    with pytest.raises(ValueError, match="月份"):
        year_elapsed(13)


def test_more_passes_than_reviews_is_an_error():
    with pytest.raises(ValueError):
        rules.submission_quality_score(3, 2, when_none=Decimal(100))


YUAN = st.integers(min_value=0, max_value=10**12)
unit_facts = st.builds(
    lambda issued, spent, reviewed, passed_share, violations: rules.BondFacts(
        issued_yuan=issued, spent_yuan=spent, reviewed=reviewed, passed=int(reviewed * passed_share),
        violations=violations),
    YUAN, YUAN, st.integers(0, 50), st.floats(0, 1), st.integers(0, 20))


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), unit_facts, min_size=1), st.integers(1, 12))
def test_every_score_and_total_stays_between_0_and_100(facts, month):
    for score in rules.bond_evaluation(facts, month=month, rule=RULE):
        assert all(Decimal(0) <= v <= 100 for v in score.scores.values())
        assert Decimal(0) <= score.total <= 100
        assert score.talk == (score.total < RULE.talk_threshold)


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), unit_facts, min_size=2), st.integers(1, 12))
def test_a_higher_total_never_ranks_worse(facts, month):
    scores = rules.bond_evaluation(facts, month=month, rule=RULE)
    for x in scores:
        for y in scores:
            if x.total > y.total:
                assert x.rank < y.rank
            if x.total == y.total:
                assert x.rank == y.rank


@given(YUAN, YUAN, st.integers(1, 12))
def test_spending_more_never_lowers_the_spending_score(spent, extra, month):
    issued = 10**9
    assert rules.spending_progress_score(spent + extra, issued, month) >= rules.spending_progress_score(
        spent, issued, month)


@given(st.integers(0, 100))
def test_each_violation_costs_points_until_zero(n):
    score = rules.compliance_score(n, deduction=RULE.violation_deduction)
    assert score == max(Decimal(0), 100 - RULE.violation_deduction * n)
