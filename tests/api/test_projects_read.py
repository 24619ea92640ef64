"""Reading projects through the API: list, filters, pagination, detail, scope and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.audit.context import audit_context
from tuijin.orgs.models import Org
from tuijin.projects.models import ApprovalItem, StageMove

pytestmark = pytest.mark.django_db

LIST = "/api/v1/projects/"


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["results"]}


def test_the_list_is_paginated_with_count_and_results(api, make_project):
    for _ in range(3):
        make_project("jinshui")
    body = api("fgw").get(LIST, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2
    second = api("fgw").get(LIST, {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_a_page_past_the_end_is_not_found(api, make_project):
    make_project("jinshui")
    response = api("fgw").get(LIST, {"page": 9})
    assert response.status_code == 404 and response.json()["detail"]


def test_a_list_row_carries_every_glossary_field(api, make_project):
    make_project("jinshui", tags=("city_key",), total_investment_yuan=123456789)
    row = api("fgw").get(LIST).json()["results"][0]
    for name in ("id", "project_code", "name", "unit", "stage", "category", "field", "nature", "investment_type",
                 "total_investment", "annual_plans", "planned_start", "planned_end", "actual_start", "actual_end",
                 "tags", "departments", "leader", "owner_name", "owner_uscc", "leading_industry", "address",
                 "lat", "lon", "content", "contact_name", "contact_phone", "in_statistics", "statistics_date",
                 "green_channel", "green_channel_reason", "version", "created_at", "updated_at"):
        assert name in row, name
    assert row["unit"] == "jinshui"
    assert row["total_investment"] == "12345.6789"
    assert row["annual_plans"] == {"2022": "1000.0000"}
    assert row["tags"] == ["city_key"]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"金水区智能装备产业园", "中原区棚户区改造安置房"}),
    ({"unit": "jinshui"}, {"金水区智能装备产业园"}),
    ({"unit": "zhongyuan"}, {"中原区棚户区改造安置房"}),
    ({"stage": "construction"}, {"中原区棚户区改造安置房"}),
    ({"stage": "reserve"}, {"金水区智能装备产业园"}),
    ({"field": "advanced_manufacturing"}, {"金水区智能装备产业园"}),
    ({"category": "real_estate"}, {"中原区棚户区改造安置房"}),
    ({"tag": "city_key"}, {"金水区智能装备产业园"}),
    ({"tag": "reconstruction"}, {"中原区棚户区改造安置房"}),
    ({"tag": "reits"}, set()),
    ({"q": "棚户区"}, {"中原区棚户区改造安置房"}),
    ({"q": "智造"}, {"金水区智能装备产业园"}),  # the owner's name
    ({"unit": "jinshui", "category": "real_estate"}, set()),
    ({"unit": "", "q": ""}, {"金水区智能装备产业园", "中原区棚户区改造安置房"}),
])
def test_each_filter_narrows_the_list(api, two_projects, params, expected):
    response = api("fgw").get(LIST, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_search_matches_the_project_code(api, two_projects):
    code = two_projects["zhongyuan"].project_code
    assert names(api("fgw").get(LIST, {"q": code[-6:]})) == {"中原区棚户区改造安置房"}


@pytest.mark.parametrize("params", [{"stage": "nowhere"}, {"tag": "bogus"}, {"q": "x" * 101}, {"unit": "a\x00b"}])
def test_a_malformed_filter_is_a_400_naming_it(api, two_projects, params):
    response = api("fgw").get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_a_unit_user_lists_only_its_own_projects(api, two_projects):
    assert names(api("jinshui").get(LIST)) == {"金水区智能装备产业园"}
    # Asking for another unit does not widen the scope.
    assert names(api("jinshui").get(LIST, {"unit": "zhongyuan"})) == set()


@pytest.mark.parametrize("username", ["leader", "dcs", "gxj"])
def test_city_wide_read_only_roles_see_every_project(api, two_projects, username):
    assert api(username).get(LIST).json()["count"] == 2


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_the_three_administrators_see_no_projects(api, two_projects, username):
    client = api(username)
    assert client.get(LIST).json() == {"count": 0, "next": None, "previous": None, "results": []}
    response = client.get(f"{LIST}{two_projects['jinshui'].pk}/")
    assert response.status_code == 404


def test_the_detail_adds_stage_moves_and_approval_items(api, two_projects, users, orgs):
    project = two_projects["jinshui"]
    with audit_context(source="system"):
        StageMove.objects.create(project=project, from_stage="reserve", to_stage="ready", actor=users["fgw"],
                                 reason="手续齐备")
        ApprovalItem.objects.create(project=project, code="eia", name="环境影响评价审批",
                                    department=Org.objects.get(code="sthjj"), status="done")
    body = api("jinshui").get(f"{LIST}{project.pk}/").json()
    assert body["name"] == project.name and body["unit"] == "jinshui"
    move = body["stage_moves"][0]
    assert (move["from"], move["to"], move["actor"], move["reason"]) == ("reserve", "ready", "fgw", "手续齐备")
    assert move["at"]
    item = body["approval_items"][0]
    assert (item["code"], item["department"], item["status"]) == ("eia", "sthjj", "done")


def test_another_units_project_is_not_found(api, two_projects):
    response = api("jinshui").get(f"{LIST}{two_projects['zhongyuan'].pk}/")
    assert response.status_code == 404
    assert "中原区" not in response.content.decode()


@pytest.mark.parametrize("pk", ["999999", "abc", str(2**64), "0"])
def test_an_id_that_names_no_project_is_not_found(api, two_projects, pk):
    response = api("fgw").get(f"{LIST}{pk}/")
    assert response.status_code == 404 and response.json()["detail"]


def test_anonymous_requests_are_refused(client, two_projects):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_few_queries_for_5_or_50_rows(api, make_project, orgs, django_assert_max_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            project = make_project("jinshui", tags=("city_key", "special_bond"))
            project.departments.set([orgs["fgw"], orgs["gxj"]])

    client = api("fgw")
    add(5)
    five = _queries(client, LIST)
    add(45)
    with django_assert_max_num_queries(five):
        body = client.get(LIST, {"page_size": 100}).json()
    assert body["count"] == 50 and len(body["results"]) == 50
    assert all(row["departments"] == ["fgw", "gxj"] for row in body["results"])
    assert five <= 10
