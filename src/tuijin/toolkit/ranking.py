"""Competition ranking (1, 2, 2, 4) of units by a figure (二(六)15、三(三); DESIGN §5 "Ranking").

One definition for every ranking: growth ranks and escalations (assessment), the bond evaluation
(bonds), the annual promotion assessment (promotion) and the statistics table (stats). Pure
functions on plain data; a unit is named by its code.

* :func:`rank` — competition ranking, units without a figure after all others;
* :func:`last_place` — the units in last place (倒数第一), ties all last;
* :func:`rank_in_groups` — each of the plan's ranking groups ranked separately.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

__all__ = ["GroupLike", "Ranked", "last_place", "rank", "rank_in_groups"]


class GroupLike(Protocol):
    """A ranking group (``plan.rules.ranking.groups[i]``)."""

    @property
    def name(self) -> str: ...

    @property
    def units(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Ranked:
    """One unit's place: ``value`` None means no figure (ranked after every unit with one)."""

    org: str
    value: Decimal | None
    rank: int


def rank(values: Mapping[str, Decimal | None], *, descending: bool = True) -> list[Ranked]:
    """Competition ranking (1, 2, 2, 4) of units by value (二(六)15、三(三); DESIGN §5 "Ranking").

    Equal values share the better rank and the next value skips the shared places: values
    12, 10, 10, 8 rank 1, 2, 2, 4. ``descending=True`` puts the highest value first (growth,
    scores); ``descending=False`` the lowest.

    A unit whose value is None has no figure this period: it is listed after all units with
    a figure, at rank ``(number of units with a figure) + 1``, shared by every unit without
    one. It is never "in last place" for escalation (see :func:`last_place`).

    Values are compared exactly as given; round them first to the precision that is
    published (e.g. growth to 0.1 percentage point) if that precision decides ties.

    The list is ordered by rank, then by org code, so equal inputs always give the same output.
    """
    valued: list[tuple[str, Decimal]] = []
    missing: list[str] = []
    for org, value in values.items():
        if value is None:
            missing.append(org)
        elif not Decimal(value).is_finite():
            raise ValueError(f"单位 {org} 的数值不是有限数：{value}")
        else:
            valued.append((org, Decimal(value)))
    if descending:
        valued.sort(key=lambda item: (-item[1], item[0]))
    else:
        valued.sort(key=lambda item: (item[1], item[0]))

    ranked: list[Ranked] = []
    for position, (org, value) in enumerate(valued, start=1):
        shared = ranked[-1].rank if ranked and ranked[-1].value == value else position
        ranked.append(Ranked(org, value, shared))
    after = len(valued) + 1
    ranked.extend(Ranked(org, None, after) for org in sorted(missing))
    return ranked


def last_place(ranked: Sequence[Ranked]) -> set[str]:
    """The units in last place (倒数第一): every unit with a figure at the worst rank (三(三)).

    Ties at last place are all last. Units without a figure (value None) are never last:
    "当月排名倒数第一" needs a figure, and a gap in the statistics is flagged by the import,
    not punished here. Last place needs someone ahead: when every unit with a figure shares
    rank 1 (all equal, or only one unit has a figure) nobody is last, so the set is empty.
    """
    with_figure = [item for item in ranked if item.value is not None]
    if not with_figure:
        return set()
    worst = max(item.rank for item in with_figure)
    if worst == 1:
        return set()
    return {item.org for item in with_figure if item.rank == worst}


def rank_in_groups(
    values: Mapping[str, Decimal | None], groups: Sequence[GroupLike], *, descending: bool = True
) -> dict[str, list[Ranked]]:
    """Rank each of the plan's ranking groups separately (``plan.rules.ranking.groups``).

    Returns group name → its :func:`rank` list, in the groups' order. A unit of a group with no
    entry in ``values`` is ranked as having no figure (None), so a gap stays visible; a unit
    in ``values`` that belongs to no group is an error.
    """
    grouped = {code for group in groups for code in group.units}
    stray = sorted(set(values) - grouped)
    if stray:
        raise ValueError(f"以下单位不在任何排名分组中：{'、'.join(stray)}")
    return {
        group.name: rank({code: values.get(code) for code in group.units}, descending=descending)
        for group in groups
    }
