"""Properties of the assessment formulas (hypothesis): bounds, monotonicity, and the rules restated
independently of the implementation. Ranking's own properties are in ``tests/toolkit/test_ranking.py``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tuijin.assessment import rules
from tuijin.plan.loader import load_plan
from tuijin.plan.schema import AwardTier, EscalationRule, EscalationStep, Plan, QuarterlyAwardsRule
from tuijin.toolkit.ranking import rank

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml"


@cache
def real_plan() -> Plan:
    return load_plan(PLAN_FILE)


# --- strategies ----------------------------------------------------------------------------

ORGS = [f"u{i:02d}" for i in range(16)]
# few distinct values, so ties are common
tie_prone = st.integers(min_value=-3, max_value=3).map(Decimal)
growth = st.decimals(min_value=-30, max_value=60, places=1, allow_nan=False, allow_infinity=False)
figure = st.one_of(tie_prone, growth)
values_maps = st.dictionaries(st.sampled_from(ORGS), st.one_of(st.none(), figure), max_size=16)
complete_maps = st.dictionaries(st.sampled_from(ORGS), figure, min_size=1, max_size=16)


@st.composite
def ladders(draw: st.DrawFn) -> EscalationRule:
    """A valid escalation ladder: streaks strictly ascending from 1, unique levels."""
    extra = draw(st.lists(st.integers(min_value=2, max_value=8), unique=True, max_size=4))
    streaks = [1, *sorted(extra)]
    steps = [EscalationStep(streak=s, level=f"level_{i}", label=f"第{i}级") for i, s in enumerate(streaks)]
    return EscalationRule(label="测试", source="三(三)", indicator="fai", ladder=steps)


@st.composite
def award_tables(draw: st.DrawFn) -> QuarterlyAwardsRule:
    """A valid award table: contiguous ranks from 1, amounts never rising as rank falls."""
    widths = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4))
    amounts = sorted(
        draw(st.lists(st.integers(min_value=0, max_value=300), min_size=len(widths), max_size=len(widths))),
        reverse=True,
    )
    tiers, start = [], 1
    for width, amount in zip(widths, amounts, strict=True):
        tiers.append(AwardTier(from_rank=start, to_rank=start + width - 1, amount_wan=amount))
        start += width
    return QuarterlyAwardsRule(label="测试", source="二(六)15", tiers=tiers)


award_rules = st.one_of(st.just(None), award_tables()).map(lambda t: t or real_plan().rules.quarterly_awards)
escalation_rules = st.one_of(st.just(None), ladders()).map(lambda t: t or real_plan().rules.escalation)


# --- escalation ------------------------------------------------------------------------------


def streaks_by_oracle(history, org):
    """Consecutive months, up to each month, in which ``org`` had the lowest of several distinct figures."""
    out, streak = [], 0
    for month in history:
        figures = [v for v in month.values() if v is not None]
        is_last = month.get(org) is not None and len(set(figures)) > 1 and month[org] == min(figures)
        streak = streak + 1 if is_last else 0
        out.append(streak)
    return out


@settings(deadline=None)
@given(st.lists(complete_maps | values_maps, max_size=8), escalation_rules)
def test_escalation_streaks_count_consecutive_months_in_last_place(history, ladder):
    months = rules.escalation_history(history, ladder)
    assert len(months) == len(history)
    for org in ORGS:
        expected = streaks_by_oracle(history, org)
        got = [month[org].streak if org in month else 0 for month in months]
        assert got == expected, org
    assert rules.escalation_streaks(history, ladder) == (months[-1] if months else {})


@given(escalation_rules, st.integers(min_value=1, max_value=24), st.integers(min_value=1, max_value=24))
def test_escalation_level_is_monotone_in_streak(ladder, s1, s2):
    """Staying longer in last place never lowers the level (three months in a row: the top of the seed's ladder)."""
    order = [step.level for step in ladder.ladder]
    history = [{"a": Decimal(0), "b": Decimal(1)}] * max(s1, s2)
    months = rules.escalation_history(history, ladder)
    first, second = months[s1 - 1]["a"], months[s2 - 1]["a"]
    assert (first.streak, second.streak) == (s1, s2)
    if s1 <= s2:
        assert order.index(first.level) <= order.index(second.level)
    # the rung is the highest one whose streak has been reached
    assert (
        first.level
        == max((step for step in ladder.ladder if step.streak <= s1), key=lambda s: s.streak).level
    )


@cache
def _seed_escalation():
    """The real plan's escalation rule, read once (not inside each timed example)."""
    return real_plan().rules.escalation


@given(st.integers(min_value=1, max_value=36))
def test_the_seeds_ladder_by_streak(streak):
    history = [{"a": Decimal(0), "b": Decimal(1)}] * streak
    level = rules.escalation_streaks(history, _seed_escalation())["a"].level
    assert level == {1: "notice", 2: "deputy_talk"}.get(streak, "mayor_talk")


# --- quarterly awards --------------------------------------------------------------------------


@given(values_maps, award_rules)
def test_every_award_is_the_tier_amount_of_its_shared_rank(scores, table):
    ranked = rank(scores)
    awards = rules.quarterly_awards(ranked, table)
    last_awarded_rank = table.tiers[-1].to_rank
    assert set(awards) == set(scores)
    for r in ranked:
        expected = Decimal(0) if r.value is None else table.amount_for(r.rank)
        assert awards[r.org] == expected
        assert 0 <= awards[r.org] <= table.tiers[0].amount_wan
        if r.rank > last_awarded_rank:
            assert awards[r.org] == 0
    # awards never rise as rank falls
    for a in ranked:
        for b in ranked:
            if a.value is not None and b.value is not None and a.rank < b.rank:
                assert awards[a.org] >= awards[b.org]


@given(values_maps, award_rules)
def test_awards_never_exceed_the_tier_total_except_what_ties_add(scores, table):
    """Sum of awards ≤ the tiers' total + for each tie group (k−1) × its shared award; and ties never take away."""
    ranked = [r for r in rank(scores) if r.value is not None]
    awards = rules.quarterly_awards(ranked, table)
    paid = sum(awards.values(), Decimal(0))
    tier_total = sum(((t.to_rank - t.from_rank + 1) * t.amount_wan for t in table.tiers), Decimal(0))
    groups: dict[int, int] = {}
    for r in ranked:
        groups[r.rank] = groups.get(r.rank, 0) + 1
    tie_extra = sum(((k - 1) * table.amount_for(rank) for rank, k in groups.items()), Decimal(0))
    assert paid <= tier_total + tie_extra
    untied = sum((table.amount_for(position) for position in range(1, len(ranked) + 1)), Decimal(0))
    assert paid >= untied
    if all(k == 1 for k in groups.values()):
        assert paid == untied <= tier_total


# --- composite evaluation ----------------------------------------------------------------------

INDICATORS = ["fai_growth", "key_project_completion", "start_rate", "approval_rate", "bond_spending"]
percent = st.decimals(min_value=-50, max_value=250, places=2, allow_nan=False, allow_infinity=False)
target = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
caps = st.sampled_from([Decimal(1), Decimal("1.2"), Decimal("1.5")])


@st.composite
def weight_maps(draw: st.DrawFn) -> dict[str, Decimal]:
    """Either the real plan's weights or random weights summing to 100 over some indicators."""
    if draw(st.booleans()):
        return dict(real_plan().rules.evaluation.weights)
    codes = draw(st.lists(st.sampled_from(INDICATORS), unique=True, min_size=1))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(codes) - 1, max_size=len(codes) - 1)))
    bounds = [0, *cuts, 100]
    return {code: Decimal(bounds[i + 1] - bounds[i]) for i, code in enumerate(codes)}


