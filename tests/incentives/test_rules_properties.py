"""Properties of the incentive rules (hypothesis): never negative, never above the cap, monotone in
the base amount below the cap, a higher tier never pays less than a lower one for the same inputs."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tuijin.incentives import rules
from tuijin.plan import plan_for

WAN = st.decimals(min_value=0, max_value=10_000_000, places=4, allow_nan=False, allow_infinity=False)
RATE = st.decimals(min_value=Decimal("0.01"), max_value=20, places=2)


def plan_rules():
    return plan_for(2022).rules


@settings(max_examples=200, deadline=None)
@given(total=WAN, first=WAN, loan=WAN, rate=RATE, manufacturing=st.booleans())
def test_interest_subsidy_is_within_zero_and_cap(total, first, loan, rate, manufacturing):
    q = rules.interest_subsidy(plan_rules().interest_subsidy, total_wan=total, first_year_wan=first, loan_wan=loan,
                               rate_percent=rate, manufacturing=manufacturing)
    assert 0 <= q.amount_wan <= q.cap_wan
    assert q.cap_wan <= max(t.cap_wan for t in plan_rules().interest_subsidy.tiers)
    if not q.eligible:
        assert q.amount_wan == 0 and q.reasons


@settings(max_examples=200, deadline=None)
@given(total=WAN, first=WAN, a=WAN, b=WAN)
def test_interest_subsidy_is_monotone_in_the_loan(total, first, a, b):
    low, high = sorted((a, b))
    rule = plan_rules().interest_subsidy
    qa = rules.interest_subsidy(rule, total_wan=total, first_year_wan=first, loan_wan=low)
    qb = rules.interest_subsidy(rule, total_wan=total, first_year_wan=first, loan_wan=high)
    assert qa.amount_wan <= qb.amount_wan
    if qb.amount_wan < qb.cap_wan and high - low >= 1 and qa.eligible:
        assert qa.amount_wan < qb.amount_wan  # strictly: below the cap more loan means more subsidy


@settings(max_examples=200, deadline=None)
@given(total=WAN, first=WAN, loan=WAN, more_total=WAN, more_first=WAN)
def test_a_higher_tier_never_pays_less(total, first, loan, more_total, more_first):
    """More total investment and more first-year FAI (so the same or a higher tier) never pays less."""
    rule = plan_rules().interest_subsidy
    q_low = rules.interest_subsidy(rule, total_wan=total, first_year_wan=first, loan_wan=loan)
    q_high = rules.interest_subsidy(rule, total_wan=total + more_total, first_year_wan=first + more_first,
                                    loan_wan=loan)
    assert q_high.amount_wan >= q_low.amount_wan
    assert q_high.cap_wan >= q_low.cap_wan


@settings(max_examples=200, deadline=None)
@given(total=WAN, a=WAN, b=WAN, leading=st.booleans(), producing=st.booleans(),
       nature=st.sampled_from(["new", "expansion", "renovation"]))
def test_equipment_award_bounds_and_monotone(total, a, b, leading, producing, nature):
    rule = plan_rules().equipment_award
    low, high = sorted((a, b))
    q_low = rules.equipment_award(rule, total_wan=total, equipment_wan=low, leading=leading, producing=producing,
                                  nature=nature)
    q_high = rules.equipment_award(rule, total_wan=total, equipment_wan=high, leading=leading, producing=producing,
                                   nature=nature)
    for q in (q_low, q_high):
        assert 0 <= q.amount_wan <= q.cap_wan <= rule.cap_wan
    assert q_low.amount_wan <= q_high.amount_wan
    if q_high.amount_wan < q_high.cap_wan and high - low >= 1:
        assert q_low.amount_wan < q_high.amount_wan


@settings(max_examples=200, deadline=None)
@given(total=WAN, equipment=WAN)
def test_a_leading_industry_never_gets_less_than_another(total, equipment):
    rule = plan_rules().equipment_award
    leading = rules.equipment_award(rule, total_wan=total, equipment_wan=equipment, leading=True)
    other = rules.equipment_award(rule, total_wan=total, equipment_wan=equipment, leading=False)
    assert leading.amount_wan >= other.amount_wan


@settings(max_examples=200, deadline=None)
@given(a=WAN, b=WAN, in_reserve=st.booleans(), local=st.booleans(), issued=st.booleans())
def test_reits_subsidy_bounds_and_monotone(a, b, in_reserve, local, issued):
    rule = plan_rules().reits
    low, high = sorted((a, b))
    q_low = rules.reits_subsidy(rule, pre_expenses_wan=low, in_reserve=in_reserve, registered_locally=local,
                                issued=issued)
    q_high = rules.reits_subsidy(rule, pre_expenses_wan=high, in_reserve=in_reserve, registered_locally=local,
                                 issued=issued)
    for q in (q_low, q_high):
        assert 0 <= q.amount_wan <= q.cap_wan <= rule.pre_expense_cap_wan + rule.issuance_award_wan
    assert q_low.amount_wan <= q_high.amount_wan
    if q_high.amount_wan < q_high.cap_wan and high - low >= 1:
        assert q_low.amount_wan < q_high.amount_wan
    issued_q = rules.reits_subsidy(rule, pre_expenses_wan=low, in_reserve=in_reserve, registered_locally=local,
                                   issued=True)
    assert issued_q.amount_wan >= q_low.amount_wan
