"""The assessment API: shapes, 400 for a malformed period or quarter, who may read and run, and the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tuijin.assessment.models import Evaluation
from tuijin.audit.models import AuditEntry
from tuijin.plan import plan_for

from . import test_services as shared
from .test_services import Q1_GROWTH

stats, history = shared.stats, shared.history  # fixtures shared with the service tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return make


# -- rankings ---------------------------------------------------------------------------------------------


def test_rankings_give_every_unit_its_rank_and_value(api, stats):
    stats()
    body = api("jinshui").get("/api/v1/rankings/", {"period": "2022-01", "indicator": "fai"}).json()
    assert body["period"] == "2022-01" and body["indicator"] == "fai" and body["indicator_name"] == "固定资产投资"
    assert len(body["results"]) == 16
    assert body["results"][2] == {"org": "guancheng", "name": "管城回族区", "group": "全市", "value": 8.0, "rank": 3,
                                  "ytd_wan": "1000.0000", "last_place": True}
    assert body["results"][4]["value"] is None and body["results"][4]["ytd_wan"] is None


def test_rankings_default_to_the_newest_month(api, stats):
    stats()
    assert api("leader").get("/api/v1/rankings/").json()["period"] == "2022-04"


def test_rankings_before_any_import_are_empty(api, orgs):
    assert api("fgw").get("/api/v1/rankings/").json() == {"period": None, "indicator": "fai",
                                                          "indicator_name": "固定资产投资", "results": []}


@pytest.mark.parametrize(("url", "params", "field"), [
    ("/api/v1/rankings/", {"period": "2022-13"}, "period"),
    ("/api/v1/rankings/", {"period": "2022-01", "indicator": "gdp"}, "indicator"),
    ("/api/v1/escalations/", {"period": "22-01"}, "period"),
    ("/api/v1/forecast/", {"period": "2022/06"}, "period"),
    ("/api/v1/evaluations/", {"quarter": "2022Q9"}, "quarter"),
])
def test_a_malformed_parameter_is_a_400_naming_the_field(api, orgs, url, params, field):
    response = api("fgw").get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"] and body["detail"]


@pytest.mark.parametrize("url", ["/api/v1/rankings/", "/api/v1/escalations/", "/api/v1/evaluations/",
                                 "/api/v1/forecast/"])
def test_the_administrators_and_anonymous_users_are_refused(api, url):
    assert api("auditor").get(url).status_code == 403
    assert APIClient().get(url).status_code == 401


# -- escalations ---------------------------------------------------------------------------------------------


def test_escalations_list_the_streaks_and_the_follow_up_status(api, stats):
    stats()
    body = api("jinshui").get("/api/v1/escalations/", {"period": "2022-04"}).json()
    assert body["period"] == "2022-04"
    assert [(r["org"], r["streak"], r["level"], r["status"]) for r in body["results"]] == [
        ("zhongyuan", 4, "mayor_talk", None), ("guancheng", 1, "notice", None)]
    assert body["results"][0]["label"] == "市主要领导约谈" and body["results"][0]["value"] == 5.0
    from tuijin.assessment import services
    from tuijin.audit.context import audit_context

    with audit_context(source="system"):
        services.escalations_record(actor=None, year=2022, month=4)
    body = api("jinshui").get("/api/v1/escalations/", {"period": "2022-04"}).json()
    assert {r["status"] for r in body["results"]} == {"open"}


# -- evaluations ------------------------------------------------------------------------------------------------


def test_the_city_runs_an_evaluation_and_everyone_reads_it(api, stats):
    stats(Q1_GROWTH, first_month=3)
    assert api("fgw").get("/api/v1/evaluations/", {"quarter": "2022Q1"}).status_code == 404
    response = api("fgw").post("/api/v1/evaluations/", {"quarter": "2022Q1"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["quarter"] == "2022Q1" and body["plan_hash"] == plan_for(2022).hash and body["computed_by"] == "fgw"
    top = [(r["org"], r["score"], r["rank"], r["award_wan"]) for r in body["results"][:4]]
    assert top == [("jinshui", 40.0, 1, "150.0000"), ("zhongyuan", 36.0, 2, "100.0000"),
                   ("erqi", 32.0, 3, "100.0000"), ("guancheng", 32.0, 3, "100.0000")]
    part = body["results"][0]["indicators"]["fai_growth"]
    assert part["points"] == "40.00" and part["explanation"].startswith("固定资产投资增速完成目标情况")
    assert body["results"][0]["explanation"].endswith("合计 40.00 分")
    read = api("zhongyuan").get("/api/v1/evaluations/").json()  # newest evaluation by default
    assert read["quarter"] == "2022Q1" and read["results"] == body["results"]
    assert AuditEntry.objects.get(object_type="assessment.evaluation").source == "api"


@pytest.mark.parametrize("username", ["jinshui", "leader", "dcs"])
def test_only_the_city_administrator_runs_an_evaluation(api, stats, username):
    stats(Q1_GROWTH, first_month=3)
    response = api(username).post("/api/v1/evaluations/", {"quarter": "2022Q1"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("body", "message"), [({"quarter": "2022Q0"}, "季度应为"), ({}, ""),
                                               ({"quarter": "2022Q2"}, "尚无统计部门发布的固定资产投资数据")])
def test_a_bad_evaluation_request_is_a_400(api, orgs, body, message):
    response = api("fgw").post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400 and message in response.json()["detail"] + str(response.json())
    assert not Evaluation.objects.exists()


# -- forecast -----------------------------------------------------------------------------------------------------


def test_the_forecast_lists_likely_misses_first_with_the_backtest(api, history, orgs):
    from .test_services import put_stats

    history({"jinshui": 100000, "zhongyuan": 80000}, {"jinshui": "1.15", "zhongyuan": "0.95"})
    for unit, total in (("jinshui", "90000"), ("zhongyuan", "76000")):
        put_stats(orgs, unit, 2020, 12, growth="3", ytd_wan=total)
    body = api("jinshui").get("/api/v1/forecast/", {"period": "2022-06"}).json()
    first = body["results"][0]
    assert body["period"] == "2022-06"
    assert {k: first[k] for k in ("org", "projected_growth", "target", "gap_points", "needed_per_month_wan",
                                  "likely_miss", "shares_source")} == {
        "org": "zhongyuan", "projected_growth": -5.0, "target": 10.0, "gap_points": -15.0,
        "needed_per_month_wan": "8080.0000", "likely_miss": True, "shares_source": "unit"}
    assert body["results"][1]["org"] == "jinshui" and not body["results"][1]["likely_miss"]
    assert body["backtest"]["year"] == 2021 and body["backtest"]["units_tested"] == 2
    assert len(body["backtest"]["by_month"]) == 11


# -- schema --------------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_assessment_operations_and_their_errors(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for route in ("/api/v1/rankings/", "/api/v1/escalations/", "/api/v1/evaluations/", "/api/v1/forecast/"):
        responses = paths[route]["get"]["responses"]
        assert {"200", "400", "403"} <= set(responses), route
    assert {"201", "400", "403"} <= set(paths["/api/v1/evaluations/"]["post"]["responses"])
    params = {p["name"] for p in paths["/api/v1/rankings/"]["get"]["parameters"]}
    assert {"period", "indicator"} <= params
