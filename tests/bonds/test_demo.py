"""The demo's bonds and deals (issue 7 item 3): plausible 2022 numbers, deterministic; the loaded
demo gives an evaluation with a talk list, tiers, a big-event signing and stalled deals."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from functools import cache

import pytest
from django.core.management import call_command

from tuijin.demo.generate import demo_plan, facts_from_plan
from tuijin.demo.steps import demo_steps, generate_all

YI = 100_000_000


@cache
def generated() -> dict:
    steps = [s for s in demo_steps() if s.name in ("users", "projects", "bonds", "promotion")]
    return generate_all(facts_from_plan(demo_plan()), steps=steps)


def test_steps_run_after_the_projects_in_the_250s():
    orders = {s.name: s.order for s in demo_steps()}
    assert 250 <= orders["bonds"] < orders["promotion"] < 300
    assert orders["projects"] < orders["bonds"]


def test_two_batches_142_projects_exactly_111_1_yi():
    bonds = generated()["bonds"]
    assert len(bonds.quotas) == 142 == len({q.ref for q in bonds.quotas})
    assert {q.batch for q in bonds.quotas} == {1, 2}
    assert sum(q.amount_yuan for q in bonds.quotas) == 11_110_000_000  # 111.1亿元
    tagged = {p.ref for p in generated()["projects"] if "special_bond" in p.tags}
    assert {q.ref for q in bonds.quotas} == tagged
    for q in bonds.quotas:
        assert sum(a for _d, a in q.issued) <= q.amount_yuan
        assert sum(a for _m, a in q.spending) <= sum(a for _d, a in q.issued)
        assert all(1 <= m <= 6 for m, _a in q.spending)


def test_deals_span_the_tiers_an_event_and_stalls():
    deals = generated()["promotion"]
    stages = Counter(d.stage for d in deals)
    assert set(stages) == {"negotiating", "signed", "registered", "started", "producing"}
    assert sum(d.event for d in deals) == 20
    assert len({d.unit for d in deals}) == 16
    for d in deals:
        assert d.dates == sorted(d.dates) and d.dates[-1] <= dt.date(2022, 7, 1)
        assert len(d.dates) == ["negotiating", "signed", "registered", "started", "producing"].index(d.stage) + 1
    assert any(d.amount_yuan >= 100 * YI for d in deals)


def test_generation_is_deterministic():
    steps = [s for s in demo_steps() if s.name in ("users", "projects", "bonds", "promotion")]
    again = generate_all(facts_from_plan(demo_plan()), steps=steps)
    assert again["bonds"] == generated()["bonds"]
    assert again["promotion"] == generated()["promotion"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            call_command("flush", "--noinput", verbosity=0)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_loaded_demo_tells_the_story(loaded):
    from tuijin.bonds.models import BondBatch, BondQuota
    from tuijin.bonds.selectors import evaluation
    from tuijin.orgs.policy import SYSTEM
    from tuijin.promotion.selectors import stalled, tier_summary

    assert BondBatch.objects.filter(year=2022).count() == 2
    assert BondQuota.objects.count() == 142
    assert sum(BondQuota.objects.values_list("amount_yuan", flat=True)) == 11_110_000_000
    result = evaluation(user=SYSTEM, year=2022, month=6)
    assert 0 < len(result.talk_rows) < len(result.rows)
    summary = tier_summary(user=SYSTEM, year=2022)
    counts = summary.city.tally.counts
    assert all(counts[b["code"]] > 0 for b in summary.bands)
    assert all(counts[b["code"]] < b["target"] for b in summary.bands)  # half-way through the year
    assert 0 < len(stalled(user=SYSTEM, as_of=dt.date(2022, 7, 1))) < 15