@st.composite
def evaluations(draw: st.DrawFn):
    weights = draw(weight_maps())
    targets = {code: draw(target) for code in weights}
    orgs = draw(st.lists(st.sampled_from(ORGS), unique=True, min_size=1, max_size=5))
    indicators = {
        org: {code: draw(st.one_of(st.none(), percent)) for code in weights if draw(st.integers(0, 9))}
        for org in orgs
    }
    return indicators, weights, targets, draw(caps)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(evaluations())
def test_scores_stay_within_zero_and_the_weights_times_the_cap(case):
    indicators, weights, targets, cap = case
    scores = rules.composite_scores(indicators, weights, targets=targets, cap=cap)
    assert set(scores) == set(indicators)
    for org, score in scores.items():
        assert score.total == sum(part.points for part in score.parts.values())
        assert 0 <= score.total <= rounded(sum(weights.values()) * cap)
        for code, part in score.parts.items():
            assert 0 <= part.ratio <= cap
            assert 0 <= part.points <= rounded(weights[code] * cap)
            assert part.points == rounded(weights[code] * part.ratio)
            if indicators[org].get(code) is None:
                assert part.points == 0 and "无数据" in part.explanation
            else:
                assert f"得分 {rules._plain(weights[code])}×" in part.explanation


@given(evaluations(), st.data())
def test_doing_better_on_one_indicator_never_lowers_the_score(case, data):
    indicators, weights, targets, cap = case
    org = next(iter(indicators))
    code = data.draw(st.sampled_from(sorted(weights)))
    better = dict(indicators[org])
    better[code] = (better.get(code) or Decimal(0)) + data.draw(
        st.decimals(min_value=0, max_value=50, places=2)
    )
    before = rules.composite_scores(indicators, weights, targets=targets, cap=cap)[org]
    after = rules.composite_scores({**indicators, org: better}, weights, targets=targets, cap=cap)[org]
    assert after.total >= before.total


