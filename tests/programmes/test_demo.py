"""The programmes demo step (pure ``generate``): deterministic, the plan's counts, the batch chain."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from tuijin.demo.generate import ProjectGenerator, demo_plan, facts_from_plan
from tuijin.demo.steps import GenerationContext
from tuijin.demo.steps import programmes as demo_steps


@pytest.fixture(scope="module")
def generated():
    facts = facts_from_plan(demo_plan())
    ctx = GenerationContext(facts=facts)
    ctx.data["projects"] = ProjectGenerator(facts, seed=ctx.seed, projects=ctx.projects).run()
    return ctx, demo_steps.generate(ctx)


def test_every_production_list_is_drawn_from_the_previous_start_list(generated):
    _ctx, data = generated
    lists = defaultdict(set)
    for number, kind, ref, _registered in data.entries:
        lists[(number, kind)].add(ref)
    numbers = sorted({n for n, _d, _name in data.batches})
    assert numbers == [1, 2, 3, 4]
    assert not lists[(1, "producing")]
    for previous, number in zip(numbers, numbers[1:], strict=False):
        assert lists[(number, "producing")] <= lists[(previous, "started")]
    assert sum(len(lists[(n, "producing")]) for n in numbers) > 0


def test_one_named_plan_per_reservoir_and_the_plans_count(generated):
    ctx, data = generated
    names = [v["reservoir_name"] for v in data.projects.values() if "reservoir_name" in v]
    assert len(names) == len(set(names)) == int(ctx.facts.target("reconstruction_reservoirs"))


def test_land_priorities_are_a_strict_order_and_whitelist_projects_come_first(generated):
    ctx, data = generated
    specs = {p.ref: p for p in ctx.data["projects"]}
    ranked = sorted((v["land_priority"], ref) for ref, v in data.projects.items() if v.get("land_priority"))
    assert [p for p, _r in ranked] == list(range(1, len(ranked) + 1))
    tags = [("whitelist" in specs[ref].tags) for _p, ref in ranked]
    assert tags == sorted(tags, reverse=True)


def test_funds_in_place_never_exceed_the_plan_and_the_demo_is_deterministic(generated):
    ctx, data = generated
    assert all(0 <= in_place <= planned for _ref, _code, planned, in_place in data.funding)
    assert Counter(code for _r, code, _p, _i in data.funding)["special_bond"] > 0
    again = demo_steps.generate(GenerationContext(facts=ctx.facts, data={"projects": ctx.data["projects"]}))
    assert again.entries == data.entries and again.funding == data.funding
