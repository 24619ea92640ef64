"""Competition ranking (1, 2, 2, 4), last place and ranking groups (:mod:`tuijin.toolkit.ranking`).

Golden cases as YAML beside the tests (``golden/ranking.yaml``, read with the plan's strict loader),
properties restated independently of the implementation (competition rank = 1 + units strictly
ahead; last place = the lowest figure when not everyone is equal), and the real plan's one group.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golden import dec, decimals, golden_cases, real_plan
from tuijin.plan.schema import RankingGroup
from tuijin.toolkit.ranking import Ranked, last_place, rank, rank_in_groups

GOLDEN = Path(__file__).parent / "golden"
D = Decimal



def cases(name: str) -> list[Any]:
    return golden_cases(GOLDEN, name)



def groups_of(data: dict[str, list[str]]) -> list[RankingGroup]:
    return [RankingGroup(name=name, units=tuple(units)) for name, units in data.items()]


def ranked_rows(ranked: list[Ranked]) -> list[dict[str, Any]]:
    return [{"org": r.org, "value": r.value, "rank": r.rank} for r in ranked]


def expected_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"org": row["org"], "value": dec(row["value"]), "rank": row["rank"]} for row in rows]


# --- golden cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), cases("ranking"))
def test_ranking(given: dict[str, Any], expected: dict[str, Any]) -> None:
    values = decimals(given["values"])
    descending = given.get("descending", True)
    if "groups" in given:
        by_group = rank_in_groups(values, groups_of(given["groups"]), descending=descending)
        assert list(by_group) == list(expected["ranked_by_group"])
        for name, ranked in by_group.items():
            assert ranked_rows(ranked) == expected_rows(expected["ranked_by_group"][name]), name
            assert sorted(last_place(ranked)) == expected["last_place_by_group"][name], name
        return
    ranked = rank(values, descending=descending)
    assert ranked_rows(ranked) == expected_rows(expected["ranked"])
    # the value is the input's own Decimal, not a re-typed copy (10.0 stays 10.0 in bulletins)
    assert [str(r.value) for r in ranked] == [str(row["value"]) for row in expected["ranked"]]
    assert sorted(last_place(ranked)) == expected["last_place"]


# --- with the real plan ----------------------------------------------------------------------


def test_the_16_units_are_ranked_in_the_plans_group_and_the_bottom_two_tie_at_last():
    plan = real_plan()
    codes = plan.unit_codes()
    values = {code: D(20 - i) for i, code in enumerate(codes)}
    values[codes[-1]] = values[codes[-2]]  # a tie at the bottom
    by_group = rank_in_groups(values, plan.rules.ranking.groups)
    (ranked,) = by_group.values()
    assert len(ranked) == 16
    assert [r.rank for r in ranked] == [*range(1, 15), 15, 15]
    assert last_place(ranked) == {codes[-1], codes[-2]}


def test_a_unit_outside_every_ranking_group_is_refused():
    with pytest.raises(ValueError, match="不在任何排名分组中：nowhere"):
        rank_in_groups({"jinshui": D(1), "nowhere": D(2)}, real_plan().rules.ranking.groups)


def test_a_value_that_is_not_a_finite_number_is_refused():
    with pytest.raises(ValueError, match="单位 a 的数值不是有限数"):
        rank({"a": D("NaN"), "b": D(1)})


# --- properties (hypothesis) -------------------------------------------------------------------

ORGS = [f"u{i:02d}" for i in range(16)]
# few distinct values, so ties are common
tie_prone = st.integers(min_value=-3, max_value=3).map(Decimal)
growth = st.decimals(min_value=-30, max_value=60, places=1, allow_nan=False, allow_infinity=False)
figure = st.one_of(tie_prone, growth)
values_maps = st.dictionaries(st.sampled_from(ORGS), st.one_of(st.none(), figure), max_size=16)


@given(values_maps, st.booleans())
def test_rank_is_one_plus_the_units_strictly_ahead(values, descending):
    ranked = rank(values, descending=descending)
    n = len(values)
    figures = {org: v for org, v in values.items() if v is not None}
    assert sorted(r.org for r in ranked) == sorted(values)
    assert [(r.rank, r.org) for r in ranked] == sorted((r.rank, r.org) for r in ranked)
    for r in ranked:
        assert 1 <= r.rank <= n
        assert r.value == values[r.org]
        if r.value is None:
            assert r.rank == len(figures) + 1
        else:
            ahead = [v for v in figures.values() if (v > r.value if descending else v < r.value)]
            assert r.rank == 1 + len(ahead)


@given(values_maps)
def test_a_strictly_greater_value_has_a_strictly_better_rank(values):
    ranked = [r for r in rank(values) if r.value is not None]
    for a in ranked:
        for b in ranked:
            if a.value > b.value:
                assert a.rank < b.rank
            if a.value == b.value:
                assert a.rank == b.rank


@given(values_maps)
def test_last_place_is_the_lowest_figure_unless_all_are_equal(values):
    figures = {org: v for org, v in values.items() if v is not None}
    last = last_place(rank(values))
    if len(set(figures.values())) < 2:
        assert last == set()
    else:
        lowest = min(figures.values())
        assert last == {org for org, v in figures.items() if v == lowest}


@given(values_maps, st.sampled_from([[ORGS[:8], ORGS[8:]], [ORGS[:3], ORGS[3:]]]))
def test_each_group_is_ranked_as_if_alone(values, split):
    groups = [RankingGroup(name=f"g{i}", units=tuple(units)) for i, units in enumerate(split)]
    by_group = rank_in_groups(values, groups)
    assert list(by_group) == ["g0", "g1"]
    for group in groups:
        alone = rank({code: values.get(code) for code in group.units})
        assert by_group[group.name] == alone
