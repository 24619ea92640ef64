"""The demo's official statistics (issue 4 item 8): every month 2020-01 … 2022-06 for the city and the
16 units, consistent figures, and 2022 rankings with a tie, a reset streak and a three-month streak."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tuijin.assessment.rules import escalation_history, monthly_shares
from tuijin.audit.models import AuditEntry
from tuijin.demo.generate import facts_from_plan
from tuijin.demo.steps import GenerationContext, demo_steps
from tuijin.demo.steps import stats as stats_demo
from tuijin.plan import plan_for
from tuijin.stats.models import OfficialStat
from tuijin.toolkit.ranking import last_place, rank

from .conftest import UNITS

pytestmark = pytest.mark.django_db

MONTHS = [(y, m) for y in (2020, 2021) for m in range(1, 13)] + [(2022, m) for m in range(1, 7)]
INDICATORS = ("fai", "industrial", "infrastructure", "real_estate")


@pytest.fixture(scope="module")
def figures(module_demo):
    module_demo("--projects", "300")
    out = {}
    for org, indicator, year, month, ytd, growth in OfficialStat.objects.values_list(
            "org__code", "indicator", "year", "month", "ytd_value_yuan", "yoy_growth"):
        out[(org, indicator, year, month)] = (ytd, Decimal(growth))
    return out


def growth_of(figures, unit, year, month, indicator="fai"):
    return figures[(unit, indicator, year, month)][1]


def test_the_step_is_discovered_after_monthly_progress():
    names = [s.name for s in demo_steps()]
    assert "official_stats" in names and names.index("official_stats") > names.index("progress")


def test_every_month_from_2020_01_to_2022_06_for_the_city_and_every_unit(figures):
    assert len(figures) == 17 * 4 * len(MONTHS) == 2040
    assert {(org, ind, y, m) for org in ("city", *UNITS) for ind in INDICATORS for y, m in MONTHS} == set(figures)
    entry = AuditEntry.objects.get(object_type="stats.statsimport")
    assert entry.after["rows"] == 2040 and entry.after["last_place_2022"]["6"] == ["shangjie"]


def test_the_city_is_the_sum_of_the_units_and_its_growth_follows_from_the_sums(figures):
    for indicator in INDICATORS:
        for year, month in MONTHS:
            city, growth = figures[("city", indicator, year, month)]
            assert city == sum(figures[(u, indicator, year, month)][0] for u in UNITS)
            if year > 2020:
                last = figures[("city", indicator, year - 1, month)][0]
                expected = ((Decimal(city) / Decimal(last) - 1) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
                assert growth == expected


def test_growth_is_realistic_and_consistent_with_the_values(figures):
    for (org, indicator, year, month), (ytd, growth) in figures.items():
        assert Decimal(-10) <= growth <= Decimal(25)
        if month > 1:
            assert ytd > figures[(org, indicator, year, month - 1)][0]  # every month adds investment
        if year > 2020:
            last = figures[(org, indicator, year - 1, month)][0]
            assert abs((Decimal(ytd) / Decimal(last) - 1) * 100 - growth) < Decimal("0.06")
        if indicator == "fai" and org != "city":
            assert sum(figures[(org, c, year, month)][0] for c in INDICATORS[1:]) <= ytd


def test_the_scale_and_the_2021_flood_dip(figures):
    city_2021 = figures[("city", "fai", 2021, 12)][0]
    assert abs(city_2021 - 8000 * 10**8) < 10**8  # about 8,000亿元
    months = [figures[("city", "fai", 2021, m)][0] for m in range(1, 13)]
    monthly = [b - a for a, b in zip([0, *months], months, strict=False)]
    assert monthly[6] < 0.75 * monthly[5] and monthly[7] < 0.85 * monthly[8]  # July, August 2021
    assert growth_of(figures, "city", 2021, 8) < growth_of(figures, "city", 2021, 6) - 5
    assert growth_of(figures, "city", 2022, 6) < 10  # the city lags its 10 % target at mid-year


def test_last_years_give_twelve_cumulative_values_for_the_forecast(figures):
    years = [[Decimal(figures[("jinshui", "fai", y, m)][0]) for m in range(1, 13)] for y in (2020, 2021)]
    shares = monthly_shares(years)
    assert shares[-1] == 1 and all(a < b for a, b in zip(shares, shares[1:], strict=False))


def test_2022_rankings_have_the_planned_last_places_streaks_and_tie(figures):
    history = [{u: growth_of(figures, u, 2022, m) for u in UNITS} for m in range(1, 7)]
    assert [last_place(rank(values)) for values in history] == [
        {"xinmi"}, {"dengfeng"}, {"dengfeng"}, {"shangjie"}, {"shangjie"}, {"shangjie"}]
    months = escalation_history(history, plan_for(2022).rules.escalation)
    assert {org: (e.streak, e.level) for org, e in months[0].items()} == {"xinmi": (1, "notice")}
    assert {org: (e.streak, e.level) for org, e in months[2].items()} == {"dengfeng": (2, "deputy_talk")}
    assert "xinmi" not in months[1] and "dengfeng" not in months[3]  # streaks reset on leaving last place
    assert {org: (e.streak, e.level) for org, e in months[5].items()} == {"shangjie": (3, "mayor_talk")}
    june = {r.org: r.rank for r in rank(history[5])}
    assert history[5]["erqi"] == history[5]["guancheng"] and june["erqi"] == june["guancheng"]
    shared = defaultdict(list)
    for org, place in june.items():
        shared[place].append(org)
    assert [sorted(orgs) for orgs in shared.values() if len(orgs) > 1] == [["erqi", "guancheng"]]


def test_a_streak_counted_across_the_year_boundary_changes_nothing(figures):
    december = {u: growth_of(figures, u, 2021, 12) for u in UNITS}
    assert last_place(rank(december)) == {"huiji"}
    history = [december, *({u: growth_of(figures, u, 2022, m) for u in UNITS} for m in range(1, 7))]
    months = escalation_history(history, plan_for(2022).rules.escalation)
    assert months[1]["xinmi"].streak == 1 and months[6]["shangjie"].streak == 3


def test_lagging_units_are_below_their_ten_percent_target(figures):
    june = {u for u in UNITS if growth_of(figures, u, 2022, 6) < 10}
    assert june == set(stats_demo.LAGGING_2022_06)
    assert growth_of(figures, "hangkonggang", 2022, 6) > 10


@pytest.mark.parametrize("seed", [1, 7, 2021, 99999])
def test_any_seed_keeps_the_story(seed):
    data = stats_demo.generate(GenerationContext(facts=facts_from_plan(plan_for(2022)), seed=seed))
    assert data.last_place_2022 == {m: (code,) for m, code in stats_demo.LAST_PLACE_2022.items()}
    assert data.ties_2022[6] == (("erqi", "guancheng"),)
    assert len(data.rows) == 2040


def test_generation_is_deterministic():
    facts = facts_from_plan(plan_for(2022))
    first = stats_demo.generate(GenerationContext(facts=facts, seed=2022))
    again = stats_demo.generate(GenerationContext(facts=facts, seed=2022))
    assert first.rows == again.rows


def test_the_demo_records_this_years_escalations_for_the_supervision_office(figures):
    from tuijin.assessment.models import Escalation

    recorded = {(e.month, e.org.code): (e.streak, e.level) for e in Escalation.objects.select_related("org")}
    assert recorded == {(1, "xinmi"): (1, "notice"), (2, "dengfeng"): (1, "notice"),
                        (3, "dengfeng"): (2, "deputy_talk"), (4, "shangjie"): (1, "notice"),
                        (5, "shangjie"): (2, "deputy_talk"), (6, "shangjie"): (3, "mayor_talk")}
