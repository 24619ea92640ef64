"""Assessment reads and writes on a small official-statistics history of four units.

The fixtures here (``stats`` and its helpers) are shared with the CLI, page and API tests.
Ranks and streaks come from the stored monthly figures; escalation records, evaluations and
target changes are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from tuijin.assessment import presentation, selectors, services
from tuijin.assessment.models import Escalation, Evaluation, EvaluationResult
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.orgs.policy import SYSTEM
from tuijin.plan import plan_for
from tuijin.stats import targets as target_services
from tuijin.stats.models import OfficialStat, UnitTarget
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db

D = Decimal
UNITS = ("jinshui", "zhongyuan", "erqi", "guancheng")

#: Cumulative FAI growth (%) of four units, January–April 2022. Last place by month:
#: Jan zhongyuan + guancheng (tie), Feb zhongyuan, Mar zhongyuan, Apr zhongyuan + guancheng (tie).
#: So in April zhongyuan is last for the 4th month (mayor talk) and guancheng, reset in
#: February, is last again for 1 month (notice).
GROWTH_2022 = {
    "jinshui": ("12.0", "12.5", "11.0", "13.0"),
    "zhongyuan": ("8.0", "7.0", "6.0", "5.0"),
    "erqi": ("10.0", "10.0", "10.0", "10.0"),
    "guancheng": ("8.0", "9.0", "9.0", "5.0"),
}


def put_stats(orgs: dict, unit: str, year: int, month: int, *, growth: str | None, ytd_wan: str | None = None,
              indicator: str = "fai") -> OfficialStat:
    with audit_context(source="system", reason="test fixture"):
        return OfficialStat.objects.create(
            org=orgs[unit], indicator=indicator, year=year, month=month,
            yoy_growth=None if growth is None else D(growth),
            ytd_value_yuan=None if ytd_wan is None else wan_to_yuan(ytd_wan))


@pytest.fixture
def stats(orgs) -> Callable[..., None]:
    """Load growth figures: ``stats({unit: (g1, g2, …)}, year=2022, first_month=1)``."""

    def load(table: dict[str, tuple[str | None, ...]] | None = None, *, year: int = 2022, first_month: int = 1,
             indicator: str = "fai") -> None:
        for unit, values in (table or GROWTH_2022).items():
            for i, growth in enumerate(values):
                month = first_month + i
                put_stats(orgs, unit, year, month, growth=growth, ytd_wan=str(1000 * month), indicator=indicator)

    return load


#: A year's cumulative monthly values (万元) shaped like a real FAI year: slow start, strong June and December.
SHAPE = (5, 12, 22, 31, 40, 52, 60, 68, 76, 84, 91, 100)


@pytest.fixture
def history(orgs) -> Callable[..., None]:
    """2021: all 12 months for each unit (totals ``total_wan``); 2022: the months given as a share of 2021."""

    def load(totals_2021: dict[str, int], pace_2022: dict[str, str], *, months_2022: int = 6) -> None:
        for unit, total in totals_2021.items():
            for month, pct in enumerate(SHAPE, start=1):
                put_stats(orgs, unit, 2021, month, growth="5", ytd_wan=str(total * pct // 100))
            pace = D(pace_2022[unit])
            for month in range(1, months_2022 + 1):
                ytd = D(total * SHAPE[month - 1]) / 100 * pace
                growth = (pace - 1) * 100
                put_stats(orgs, unit, 2022, month, growth=str(growth.quantize(D("0.01"))), ytd_wan=str(ytd))

    return load


def acting(user):
    return audit_context(source="web", actor=user, reason="test")


# -- periods -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["2022-13", "2022-6", "22-06", "", "2022/06", "1999-01"])
def test_a_malformed_period_is_refused_in_chinese(code):
    with pytest.raises(ValidationFailed, match="统计期"):
        selectors.parse_period(code)


@pytest.mark.parametrize("code", ["2022Q5", "2022Q0", "2022-Q1", "Q1", "2022"])
def test_a_malformed_quarter_is_refused_in_chinese(code):
    with pytest.raises(ValidationFailed, match="季度"):
        selectors.parse_quarter(code)


def test_periods_and_quarters_parse():
    assert selectors.parse_period(" 2022-06 ") == (2022, 6)
    assert selectors.parse_quarter("2022q3") == (2022, 3)
    assert selectors.quarter_end(2022, 1) == dt.date(2022, 3, 31)


# -- ranking -----------------------------------------------------------------------------------------


def test_the_ranking_reads_the_official_figures_and_shares_ranks_on_ties(stats):
    stats()
    rows = selectors.unit_growth_ranking(user=SYSTEM, year=2022, month=1)
    assert len(rows) == 16  # every unit of the plan's group; those without a figure after the others
    ranked = [(r["org"], r["value"], r["rank"], r["last_place"]) for r in rows[:4]]
    assert ranked == [("jinshui", D("12.00"), 1, False), ("erqi", D("10.00"), 2, False),
                      ("guancheng", D("8.00"), 3, True), ("zhongyuan", D("8.00"), 3, True)]
    assert all(r["value"] is None and r["rank"] == 5 and not r["last_place"] for r in rows[4:])
    assert rows[0]["name"] == "金水区" and rows[0]["ytd_wan"] == D("1000.00")


def test_a_month_without_figures_ranks_nobody(stats):
    stats()
    assert selectors.unit_growth_ranking(user=SYSTEM, year=2022, month=9) == []


def test_an_unknown_indicator_is_refused():
    with pytest.raises(ValidationFailed, match="指标应为"):
        selectors.unit_growth_ranking(user=SYSTEM, year=2022, month=1, indicator="gdp")


def test_the_ranking_of_another_indicator_reads_its_own_figures(stats):
    stats({"jinshui": ("3",), "erqi": ("20",)}, indicator="industrial")
    rows = selectors.unit_growth_ranking(user=SYSTEM, year=2022, month=1, indicator="industrial")
    assert [(r["org"], r["rank"]) for r in rows[:2]] == [("erqi", 1), ("jinshui", 2)]


# -- escalation ----------------------------------------------------------------------------------------


def test_ties_at_last_place_are_all_escalated(stats):
    stats()
    rows = selectors.escalation_list(user=SYSTEM, year=2022, month=1)
    assert [(r["org"], r["streak"], r["level"]) for r in rows] == [("zhongyuan", 1, "notice"),
                                                                    ("guancheng", 1, "notice")]
    assert rows[0]["label"] == "通报批评" and rows[0]["value"] == D("8.00")


def test_streaks_climb_the_ladder_and_leaving_last_place_resets_them(stats):
    stats()
    by_month = {m: [(r["org"], r["streak"], r["level"]) for r in selectors.escalation_list(user=SYSTEM, year=2022, month=m)]
                for m in (2, 3, 4)}
    assert by_month[2] == [("zhongyuan", 2, "deputy_talk")]
    assert by_month[3] == [("zhongyuan", 3, "mayor_talk")]
    assert by_month[4] == [("zhongyuan", 4, "mayor_talk"), ("guancheng", 1, "notice")]


def test_a_month_nobody_published_is_skipped_not_a_reset(stats):
    # January and February published together: no January figures at all.
    stats({"jinshui": ("12", "12", "12"), "zhongyuan": ("5", "5", "5")}, first_month=2)
    rows = selectors.escalation_list(user=SYSTEM, year=2022, month=4)
    assert [(r["org"], r["streak"]) for r in rows] == [("zhongyuan", 3)]
    assert selectors.escalation_list(user=SYSTEM, year=2022, month=5) == []


def test_recording_escalations_is_idempotent_and_audited(stats, users):
    stats()
    with acting(users["dcs"]):
        first = services.escalations_record(actor=users["dcs"], year=2022, month=4)
        again = services.escalations_record(actor=users["dcs"], year=2022, month=4)
    assert [(e.org.code, e.streak, e.level) for e in first] == [("zhongyuan", 4, "mayor_talk"),
                                                                 ("guancheng", 1, "notice")]
    assert [e.pk for e in again] == [e.pk for e in first]
    assert Escalation.objects.count() == 2
    assert all(e.plan_hash == plan_for(2022).hash and e.status == "open" for e in first)
    created = AuditEntry.objects.filter(object_type="assessment.escalation", action="create")
    assert created.count() == 2 and set(created.values_list("actor_name", flat=True)) == {"dcs"}


def test_corrected_figures_update_the_record_and_drop_an_untouched_one(stats, users, orgs):
    stats()
    with acting(users["fgw"]):
        services.escalations_record(actor=users["fgw"], year=2022, month=4)
        guancheng = Escalation.objects.get(org__code="guancheng")
        OfficialStat.objects.filter(org__code="guancheng", month=4).update(yoy_growth=D("9.5"))
        services.escalations_record(actor=users["fgw"], year=2022, month=4)
    assert list(Escalation.objects.values_list("org__code", flat=True)) == ["zhongyuan"]
    assert AuditEntry.objects.filter(object_type="assessment.escalation", action="delete",
                                     object_id=str(guancheng.pk)).exists()


def test_only_supervision_and_the_city_record_escalations(stats, users):
    stats()
    for name in ("jinshui", "leader", "gxj"):
        with acting(users[name]), pytest.raises(PermissionRefused):
            services.escalations_record(actor=users[name], year=2022, month=4)
    assert not Escalation.objects.exists()


def test_the_supervision_office_follows_up_with_dated_notes(stats, users, business_date):
    business_date("2022-05-06")
    stats()
    with acting(users["dcs"]):
        (record, _) = services.escalations_record(actor=users["dcs"], year=2022, month=4)
        services.escalation_follow_up(actor=users["dcs"], escalation_id=record.pk, status="following",
                                      note="已通知中原区政府，定于5月10日约谈")
        services.escalation_follow_up(actor=users["dcs"], escalation_id=record.pk, status="closed", note="已约谈")
        with pytest.raises(ValidationFailed, match="请填写跟进情况"):
            services.escalation_follow_up(actor=users["dcs"], escalation_id=record.pk, status="closed", note="")
        with pytest.raises(ValidationFailed, match="状态应为"):
            services.escalation_follow_up(actor=users["dcs"], escalation_id=record.pk, status="gone", note="x")
    record.refresh_from_db()
    lines = record.follow_up.splitlines()
    assert record.status == "closed" and len(lines) == 2
    assert lines[0].endswith("dcs：已通知中原区政府，定于5月10日约谈") and lines[1].endswith("dcs：已约谈")
    assert lines[0].startswith("2022-05-06 ")  # dated by the business date
    updates = AuditEntry.objects.filter(object_type="assessment.escalation", action="update")
    assert [e.after["status"] for e in updates.order_by("id")] == ["following", "closed"]
    with acting(users["jinshui"]), pytest.raises(PermissionRefused):
        services.escalation_follow_up(actor=users["jinshui"], escalation_id=record.pk, status="open", note="x")


# -- evaluation -------------------------------------------------------------------------------------------------

#: March 2022 growth: scores 40, 36, 32, 32 from FAI growth alone (target 10%) → ranks 1, 2, 3, 3.
Q1_GROWTH = {"jinshui": ("12",), "zhongyuan": ("9",), "erqi": ("8",), "guancheng": ("8",)}


def test_the_evaluation_ranks_with_ties_and_shares_awards(stats, users):
    stats(Q1_GROWTH, first_month=3)
    with acting(users["fgw"]):
        evaluation = services.evaluation_run(actor=users["fgw"], year=2022, quarter=1)
    rows = presentation.evaluation_rows(evaluation)
    top = [(r["org"], r["score"], r["rank"], r["award_wan"]) for r in rows[:4]]
    assert top == [("jinshui", D("40.00"), 1, D("150")), ("zhongyuan", D("36.00"), 2, D("100")),
                   ("erqi", D("32.00"), 3, D("100")), ("guancheng", D("32.00"), 3, D("100"))]
    # Units with no official figure are listed after, with no award.
    assert {(r["rank"], r["award_wan"]) for r in rows[4:]} == {(5, D("0"))}
    assert evaluation.plan_hash == plan_for(2022).hash and len(evaluation.plan_hash) == 64
    assert EvaluationResult.objects.filter(evaluation=evaluation).count() == 16
    assert EvaluationResult.objects.get(evaluation=evaluation, org__code="jinshui").award_yuan == 1_500_000
    entry = AuditEntry.objects.get(object_type="assessment.evaluation", action="create")
    assert entry.actor_name == "fgw" and entry.after["results"]["jinshui"]["award_wan"] == "150"


def test_a_2023_quarter_is_evaluated_under_the_2023_plan_and_2022_stays(stats, users, business_date,
                                                                       two_year_plans):
    two_year_plans({"- {from_rank: 1, to_rank: 1, amount_wan: 150}": "- {from_rank: 1, to_rank: 1, amount_wan: 200}"})
    business_date("2023-04-20")
    stats(Q1_GROWTH, first_month=3)
    stats(Q1_GROWTH, first_month=3, year=2023)
    with acting(users["fgw"]):
        first = services.evaluation_run(actor=users["fgw"], year=2022, quarter=1)
        second = services.evaluation_run(actor=users["fgw"], year=2023, quarter=1)
    assert (first.plan_hash, second.plan_hash) == (plan_for(2022).hash, plan_for(2023).hash)
    assert first.plan_hash != second.plan_hash
    award = {e.year: presentation.evaluation_rows(e)[0]["award_wan"] for e in (first, second)}
    assert award == {2022: D("150"), 2023: D("200")}
    assert timezone.localtime(second.computed_at).date() == dt.date(2023, 4, 20)


def test_each_score_is_explained_indicator_by_indicator(stats, users):
    stats(Q1_GROWTH, first_month=3)
    with acting(users["fgw"]):
        evaluation = services.evaluation_run(actor=users["fgw"], year=2022, quarter=1)
    jinshui = presentation.evaluation_rows(evaluation)[0]
    parts = jinshui["indicators"]
    assert set(parts) == set(plan_for(2022).rules.evaluation.weights)
    assert parts["fai_growth"]["explanation"].startswith("固定资产投资增速完成目标情况 12%，目标 10%")
    assert parts["fai_growth"]["points"] == "40.00"
    assert parts["bond_spending"]["explanation"].startswith("专项债券资金支出进度 无数据")
    assert parts["bond_spending"]["points"] == "0.00"
    assert jinshui["explanation"].endswith("合计 40.00 分")


def test_a_ranking_tie_at_first_place_gives_both_the_top_award(stats, users):
    stats({"jinshui": ("12",), "zhongyuan": ("12",), "erqi": ("8",)}, first_month=3)
    rows = selectors.evaluation_compute(user=SYSTEM, year=2022, quarter=1)
    assert [(r["org"], r["rank"], r["award_wan"]) for r in rows[:3]] == [
        ("jinshui", 1, D("150")), ("zhongyuan", 1, D("150")), ("erqi", 3, D("100"))]


def test_a_units_own_target_changes_its_growth_score(stats, users):
    stats(Q1_GROWTH, first_month=3)
    with acting(users["fgw"]):
        target_services.unit_target_set(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022,
                                        growth_target="15")
    jinshui = next(r for r in selectors.evaluation_compute(user=SYSTEM, year=2022, quarter=1) if r["org"] == "jinshui")
    assert jinshui["indicators"]["fai_growth"]["target"] == "15.00"
    assert jinshui["score"] == D("32.00")  # 40 × 12/15


def test_project_indicators_are_aggregated_per_unit(stats, make_project, orgs):
    from tuijin.projects.models import ApprovalItem
    from tuijin.reporting.models import Period, ProgressReport

    stats({"jinshui": ("12",)}, first_month=3)
    key = make_project("jinshui", tags=("city_key", "provincial_key"), annual_plan_wan="1000",
                       planned_start=dt.date(2022, 2, 1), actual_start=dt.date(2022, 2, 15), stage="construction",
                       in_statistics=True)
    make_project("jinshui", tags=("city_key",), annual_plan_wan="1000", planned_start=dt.date(2022, 6, 1))
    make_project("jinshui", annual_plan_wan="100", actual_start=dt.date(2022, 1, 10), stage="construction")
    make_project("jinshui", tags=("city_key",), stage="cancelled", planned_start=dt.date(2022, 1, 1))
    with audit_context(source="system"):
        period = Period.objects.create(code="2022-03", year=2022, month=3, opens_on=dt.date(2022, 3, 1),
                                       deadline=dt.date(2022, 4, 8))
        ProgressReport.objects.create(unit=orgs["jinshui"], period=period, project=key, status="approved",
                                      month_amount_yuan=wan_to_yuan("100"), ytd_amount_yuan=wan_to_yuan("500"))
        for i, status in enumerate(("done", "done", "pending", "in_progress")):
            ApprovalItem.objects.create(project=key, code=f"item{i}", name=f"事项{i}", status=status)
    values = selectors.evaluation_indicators(user=SYSTEM, year=2022, quarter=1)["jinshui"]
    # 500 of 2000 planned (the tag on two lists counts once; the cancelled project counts nowhere).
    assert values["key_project_completion"].value == D("25.00")
    assert values["start_rate"].value == D("50.00")
    assert values["approval_rate"].value == D("50.00")
    assert values["statistics_inclusion"].value == D("50.00")
    assert values["bond_spending"].value is None
    assert values["fai_growth"].value == D("12.00")
    assert "计划2022年开工的重点项目 2 个，截至季末已开工 1 个" == values["start_rate"].basis
    assert selectors.evaluation_indicators(user=SYSTEM, year=2022, quarter=1)["erqi"]["start_rate"].value is None


def test_the_evaluation_needs_the_quarters_statistics(stats, users):
    stats()  # January–April only: no June figure
    with acting(users["fgw"]), pytest.raises(ValidationFailed, match="尚无统计部门发布的固定资产投资数据"):
        services.evaluation_run(actor=users["fgw"], year=2022, quarter=2)
    assert not Evaluation.objects.exists()


def test_only_the_city_administrator_runs_the_evaluation(stats, users):
    stats(Q1_GROWTH, first_month=3)
    for name in ("dcs", "leader", "jinshui"):
        with acting(users[name]), pytest.raises(PermissionRefused):
            services.evaluation_run(actor=users[name], year=2022, quarter=1)
    assert not Evaluation.objects.exists()


def test_the_latest_run_of_a_quarter_is_the_one_shown(stats, users):
    stats(Q1_GROWTH, first_month=3)
    with acting(users["fgw"]):
        first = services.evaluation_run(actor=users["fgw"], year=2022, quarter=1)
        second = services.evaluation_run(actor=users["fgw"], year=2022, quarter=1)
    assert first.pk != second.pk
    assert selectors.latest_evaluation(user=SYSTEM, year=2022, quarter=1).pk == second.pk
    assert selectors.latest_evaluation(user=SYSTEM, year=2022, quarter=2) is None


# -- forecast ----------------------------------------------------------------------------------------------------


def test_units_likely_to_miss_come_first_furthest_behind_first(history):
    history({"jinshui": 100000, "zhongyuan": 80000, "erqi": 50000, "guancheng": 60000},
            {"jinshui": "1.15", "zhongyuan": "0.95", "erqi": "1.05", "guancheng": "1.08"})
    rows = selectors.forecast_rows(user=SYSTEM, year=2022, month=6)
    first = [(r["org"], r["likely_miss"]) for r in rows[:4]]
    assert first == [("zhongyuan", True), ("erqi", True), ("guancheng", True), ("jinshui", False)]
    zhongyuan = rows[0]
    # Same monthly shape as 2021, so the projection is exact: 95% of last year → −5%.
    assert zhongyuan["projected_growth"] == D("-5.00") and zhongyuan["target"] == D("10")
    assert zhongyuan["gap_points"] == D("-15.00")
    assert zhongyuan["last_year_total_wan"] == D("80000.00") and zhongyuan["shares_source"] == "unit"
    # To reach 88,000 from 80,000 × 52% × 0.95 = 39,520 in six months: 8,080 a month.
    assert zhongyuan["needed_per_month_wan"] == D("8080.00")
    assert rows[3]["projected_growth"] == D("15.00") and rows[3]["gap_points"] == D("5.00")
    assert all(r["projected_growth"] is None and not r["likely_miss"] for r in rows[4:])


def test_the_forecast_in_december_needs_nothing_more_per_month(history):
    history({"jinshui": 100000}, {"jinshui": "1.2"}, months_2022=12)
    (row,) = [r for r in selectors.forecast_rows(user=SYSTEM, year=2022, month=12) if r["org"] == "jinshui"]
    assert row["projected_growth"] == D("20.00") and row["needed_per_month_wan"] is None


def test_the_backtest_on_a_past_year_reports_its_error(history, orgs, system_context):
    history({"jinshui": 100000, "zhongyuan": 80000}, {"jinshui": "1.1", "zhongyuan": "1.0"})
    # Make zhongyuan's 2021 shape differ, so that leaving it out leaves an error.
    OfficialStat.objects.filter(org__code="zhongyuan", year=2021, month=6).update(
        ytd_value_yuan=wan_to_yuan("32000"))
    for unit, total in (("jinshui", "90000"), ("zhongyuan", "76000")):
        put_stats(orgs, unit, 2020, 12, growth="3", ytd_wan=total)
    result = selectors.forecast_backtest(user=SYSTEM, year=2021)
    assert result["year"] == 2021 and result["units_tested"] == 2
    assert [m["month"] for m in result["by_month"]] == list(range(1, 12))
    june = next(m for m in result["by_month"] if m["month"] == 6)
    assert june["mean_abs_error_points"] > 0
    assert result["mean_abs_error_points"] > 0
    assert {u["method"] for u in result["units"]} == {"other_units"}
    jinshui = next(u for u in result["units"] if u["org"] == "jinshui")
    assert jinshui["actual_growth"] == D("11.11")  # 100,000 over 90,000
    assert selectors.forecast_backtest(user=SYSTEM, year=2019) is None


# -- targets ------------------------------------------------------------------------------------------------------


def test_targets_default_to_the_plan_and_the_city_overrides_them_audited(users):
    assert target_services.unit_growth_target(unit="jinshui", indicator="fai", year=2022).value == D("10")
    assert target_services.unit_growth_target(unit="jinshui", indicator="industrial", year=2022).value == D("15")
    with acting(users["fgw"]):
        target_services.unit_target_set(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022,
                                        growth_target="12.5%", note="金水区主动加压")
    target = target_services.unit_growth_target(unit="jinshui", indicator="fai", year=2022)
    assert (target.value, target.source, target.plan_value, target.set_by) == (D("12.5"), "city", D("10"), "fgw")
    entry = AuditEntry.objects.get(object_type="stats.unittarget", action="create")
    assert entry.after["growth_target"] == "12.50" and entry.actor_name == "fgw"
    with acting(users["fgw"]):
        assert target_services.unit_target_clear(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022)
    assert target_services.unit_growth_target(unit="jinshui", indicator="fai", year=2022).source == "plan"
    assert AuditEntry.objects.filter(object_type="stats.unittarget", action="delete").count() == 1


@pytest.mark.parametrize(("value", "message"), [("abc", "应为数字"), ("150", "之间"), ("10.123", "2位小数")])
def test_a_bad_target_is_refused(users, value, message):
    with acting(users["fgw"]), pytest.raises(ValidationFailed, match=message):
        target_services.unit_target_set(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022,
                                        growth_target=value)
    assert not UnitTarget.objects.exists()


def test_only_the_city_administrator_sets_targets(users):
    for name in ("jinshui", "leader", "dcs", "gxj"):
        with acting(users[name]), pytest.raises(PermissionRefused):
            target_services.unit_target_set(actor=users[name], unit="jinshui", indicator="fai", year=2022,
                                            growth_target="11")
    with acting(users["fgw"]):
        with pytest.raises(NotFound):
            target_services.unit_target_set(actor=users["fgw"], unit="nowhere", indicator="fai", year=2022,
                                            growth_target="11")
        with pytest.raises(ValidationFailed, match="方案年度"):
            target_services.unit_target_set(actor=users["fgw"], unit="jinshui", indicator="fai", year=2023,
                                            growth_target="11")


def test_targets_vs_actuals_show_each_unit_with_the_project_coverage(stats, users, orgs):
    from tuijin.reporting.models import Period, UnitMonthSummary

    stats()
    with acting(users["fgw"]):
        target_services.unit_target_set(actor=users["fgw"], unit="zhongyuan", indicator="fai", year=2022,
                                        growth_target="6")
    with audit_context(source="system"):
        period = Period.objects.create(code="2022-04", year=2022, month=4, opens_on=dt.date(2022, 4, 1),
                                       deadline=dt.date(2022, 5, 9))
        UnitMonthSummary.objects.create(unit=orgs["jinshui"], period=period, ytd_amount_yuan=wan_to_yuan("3000"))
    rows = {r["org"]: r for r in selectors.targets_vs_actuals(user=SYSTEM, year=2022, month=4)}
    assert len(rows) == 16
    jinshui, zhongyuan = rows["jinshui"], rows["zhongyuan"]
    assert jinshui["indicators"]["fai"]["actual"] == D("13.00") and jinshui["indicators"]["fai"]["met"] is True
    assert jinshui["project_ytd_wan"] == D("3000.00") and jinshui["coverage"] == D("75.00")  # of 4000
    assert zhongyuan["indicators"]["fai"]["target"] == D("6") and zhongyuan["indicators"]["fai"]["source"] == "city"
    assert zhongyuan["indicators"]["fai"]["gap_points"] == D("-1.00") and not zhongyuan["indicators"]["fai"]["met"]
    assert rows["erqi"]["indicators"]["industrial"]["target"] == D("15")


def test_city_figures_and_the_departments_responsible(orgs):
    put_stats(orgs, "city", 2022, 4, growth="9.1", ytd_wan="1234567", indicator="fai")
    put_stats(orgs, "city", 2022, 4, growth="16", ytd_wan="20000", indicator="industrial")
    figures = selectors.city_figures(user=SYSTEM, year=2022, month=4)
    assert figures["fai"] == {"name": "固定资产投资", "ytd_wan": D("1234567.00"), "yoy_growth": D("9.10"),
                              "target": D("10"), "gap_points": D("-0.90"), "met": False}
    assert figures["industrial"]["met"] is True and figures["real_estate"]["yoy_growth"] is None
    departments = {r["indicator"]: r["departments"] for r in selectors.department_targets(user=SYSTEM, year=2022, month=4)}
    assert departments["industrial"] == ["市工信局"] and departments["real_estate"] == ["市住房保障局"]
    assert "市发展改革委" in departments["fai"]


def test_reads_run_a_bounded_number_of_queries(stats, django_assert_max_num_queries):
    stats()
    with django_assert_max_num_queries(2):
        selectors.unit_growth_ranking(user=SYSTEM, year=2022, month=4)
    with django_assert_max_num_queries(1):
        selectors.escalation_list(user=SYSTEM, year=2022, month=4)
    with django_assert_max_num_queries(3):
        selectors.forecast_rows(user=SYSTEM, year=2022, month=4)
    with django_assert_max_num_queries(4):
        selectors.targets_vs_actuals(user=SYSTEM, year=2022, month=4)
    with django_assert_max_num_queries(8):
        selectors.evaluation_compute(user=SYSTEM, year=2022, quarter=1)


def test_the_aggregates_refuse_an_administrator_and_serve_system_and_a_unit(stats, users):
    """Rankings, escalations, forecast, targets and evaluations are aggregates every business reader
    sees: the selectors refuse the three administrators and read for SYSTEM and a unit user alike."""
    from tuijin.toolkit.errors import PermissionRefused

    stats()
    reads = {
        "ranking": lambda u: selectors.unit_growth_ranking(user=u, year=2022, month=4),
        "escalations": lambda u: selectors.escalation_list(user=u, year=2022, month=4),
        "forecast": lambda u: selectors.forecast_rows(user=u, year=2022, month=4),
        "targets": lambda u: selectors.targets_vs_actuals(user=u, year=2022, month=4),
        "city": lambda u: selectors.city_figures(user=u, year=2022, month=4),
        "evaluation": lambda u: selectors.evaluation_compute(user=u, year=2022, quarter=1),
        "periods": lambda u: selectors.stat_periods(user=u),
    }
    for name, read in reads.items():
        with pytest.raises(PermissionRefused):
            read(users["sysadmin"])
        assert read(SYSTEM) == read(users["jinshui"]), name
