"""The months a last-place streak counts (三(三) 末位增速约谈制), following each year's statistics months.

The plan of each year says which months have official statistics and whether a streak carries across
the new year (``rules.statistics_calendar``; :mod:`tuijin.toolkit.statistics_months`). A streak ending
in a month counts the chain of statistics months before it: within the year, and across into the
previous year's December when the later year's plan says so ("连续三个月" has no year limit in the
seed). A statistics month of the chain with no figure for any unit is skipped, as before (no reset);
a month without statistics (a January under 1–2月) has no streak and no ranking.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tuijin.orgs.policy import Principal
from tuijin.plan import statistics_calendar
from tuijin.stats.selectors import official_stats
from tuijin.toolkit.statistics_months import is_statistics_month, statistics_chain

Month = tuple[int, int]
#: How many statistics months back a streak is followed (two years: the ladder's top rung is 3).
CHAIN_LENGTH = 24


def has_statistics(year: int, month: int) -> bool:
    """Whether ``year``'s plan publishes official statistics for ``month``."""
    return is_statistics_month(month, statistics_calendar(year))


def growth_history(*, user: Principal, indicator: str, year: int, month: int,
                   codes: list[str]) -> list[tuple[Month, dict[str, Decimal | None]]]:
    """((year, month), unit → growth) for the statistics months a streak ending at ``(year, month)``
    counts, oldest first, keeping the months that have any figure (one query)."""
    chain = statistics_chain(year, month, statistics_calendar, length=CHAIN_LENGTH)
    if not chain:
        return []
    wanted = set(chain)
    by_month: dict[Month, dict[str, Decimal | None]] = defaultdict(dict)
    rows = official_stats(user=user).filter(indicator=indicator, year__gte=chain[0][0], year__lte=year,
                                            org__code__in=codes)
    for y, m, code, growth in rows.values_list("year", "month", "org__code", "yoy_growth"):
        if (y, m) in wanted:
            by_month[(y, m)][code] = growth
    return [(key, {code: by_month[key].get(code) for code in codes})
            for key in chain if any(v is not None for v in by_month.get(key, {}).values())]
