"""Golden cases for the assessment formulas, kept as YAML beside the tests (OpenFisca style).

Each file under ``golden/`` is a list of ``{name, input, output}``; the rule objects default to the
real plan file's (``plans/zhengzhou-2022.yaml``), so these cases also pin the plan's numbers
(二(六)15 tiers, 三(三) ladder, 二(七)21 weights) to the formulas.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from golden import dec, decimals, golden_cases, real_plan
from tuijin.assessment import rules
from tuijin.plan.schema import AwardTier, EscalationRule, RankingGroup
from tuijin.toolkit.ranking import rank

GOLDEN = Path(__file__).parent / "golden"



def cases(name: str) -> list[Any]:
    return golden_cases(GOLDEN, name)



def at_written_precision(actual: Decimal, expected: Any) -> Decimal:
    """``actual`` rounded to as many decimals as ``expected`` is written with (0.275 → 3)."""
    exponent = Decimal(expected).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return actual.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def assert_close(actual: Decimal, expected: Any, what: str) -> None:
    assert at_written_precision(actual, expected) == Decimal(expected), f"{what}: {actual} ≠ {expected}"


def groups_of(data: dict[str, list[str]]) -> list[RankingGroup]:
    return [RankingGroup(name=name, units=tuple(units)) for name, units in data.items()]


# --- escalation --------------------------------------------------------------------------


def ladder_of(given: dict[str, Any]) -> EscalationRule:
    if "ladder" not in given:
        return real_plan().rules.escalation
    return EscalationRule(label="测试", source="三(三)", indicator="fai", ladder=given["ladder"])


def escalation_rows(month: dict[str, rules.Escalation]) -> dict[str, dict[str, Any]]:
    return {org: {"streak": e.streak, "level": e.level} for org, e in month.items()}


@pytest.mark.parametrize(("given", "expected"), cases("escalation"))
def test_escalation(given: dict[str, Any], expected: dict[str, Any]) -> None:
    history = [decimals(month) for month in given["history"]]
    ladder = ladder_of(given)
    groups = groups_of(given["groups"]) if "groups" in given else None

    months = rules.escalation_history(history, ladder, groups=groups)
    assert [escalation_rows(month) for month in months] == expected["by_month"]
    latest = rules.escalation_streaks(history, ladder, groups=groups)
    assert escalation_rows(latest) == expected["latest"]
    # each escalation carries the ladder's Chinese label for notices and bulletins
    labels = {step.level: step.label for step in ladder.ladder}
    assert all(e.label == labels[e.level] for month in months for e in month.values())


def test_the_real_plans_ladder_names_the_seeds_three_levels() -> None:
    ladder = real_plan().rules.escalation
    streaks = {1: "notice", 2: "deputy_talk", 3: "mayor_talk", 4: "mayor_talk", 12: "mayor_talk"}
    history = [{"a": Decimal(1), "b": Decimal(2)}] * 12
    months = rules.escalation_history(history, ladder)
    assert {n: months[n - 1]["a"].level for n in streaks} == streaks
    assert [months[n - 1]["a"].label for n in (1, 2, 3)] == ["通报批评", "分管市领导约谈", "市主要领导约谈"]


# --- quarterly awards --------------------------------------------------------------------


def tiers_of(given: dict[str, Any]) -> Any:
    if "tiers" not in given:
        return real_plan().rules.quarterly_awards
    return tuple(AwardTier(**tier) for tier in given["tiers"])


@pytest.mark.parametrize(("given", "expected"), cases("awards"))
def test_awards(given: dict[str, Any], expected: dict[str, Any]) -> None:
    ranked = rank(decimals(given["scores"]))
    assert {r.org: r.rank for r in ranked} == expected["ranks"]
    awards = rules.quarterly_awards(ranked, tiers_of(given))
    assert awards == decimals(expected["awards"])
    assert all(isinstance(amount, Decimal) for amount in awards.values())
    assert sum(awards.values(), Decimal(0)) == Decimal(expected["total"])


def test_awards_accept_the_rule_or_its_tiers_alike() -> None:
    rule = real_plan().rules.quarterly_awards
    ranked = rank({code: Decimal(100 - i) for i, code in enumerate("abcdefgh")})
    assert rules.quarterly_awards(ranked, rule) == rules.quarterly_awards(ranked, rule.tiers)
    assert [rules.award_for_rank(rule, n) for n in range(1, 9)] == [rule.amount_for(n) for n in range(1, 9)]


# --- composite evaluation ----------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), cases("evaluation"))
def test_evaluation(given: dict[str, Any], expected: dict[str, Any]) -> None:
    evaluation = real_plan().rules.evaluation
    weights = decimals(given.get("weights", evaluation.weights))
    labels = given.get("labels", evaluation.labels)
    scores = rules.composite_scores(
        {org: decimals(values) for org, values in given["indicators"].items()},
        weights,
        targets=decimals(given["targets"]),
        unit_targets={org: decimals(t) for org, t in given.get("unit_targets", {}).items()},
        labels=labels,
        cap=dec(given.get("cap", 1)),
    )
    assert sorted(scores) == sorted(expected)
    for org, want in expected.items():
        score = scores[org]
        assert score.total == Decimal(want["total"]), org
        assert score.total == sum(part.points for part in score.parts.values()), org
        assert list(score.parts) == list(weights), org  # parts in the plan's order
        assert {code: part.points for code, part in score.parts.items()} == decimals(want["points"]), org
        for code, text in want.get("explanations", {}).items():
            assert score.parts[code].explanation == text, f"{org}.{code}"
        assert score.explanation.endswith(f"合计 {rules._plain(score.total)} 分")


# --- forecast ----------------------------------------------------------------------------


def series(values: list[Any]) -> list[Decimal]:
    return [Decimal(v) for v in values]


@pytest.mark.parametrize(("given", "expected"), cases("forecast"))
def test_forecast(given: dict[str, Any], expected: dict[str, Any]) -> None:
    function = given["function"]
    if function == "backtest":
        result = rules.backtest(
            {year: series(values) for year, values in given["series_by_year"].items()},
            held_out=given.get("held_out"),
        )
        assert_close(result.mean_abs_error_points, expected["mean_abs_error_points"], "mean abs error")
        years = {error.year for error in result.per_month_errors}
        assert years == set(expected["errors"])
        assert len(result.per_month_errors) == 11 * len(years)  # months 1–11 of each held-out year
        errors = {(e.year, e.month): e for e in result.per_month_errors}
        for year, months in expected["errors"].items():
            for month, error in months.items():
                e = errors[(year, month)]
                assert_close(e.error_points, error, f"{year}-{month}")
                assert e.error_points == e.forecast_growth - e.actual_growth
        return

    if function == "monthly_shares":
        result = rules.monthly_shares([series(year) for year in given["history_years"]])
        assert len(result) == len(expected["result"]) == 12
        for month, (share, want) in enumerate(zip(result, expected["result"], strict=True), start=1):
            assert_close(share, want, f"share of month {month}")
        return

    if function == "forecast_year_end":
        value = rules.forecast_year_end(dec(given["ytd"]), given["month"], series(given["shares"]))
    elif function == "forecast_growth":
        value = rules.forecast_growth(
            dec(given["ytd"]), given["month"], series(given["shares"]), dec(given["last_year_total"])
        )
    elif function == "target_total":
        value = rules.target_total(dec(given["last_year_total"]), dec(given["growth_target_percent"]))
    elif function == "needed_per_month":
        value = rules.needed_per_month(dec(given["target_total"]), dec(given["ytd"]), given["month"])
    else:  # pragma: no cover - a typo in the YAML
        raise AssertionError(f"unknown function {function!r}")
    assert_close(value, expected["result"], function)
