"""`tuijin rank`, `escalations`, `evaluate` and `forecast` through ``call_command``: the JSON shapes,
the Chinese tables, and the errors that end with a non-zero exit."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuijin.assessment.models import Escalation, Evaluation
from tuijin.audit.models import AuditEntry
from tuijin.plan import plan_for

from . import test_services as shared
from .test_services import Q1_GROWTH

stats, history = shared.stats, shared.history  # fixtures shared with the service tests

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args: str):
    return json.loads(run(*args, "--json")[0])


# -- rank --------------------------------------------------------------------------------------------


def test_rank_gives_exactly_the_documented_json_with_shared_ranks(stats):
    stats()
    rows = run_json("rank", "--period", "2022-01", "--indicator", "fai")
    assert rows[:4] == [
        {"org": "jinshui", "name": "金水区", "value": 12, "rank": 1},
        {"org": "erqi", "name": "二七区", "value": 10, "rank": 2},
        {"org": "guancheng", "name": "管城回族区", "value": 8, "rank": 3},
        {"org": "zhongyuan", "name": "中原区", "value": 8, "rank": 3},
    ]
    assert len(rows) == 16 and rows[4] == {"org": rows[4]["org"], "name": rows[4]["name"], "value": None, "rank": 5}


def test_rank_prints_a_chinese_table(stats):
    stats()
    out, _ = run("rank", "--period", "2022-02")
    assert "2022年2月 固定资产投资累计增速排名（全市）" in out
    assert "名次" in out and "累计增速（%）" in out
    line = next(line for line in out.splitlines() if "中原区" in line)
    assert line.split()[:3] == ["4", "中原区", "7.00"] and line.endswith("末位")


@pytest.mark.parametrize("period", ["2022-13", "202206", "abc"])
def test_rank_refuses_a_malformed_period_in_chinese(period):
    with pytest.raises(CommandError, match="统计期应为 YYYY-MM 格式") as caught:
        run("rank", "--period", period)
    assert caught.value.returncode == 1


def test_rank_refuses_an_unknown_indicator(stats):
    with pytest.raises(CommandError, match="指标应为以下之一"):
        run("rank", "--period", "2022-01", "--indicator", "gdp")


def test_rank_of_a_month_without_figures_says_so(orgs):
    out, _ = run("rank", "--period", "2022-05")
    assert "2022年5月尚无固定资产投资的官方统计数据" in out
    assert run_json("rank", "--period", "2022-05") == []


# -- escalations -----------------------------------------------------------------------------------------


def test_escalations_ties_at_last_place_are_all_listed(stats):
    stats()
    assert run_json("escalations", "--period", "2022-01") == [
        {"org": "zhongyuan", "streak": 1, "level": "notice"},
        {"org": "guancheng", "streak": 1, "level": "notice"},
    ]


def test_escalations_a_four_month_streak_reaches_the_mayor_and_a_reset_starts_again(stats):
    stats()
    assert run_json("escalations", "--period", "2022-02") == [{"org": "zhongyuan", "streak": 2, "level": "deputy_talk"}]
    assert run_json("escalations", "--period", "2022-04") == [
        {"org": "zhongyuan", "streak": 4, "level": "mayor_talk"},
        {"org": "guancheng", "streak": 1, "level": "notice"},  # last in January, out in February: reset
    ]


def test_escalations_print_the_levels_in_chinese_and_record_them_once(stats):
    stats()
    out, _ = run("escalations", "--period", "2022-04", "--record")
    assert "市主要领导约谈" in out and "通报批评" in out and "已生成 2 条约谈记录" in out
    run("escalations", "--period", "2022-04", "--record")
    assert Escalation.objects.count() == 2
    entries = AuditEntry.objects.filter(object_type="assessment.escalation")
    assert entries.count() == 2 and set(entries.values_list("source", flat=True)) == {"cli"}


def test_escalations_refuse_a_malformed_period(orgs):
    with pytest.raises(CommandError, match="统计期应为"):
        run("escalations", "--period", "2022-00")


def test_escalations_of_an_empty_month_say_so(orgs):
    out, _ = run("escalations", "--period", "2022-05")
    assert "没有处于末位的单位" in out


# -- evaluate ----------------------------------------------------------------------------------------------


def test_evaluate_stores_the_result_with_the_plan_hash_and_prints_the_json(stats):
    stats(Q1_GROWTH, first_month=3)
    rows = run_json("evaluate", "--quarter", "2022Q1")
    assert [(r["org"], r["score"], r["rank"], r["award_wan"]) for r in rows[:4]] == [
        ("jinshui", 40, 1, 150), ("zhongyuan", 36, 2, 100), ("erqi", 32, 3, 100), ("guancheng", 32, 3, 100)]
    assert set(rows[0]) == {"org", "score", "rank", "award_wan", "indicators"}
    assert set(rows[0]["indicators"]) == set(plan_for(2022).rules.evaluation.weights)
    assert rows[0]["indicators"]["fai_growth"]["points"] == 40
    assert rows[0]["indicators"]["bond_spending"]["value"] is None
    evaluation = Evaluation.objects.get()
    assert evaluation.plan_hash == plan_for(2022).hash and evaluation.computed_by is None
    assert AuditEntry.objects.get(object_type="assessment.evaluation").source == "cli"


def test_evaluate_dry_run_stores_nothing_and_explains_each_score(stats):
    stats(Q1_GROWTH, first_month=3)
    out, _ = run("evaluate", "--quarter", "2022Q1", "--dry-run")
    assert not Evaluation.objects.exists()
    assert "2022年第1季度 扩大有效投资综合评价" in out and "（试算，未保存）" in out
    assert "金水区：固定资产投资增速完成目标情况 12%，目标 10%" in out


@pytest.mark.parametrize("quarter", ["2022Q5", "2022-1", "Q1"])
def test_evaluate_refuses_a_malformed_quarter(quarter, orgs):
    with pytest.raises(CommandError, match="季度应为 YYYYQn 格式") as caught:
        run("evaluate", "--quarter", quarter)
    assert caught.value.returncode == 1


def test_evaluate_refuses_a_quarter_without_statistics(orgs):
    with pytest.raises(CommandError, match="尚无统计部门发布的固定资产投资数据"):
        run("evaluate", "--quarter", "2022Q2")
    assert not Evaluation.objects.exists()


# -- forecast ----------------------------------------------------------------------------------------------------


def test_forecast_lists_units_likely_to_miss_first(history):
    history({"jinshui": 100000, "zhongyuan": 80000}, {"jinshui": "1.15", "zhongyuan": "0.95"})
    rows = run_json("forecast", "--period", "2022-06")
    assert rows[0] == {"org": "zhongyuan", "name": "中原区", "ytd_wan": 39520, "last_year_total_wan": 80000,
                       "projected_growth": -5, "target": 10, "gap_points": -15, "needed_per_month_wan": 8080,
                       "likely_miss": True}
    assert rows[1]["org"] == "jinshui" and rows[1]["likely_miss"] is False
    out, _ = run("forecast", "--period", "2022-06")
    assert out.index("中原区") < out.index("金水区") and "可能完不成" in out


def test_forecast_without_figures_says_so(orgs):
    out, _ = run("forecast", "--period", "2022-06")
    assert "尚无可用于预测的官方统计数据" in out


def test_forecast_reports_the_target_of_the_periods_own_years_plan(orgs, business_date, two_year_plans):
    two_year_plans({"unit_fai_growth: {value: 10,": "unit_fai_growth: {value: 12,"})
    business_date("2023-07-15")
    for month, pct in enumerate(shared.SHAPE, start=1):
        shared.put_stats(orgs, "jinshui", 2021, month, growth="5", ytd_wan=str(1000 * pct))
        shared.put_stats(orgs, "jinshui", 2022, month, growth="10", ytd_wan=str(1100 * pct))
    for month in range(1, 7):
        shared.put_stats(orgs, "jinshui", 2023, month, growth="5", ytd_wan=str(1155 * shared.SHAPE[month - 1]))
    targets = {period: next(r for r in run_json("forecast", "--period", period) if r["org"] == "jinshui")["target"]
               for period in ("2022-06", "2023-06")}
    assert targets == {"2022-06": 10, "2023-06": 12}
