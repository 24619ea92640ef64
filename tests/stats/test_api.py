"""The official-statistics API: list with filters, import (multipart), coverage; who reads, who imports."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tuijin.stats.models import OfficialStat

from .conftest import month_rows, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users, tjj) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def loaded(tjj, xlsx):
    run_import(tjj, xlsx(month_rows()), period="2022-06")
    run_import(tjj, xlsx(month_rows(base=90_000, growth=3)), period="2021-06")
    run_import(tjj, xlsx(month_rows(indicator="industrial", base=20_000)), period="2022-06")


def test_the_list_gives_every_figure_with_money_in_wan(api, loaded):
    body = api("fgw").get("/api/v1/stats/", {"period": "2022-06", "org": "jinshui", "indicator": "fai"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {k: row[k] for k in ("org", "org_name", "indicator", "indicator_name", "period", "year", "month",
                                "ytd_value", "yoy_growth")} == {
        "org": "jinshui", "org_name": "金水区", "indicator": "fai", "indicator_name": "固定资产投资",
        "period": "2022-06", "year": 2022, "month": 6, "ytd_value": "103000.0000", "yoy_growth": "8.30"}


@pytest.mark.parametrize(("params", "count"), [
    ({}, 51), ({"year": 2021}, 17), ({"period": "2022-06"}, 34), ({"indicator": "industrial"}, 17),
    ({"org": "city"}, 3), ({"org": "city", "year": 2022, "indicator": "fai"}, 1), ({"period": "2022-6"}, 34),
])
def test_the_filters_combine(api, loaded, params, count):
    assert api("leader").get("/api/v1/stats/", params).json()["count"] == count


@pytest.mark.parametrize("params", [{"period": "2022-13"}, {"org": "tjj"}, {"indicator": "gdp"}, {"year": 1800},
                                    {"year": "x"}])
def test_bad_filters_are_a_400_naming_the_field(api, loaded, params):
    response = api("fgw").get("/api/v1/stats/", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"])


@pytest.mark.parametrize("username", ["jinshui", "zhongyuan", "gxj", "dcs", "leader", "tjj"])
def test_every_business_role_reads_official_figures(api, loaded, username):
    assert api(username).get("/api/v1/stats/", {"org": "zhongyuan"}).json()["count"] == 3


@pytest.mark.parametrize("username", ["auditor", "sysadmin", "secadmin"])
def test_the_three_administrators_do_not(api, loaded, username):
    assert api(username).get("/api/v1/stats/").status_code == 403
    assert api(username).get("/api/v1/stats/coverage/", {"period": "2022-06"}).status_code == 403


def test_anonymous_requests_are_refused(loaded):
    assert APIClient().get("/api/v1/stats/").status_code == 401


def test_the_list_runs_a_bounded_number_of_queries(api, loaded):
    client = api("fgw")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/stats/", {"page_size": 5}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/stats/", {"page_size": 50}).status_code == 200
    assert len(many) == len(few) <= 8


def test_the_bureau_imports_by_upload_with_the_cli_json(api, xlsx):
    path = xlsx(month_rows())
    with path.open("rb") as fh:
        response = api("tjj").post("/api/v1/stats/import/", {"file": fh, "period": "2022-06"}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["summary"]["created"] == 17 and body["summary"]["periods"] == ["2022-06"]
    assert OfficialStat.objects.count() == 17
    with path.open("rb") as fh:
        again = api("fgw").post("/api/v1/stats/import/", {"file": fh, "period": "2022-06", "dry_run": "true"},
                                format="multipart").json()
    assert again["summary"]["unchanged"] == 17 and again["summary"]["dry_run"] is True


def test_an_upload_with_errors_is_a_200_listing_them_and_writes_nothing(api, xlsx):
    path = xlsx([["nowhere", "fai", 1, 1], ["jinshui", "gdp", 1, 1]])
    with path.open("rb") as fh:
        body = api("tjj").post("/api/v1/stats/import/", {"file": fh, "period": "2022-06"}, format="multipart").json()
    assert body["ok"] is False
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "单位代码"), (3, "指标")]
    assert not OfficialStat.objects.exists()


@pytest.mark.parametrize("username", ["jinshui", "leader", "gxj", "auditor"])
def test_others_may_not_import(api, xlsx, username):
    with xlsx(month_rows()).open("rb") as fh:
        response = api(username).post("/api/v1/stats/import/", {"file": fh, "period": "2022-06"}, format="multipart")
    assert response.status_code == 403 and "统计局" in response.json()["detail"]
    assert not OfficialStat.objects.exists()


@pytest.mark.parametrize(("data", "field"), [({"period": "2022-06"}, "file"), ({"period": "2099-01"}, "period")])
def test_a_missing_file_or_a_future_period_is_a_400(api, xlsx, data, field):
    with xlsx(month_rows()).open("rb") as fh:
        if field != "file":
            data = {**data, "file": fh}
        response = api("tjj").post("/api/v1/stats/import/", data, format="multipart")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_coverage_sets_project_sums_beside_the_official_figures(api, loaded):
    rows = api("jinshui").get("/api/v1/stats/coverage/", {"period": "2022-06"}).json()
    assert [r["org"] for r in rows][:2] == ["city", "zhongyuan"] and len(rows) == 17
    assert rows[1]["official_ytd"] == "100000.0000" and rows[1]["project_ytd"] is None and rows[1]["coverage"] is None
    assert api("fgw").get("/api/v1/stats/coverage/").status_code == 400
    assert api("fgw").get("/api/v1/stats/coverage/", {"period": "x"}).status_code == 400


def test_the_schema_documents_the_stats_operations(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"400", "403", "404"} <= set(paths["/api/v1/stats/"]["get"]["responses"])
    assert {"period", "year", "org", "indicator"} <= {p["name"] for p in paths["/api/v1/stats/"]["get"]["parameters"]}
    assert {"200", "400", "403"} <= set(paths["/api/v1/stats/import/"]["post"]["responses"])
    assert "multipart/form-data" in paths["/api/v1/stats/import/"]["post"]["requestBody"]["content"]
    assert "/api/v1/stats/coverage/" in paths
