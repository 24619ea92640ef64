"""Assessment pages through the Django test client: who sees what, the forms that write (audited),
bounded queries, and that a unit sees every unit's rank but never a link to another unit's projects."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tuijin.assessment.models import Escalation, Evaluation
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import Org
from tuijin.stats.models import UnitTarget

from . import test_services as shared
from .test_services import Q1_GROWTH, put_stats

stats, history = shared.stats, shared.history  # fixtures shared with the service tests

pytestmark = pytest.mark.django_db

PAGES = ("assessment:rankings", "assessment:escalations", "assessment:evaluation", "assessment:forecast",
         "assessment:targets")


def units_in_order(response) -> list[str]:
    return re.findall(r'<tr data-unit="([a-z]+)"', response.content.decode())


def project_links(response) -> set[str]:
    return set(re.findall(r'/projects/\?unit=([a-z]+)', response.content.decode()))


# -- who may open -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["fgw", "jinshui", "leader", "dcs", "gxj"])
def test_every_business_user_opens_the_pages(client_for, stats, name, username):
    stats()
    assert client_for(username).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_the_administrators_see_no_business_data(client_for, name, username):
    assert client_for(username).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(("name", "marker"), [
    ("assessment:rankings", "no-data"), ("assessment:escalations", "no-escalation"),
    ("assessment:evaluation", "no-data"), ("assessment:forecast", "no-data"), ("assessment:targets", "targets-table"),
])
def test_the_pages_say_so_when_nothing_is_imported_yet(client_for, orgs, name, marker):
    response = client_for("fgw").get(reverse(name))
    assert response.status_code == 200 and f'data-testid="{marker}"' in response.content.decode()


@pytest.mark.parametrize("name", ["assessment:rankings", "assessment:escalations", "assessment:forecast",
                                  "assessment:targets"])
def test_a_malformed_period_is_a_400_with_a_chinese_message(client_for, orgs, name):
    response = client_for("fgw").get(reverse(name), {"period": "2022-13"})
    assert response.status_code == 400 and "统计期应为 YYYY-MM 格式" in response.content.decode()


def test_a_malformed_quarter_is_a_400(client_for, orgs):
    response = client_for("fgw").get(reverse("assessment:evaluation"), {"quarter": "2022Q7"})
    assert response.status_code == 400 and "季度应为 YYYYQn 格式" in response.content.decode()


def test_the_navigation_offers_the_assessment_pages(client_for, orgs):
    page = client_for("jinshui").get(reverse("assessment:rankings")).content.decode()
    for name in ("assessment:rankings", "assessment:evaluation", "assessment:forecast"):
        assert f'href="{reverse(name)}"' in page


# -- rankings -----------------------------------------------------------------------------------------------


def test_a_unit_sees_every_units_rank_but_links_only_to_its_own_projects(client_for, stats):
    stats()
    response = client_for("jinshui").get(reverse("assessment:rankings"), {"period": "2022-04"})
    page = response.content.decode()
    assert units_in_order(response)[:4] == ["jinshui", "erqi", "guancheng", "zhongyuan"]
    assert "中原区" in page and "5.00" in page  # another unit's rank and value: aggregates
    assert project_links(response) == {"jinshui"}
    assert 'data-testid="own-rank"' in page
    assert "名次" in page and "累计增速（%）" in page and "末位" in page  # in Chinese, percent signs included
    assert 'id="ranking-data"' in page and "echarts.min.js" in page and "assessment/charts.js" in page


def test_the_city_links_to_every_units_projects(client_for, stats):
    stats()
    response = client_for("fgw").get(reverse("assessment:rankings"), {"period": "2022-04"})
    assert project_links(response) == set(Org.objects.reporting_units().values_list("code", flat=True))


def test_the_ranking_defaults_to_the_newest_month_and_reads_other_indicators(client_for, stats):
    stats()
    stats({"erqi": ("20",), "jinshui": ("3",)}, indicator="industrial")
    fai = client_for("leader").get(reverse("assessment:rankings"))
    assert fai.context["period"] == "2022-04"
    industrial = client_for("leader").get(reverse("assessment:rankings"), {"indicator": "industrial",
                                                                           "period": "2022-01"})
    assert units_in_order(industrial)[:2] == ["erqi", "jinshui"]
    assert client_for("leader").get(reverse("assessment:rankings"), {"indicator": "gdp"}).status_code == 400


def test_the_rankings_page_runs_a_bounded_number_of_queries(client_for, stats, orgs,
                                                            django_assert_max_num_queries):
    stats()
    client = client_for("jinshui")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("assessment:rankings"), {"period": "2022-04"})
    for code in Org.objects.reporting_units().exclude(code__in=("jinshui", "zhongyuan", "erqi", "guancheng")) \
            .values_list("code", flat=True):
        put_stats(orgs, code, 2022, 4, growth="9", ytd_wan="100")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assessment:rankings"), {"period": "2022-04"})


# -- escalations --------------------------------------------------------------------------------------------------


def test_escalations_show_their_level_badges(client_for, stats):
    stats()
    response = client_for("jinshui").get(reverse("assessment:escalations"), {"period": "2022-04"})
    page = response.content.decode()
    assert re.findall(r'data-unit="(\w+)" data-level="(\w+)"', page) == [("zhongyuan", "mayor_talk"),
                                                                        ("guancheng", "notice")]
    assert "市主要领导约谈" in page and 'data-testid="record-escalations"' not in page


def test_the_supervision_office_records_and_follows_up_escalations(client_for, stats):
    stats()
    client = client_for("dcs")
    page = client.get(reverse("assessment:escalations"), {"period": "2022-04"}).content.decode()
    assert 'data-testid="record-escalations"' in page
    response = client.post(reverse("assessment:escalations-record"), {"period": "2022-04"})
    assert response.status_code == 302 and Escalation.objects.count() == 2
    record = Escalation.objects.get(org__code="zhongyuan")
    response = client.post(reverse("assessment:escalation-follow-up", args=[record.pk]),
                           {f"e{record.pk}-status": "following", f"e{record.pk}-note": "已约谈区长", "period": "2022-04"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "following" and record.follow_up.endswith("dcs：已约谈区长")
    entry = AuditEntry.objects.filter(object_type="assessment.escalation", action="update").get()
    assert entry.actor_name == "dcs" and entry.source == "web"
    page = client.get(reverse("assessment:escalations"), {"period": "2022-04"}).content.decode()
    assert "已约谈区长" in page and 'data-testid="record-escalations"' not in page


def test_other_units_see_the_status_but_not_the_notes(client_for, stats, users):
    stats()
    client_for("dcs").post(reverse("assessment:escalations-record"), {"period": "2022-04"})
    record = Escalation.objects.get(org__code="zhongyuan")
    client_for("dcs").post(reverse("assessment:escalation-follow-up", args=[record.pk]),
                           {f"e{record.pk}-status": "following", f"e{record.pk}-note": "约谈安排在周五"})
    assert "约谈安排在周五" in client_for("zhongyuan").get(reverse("assessment:escalations")).content.decode()
    other = client_for("jinshui").get(reverse("assessment:escalations")).content.decode()
    assert "约谈安排在周五" not in other and f'data-escalation="{record.pk}"' in other


def test_the_escalations_page_runs_a_bounded_number_of_queries(client_for, stats, orgs,
                                                               django_assert_max_num_queries):
    stats()
    client_for("dcs").post(reverse("assessment:escalations-record"), {"period": "2022-01"})
    client = client_for("dcs")
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("assessment:escalations"), {"period": "2022-04"})
    baseline = len(few.captured_queries)  # read now: the next request clears the query log
    for month in ("2022-02", "2022-03", "2022-04"):
        client.post(reverse("assessment:escalations-record"), {"period": month})
    assert Escalation.objects.count() == 6  # January 2, February 1, March 1, April 2
    with django_assert_max_num_queries(baseline):
        client.get(reverse("assessment:escalations"), {"period": "2022-04"})


def test_units_and_leaders_cannot_record_or_follow_up(client_for, stats):
    stats()
    client_for("dcs").post(reverse("assessment:escalations-record"), {"period": "2022-04"})
    record = Escalation.objects.get(org__code="zhongyuan")
    for name in ("jinshui", "leader"):
        client = client_for(name)
        assert client.post(reverse("assessment:escalations-record"), {"period": "2022-03"}).status_code == 403
        response = client.post(reverse("assessment:escalation-follow-up", args=[record.pk]),
                               {f"e{record.pk}-status": "closed"})
        assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == "open" and Escalation.objects.count() == 2


# -- evaluation ------------------------------------------------------------------------------------------------


def test_the_city_runs_the_evaluation_and_every_score_is_explained(client_for, stats):
    stats(Q1_GROWTH, first_month=3)
    client = client_for("fgw")
    page = client.get(reverse("assessment:evaluation")).content.decode()
    assert 'data-testid="not-run"' in page and 'data-testid="run-evaluation"' in page
    response = client.post(reverse("assessment:evaluation-run"), {"quarter": "2022Q1"})
    assert response.status_code == 302 and response["Location"].endswith("?quarter=2022Q1")
    evaluation = Evaluation.objects.get()
    response = client_for("jinshui").get(reverse("assessment:evaluation"))
    page = response.content.decode()
    assert units_in_order(response)[:4] == ["jinshui", "zhongyuan", "erqi", "guancheng"]
    assert evaluation.plan_hash in page
    assert "固定资产投资增速完成目标情况 12%，目标 10%，完成率 120.00%" in page
    assert 'data-testid="explanation-guancheng"' in page and "专项债券模块尚未上线" in page
    assert 'data-testid="run-evaluation"' not in page
    assert project_links(response) == {"jinshui"}


def test_only_the_city_administrator_runs_the_evaluation(client_for, stats):
    stats(Q1_GROWTH, first_month=3)
    for name in ("jinshui", "leader", "dcs"):
        assert client_for(name).post(reverse("assessment:evaluation-run"), {"quarter": "2022Q1"}).status_code == 403
    assert not Evaluation.objects.exists()


def test_running_an_evaluation_without_statistics_explains_why(client_for, orgs):
    response = client_for("fgw").post(reverse("assessment:evaluation-run"), {"quarter": "2022Q2"})
    assert response.status_code == 400 and "尚无统计部门发布的固定资产投资数据" in response.content.decode()


def test_the_evaluation_page_runs_a_bounded_number_of_queries(client_for, stats, django_assert_max_num_queries):
    stats(Q1_GROWTH, first_month=3)
    client = client_for("fgw")
    client.post(reverse("assessment:evaluation-run"), {"quarter": "2022Q1"})
    with django_assert_max_num_queries(14):
        assert client.get(reverse("assessment:evaluation"), {"quarter": "2022Q1"}).status_code == 200


# -- forecast ------------------------------------------------------------------------------------------------------


def test_the_forecast_shows_likely_misses_first_and_the_backtest_error(client_for, history, orgs):
    history({"jinshui": 100000, "zhongyuan": 80000, "erqi": 50000},
            {"jinshui": "1.15", "zhongyuan": "0.95", "erqi": "1.02"})
    for unit, total in (("jinshui", "90000"), ("zhongyuan", "76000"), ("erqi", "47000")):
        put_stats(orgs, unit, 2020, 12, growth="3", ytd_wan=total)
    response = client_for("zhongyuan").get(reverse("assessment:forecast"), {"period": "2022-06"})
    page = response.content.decode()
    assert units_in_order(response)[:3] == ["zhongyuan", "erqi", "jinshui"]
    assert page.count('data-testid="likely-miss"') == 2
    assert 'data-testid="backtest-error"' in page and response.context["backtest"]["year"] == 2021
    assert 'id="forecast-data"' in page and 'id="backtest-data"' in page
    assert project_links(response) == {"zhongyuan"}


def test_the_forecast_page_runs_a_bounded_number_of_queries(client_for, history, django_assert_max_num_queries):
    history({"jinshui": 100000, "zhongyuan": 80000}, {"jinshui": "1.15", "zhongyuan": "0.95"})
    client = client_for("leader")
    with django_assert_max_num_queries(12):
        client.get(reverse("assessment:forecast"), {"period": "2022-06"})


# -- targets ----------------------------------------------------------------------------------------------------------


def test_the_city_edits_a_units_target_and_it_is_audited(client_for, stats):
    stats()
    client = client_for("fgw")
    page = client.get(reverse("assessment:targets"), {"period": "2022-04"}).content.decode()
    assert 'data-testid="edit-jinshui-fai"' in page
    url = reverse("assessment:target-edit", args=["jinshui", "fai"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"growth_target": "12", "note": "主动加压"})
    assert response.status_code == 302
    target = UnitTarget.objects.get()
    assert (target.org.code, target.indicator, target.year, target.growth_target) == ("jinshui", "fai", 2022, 12)
    entry = AuditEntry.objects.get(object_type="stats.unittarget")
    assert entry.actor_name == "fgw" and entry.source == "web" and entry.after["note"] == "主动加压"
    page = client.get(reverse("assessment:targets"), {"period": "2022-04"}).content.decode()
    assert 'data-indicator="fai" data-source="city"' in page
    assert client.post(url, {"reset": "1", "growth_target": ""}).status_code == 302
    assert not UnitTarget.objects.exists()


def test_a_bad_target_is_shown_on_the_form(client_for, orgs):
    response = client_for("fgw").post(reverse("assessment:target-edit", args=["jinshui", "fai"]),
                                      {"growth_target": "300"})
    assert response.status_code == 400 and "增长目标应在" in response.content.decode()
    assert not UnitTarget.objects.exists()


@pytest.mark.parametrize("username", ["jinshui", "leader", "dcs", "gxj"])
def test_only_the_city_administrator_edits_targets(client_for, orgs, username):
    client = client_for(username)
    url = reverse("assessment:target-edit", args=["jinshui", "fai"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"growth_target": "20"}).status_code == 403
    assert not UnitTarget.objects.exists()
    assert 'data-testid="edit-jinshui-fai"' not in client.get(reverse("assessment:targets")).content.decode()


def test_an_unknown_unit_or_indicator_is_refused(client_for, orgs):
    client = client_for("fgw")
    assert client.get(reverse("assessment:target-edit", args=["nowhere", "fai"])).status_code == 404
    assert client.get(reverse("assessment:target-edit", args=["jinshui", "gdp"])).status_code == 400


def test_the_targets_page_runs_a_bounded_number_of_queries(client_for, stats, django_assert_max_num_queries):
    stats()
    client = client_for("jinshui")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessment:targets"), {"period": "2022-04"})
    assert len(units_in_order(response)) == 16 and project_links(response) == {"jinshui"}
