"""Reads of official statistics: a month's table (ranks, targets) and coverage (issue 4 item 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuijin.orgs.models import Org
from tuijin.reporting.models import UnitMonthSummary
from tuijin.reporting.periods import period_open
from tuijin.stats import selectors
from tuijin.stats.rules import coverage_percent
from tuijin.stats.selectors import coverage_rows, month_table
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.money import wan_to_yuan

from .conftest import UNITS, month_rows, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def june(tjj, xlsx):
    rows = month_rows()
    rows[2][3] = rows[3][3] = 7.5  # erqi and guancheng tie
    run_import(tjj, xlsx(rows), period="2022-06")
    return rows


def summary(unit: str, period: str, ytd_wan: str, projects: int = 10) -> None:
    UnitMonthSummary.objects.create(unit=Org.objects.get(code=unit), period=period_open(period),
                                    ytd_amount_yuan=wan_to_yuan(ytd_wan), month_amount_yuan=0,
                                    projects_reported=projects)


def test_coverage_puts_approved_project_sums_beside_the_official_figures(users, june, system_context):
    summary("zhongyuan", "2022-06", "60000", 12)
    summary("jinshui", "2022-06", "103000", 30)
    summary("jinshui", "2022-05", "1")  # another month: not counted

    rows = coverage_rows(user=users["jinshui"], year=2022, month=6)

    assert [r.org for r in rows] == ["city", *UNITS]
    by_org = {r.org: r for r in rows}
    assert by_org["zhongyuan"].official_ytd_yuan == wan_to_yuan("100000")
    assert by_org["zhongyuan"].project_ytd_yuan == wan_to_yuan("60000") and by_org["zhongyuan"].coverage == Decimal("60.00")
    assert by_org["jinshui"].coverage == Decimal("100.00") and by_org["jinshui"].projects_reported == 30
    assert by_org["erqi"].project_ytd_yuan is None and by_org["erqi"].coverage is None
    city = by_org["city"]
    assert city.project_ytd_yuan == wan_to_yuan("163000") and city.projects_reported == 42
    assert city.official_ytd_yuan == sum(r.official_ytd_yuan for r in rows[1:])
    assert city.coverage == coverage_percent(city.project_ytd_yuan, city.official_ytd_yuan)


def test_coverage_without_official_figures_or_reports_is_empty_not_zero(users, orgs):
    rows = coverage_rows(user=users["fgw"], year=2022, month=6)
    assert len(rows) == 17 and all(r.coverage is None and r.project_ytd_yuan is None for r in rows)


@pytest.mark.parametrize(("project", "official", "expected"), [
    (1, 3, Decimal("33.33")), (2, 3, Decimal("66.67")), (5, 0, None), (None, 5, None), (0, 5, Decimal("0.00")),
])
def test_coverage_percent(project, official, expected):
    assert coverage_percent(project, official) == expected


def test_coverage_is_three_queries_whatever_the_data(users, june, system_context, django_assert_num_queries):
    for unit in UNITS[:8]:
        summary(unit, "2022-06", "100")
    with django_assert_num_queries(3):
        coverage_rows(user=users["fgw"], year=2022, month=6)


def test_the_month_table_ranks_units_by_fai_growth_with_shared_ranks(users, june):
    table = month_table(user=users["leader"], year=2022, month=6)
    assert table.period == "2022-06" and list(table.indicators)[:1] == ["fai"]
    ranks = {row.org.code: row.fai_rank for row in table.rows}
    assert ranks["city"] is None
    assert ranks["hangkonggang"] == 1 and ranks["zhongyuan"] == 14
    assert ranks["erqi"] == ranks["guancheng"] == 15  # both 7.5: last, sharing the better rank
    jinshui = next(r for r in table.rows if r.org.code == "jinshui")
    assert jinshui.cells["fai"].target == Decimal(10) and jinshui.cells["fai"].below_target
    assert jinshui.cells["industrial"].ytd_yuan is None


def test_targets_are_shown_for_the_plans_year_only(users, tjj, xlsx):
    run_import(tjj, xlsx(month_rows()), period="2021-06")
    table = month_table(user=users["fgw"], year=2021, month=6)
    assert all(cell.target is None for row in table.rows for cell in row.cells.values())


def test_a_2023_month_shows_the_targets_of_the_2023_plan(users, tjj, xlsx, business_date, two_year_plans):
    two_year_plans({"unit_fai_growth: {value: 10,": "unit_fai_growth: {value: 12,"})
    business_date("2023-07-15")
    run_import(tjj, xlsx(month_rows()), period="2022-06")
    run_import(tjj, xlsx(month_rows()), period="2023-06")
    target = {year: next(r for r in month_table(user=users["fgw"], year=year, month=6).rows
                         if r.org.code == "jinshui").cells["fai"].target for year in (2022, 2023)}
    assert target == {2022: Decimal(10), 2023: Decimal(12)}


@pytest.mark.parametrize("username", ["auditor", "sysadmin", "secadmin"])
def test_administrators_read_no_statistics(users, username):
    with pytest.raises(PermissionRefused):
        selectors.stats_list(user=users[username])
    with pytest.raises(PermissionRefused):
        coverage_rows(user=users[username], year=2022, month=6)


def test_the_figures_for_the_apps_above_refuse_an_administrator_and_serve_system(users, june):
    """The unscoped figures the cockpit, assessment and bulletins read ask ``read_statistics``:
    an administrator is refused, SYSTEM and a unit user read the same figures."""
    from tuijin.orgs.policy import SYSTEM

    unit = Org.objects.get(code="jinshui")
    reads = {
        "latest": lambda u: selectors.latest_statistics_month(user=u),
        "all": lambda u: selectors.official_stats(user=u).count(),
        "city months": lambda u: selectors.city_periods(user=u),
        "trend": lambda u: selectors.growth_trend(user=u, org_code="city", year=2022, month=6),
        "unit": lambda u: selectors.unit_month_figures(user=u, unit=unit, year=2022, month=6),
        "picker": lambda u: selectors.months_for_picker(user=u, selected=(2022, 6)),
    }
    for name, read in reads.items():
        with pytest.raises(PermissionRefused):
            read(users["sysadmin"])
        assert read(SYSTEM) == read(users["jinshui"]), name
    assert selectors.latest_statistics_month(user=SYSTEM) == (2022, 6)
    assert selectors.unit_month_figures(user=SYSTEM, unit=unit, year=2022, month=6)["fai"]["yoy_growth"] is not None