# --- forecast --------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000_000, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def cumulative_years(draw: st.DrawFn) -> list[Decimal]:
    """Twelve cumulative monthly values (non-decreasing, positive total)."""
    months = draw(st.lists(st.integers(min_value=0, max_value=100_000), min_size=12, max_size=12))
    months[-1] += 1
    out, total = [], 0
    for amount in months:
        total += amount
        out.append(Decimal(total))
    return out


shares_lists = st.lists(cumulative_years(), min_size=1, max_size=4).map(rules.monthly_shares)
month_numbers = st.integers(min_value=1, max_value=12)


def close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("1e-18") * max(Decimal(1), abs(a), abs(b))


@given(amounts, amounts, st.integers(min_value=0, max_value=1000), month_numbers, shares_lists)
def test_forecast_is_linear_in_the_year_to_date(a, b, k, month, shares):
    if shares[month - 1] == 0:
        return  # no share reached by that month in the prior years: nothing to scale from
    f = rules.forecast_year_end
    assert close(f(a * k, month, shares), f(a, month, shares) * k)
    assert close(f(a + b, month, shares), f(a, month, shares) + f(b, month, shares))


@given(st.lists(cumulative_years(), min_size=1, max_size=4))
def test_shares_end_at_one_and_lie_between_the_years_shares(years):
    shares = rules.monthly_shares(years)
    assert len(shares) == 12 and shares[-1] == 1
    for m in range(12):
        own = [year[m] / year[-1] for year in years]
        assert min(own) - Decimal("1e-20") <= shares[m] <= max(own) + Decimal("1e-20")


@given(cumulative_years(), month_numbers)
def test_a_year_shaped_like_the_past_is_forecast_exactly(year, month):
    shares = rules.monthly_shares([year])
    if year[month - 1] == 0:
        return
    assert close(rules.forecast_year_end(year[month - 1], month, shares), year[-1])


@given(amounts, amounts, st.integers(min_value=0, max_value=11))
def test_the_monthly_amount_needed_closes_the_gap(target_total, ytd, month):
    needed = rules.needed_per_month(target_total, ytd, month)
    assert needed >= 0
    if ytd < target_total:
        assert close(ytd + needed * (12 - month), target_total)
    else:
        assert needed == 0
