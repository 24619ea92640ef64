"""The problem API: scope (a unit its own, a department those routed to it, 404 otherwise), steps."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def two(raise_problem, users, make_project):
    land = raise_problem("land")                     # jinshui → zrj
    utilities = raise_problem("utilities", by="zhongyuan", project=make_project("zhongyuan"))  # zhongyuan → gxj
    return land, utilities


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_each_role_sees_its_scope(two, users, dept_user):
    land, utilities = two
    assert ids(api(users["jinshui"]).get("/api/v1/problems/")) == [land.pk]
    assert ids(api(users["zhongyuan"]).get("/api/v1/problems/")) == [utilities.pk]
    assert ids(api(users["gxj"]).get("/api/v1/problems/")) == [utilities.pk]
    assert ids(api(dept_user("zrj")).get("/api/v1/problems/")) == [land.pk]
    assert ids(api(dept_user("czj")).get("/api/v1/problems/")) == []
    for name in ("fgw", "dcs", "leader"):
        assert ids(api(users[name]).get("/api/v1/problems/")) == sorted([land.pk, utilities.pk])
    assert ids(api(users["auditor"]).get("/api/v1/problems/")) == []


def test_out_of_scope_problems_are_404(two, users):
    land, utilities = two
    assert api(users["jinshui"]).get(f"/api/v1/problems/{utilities.pk}/").status_code == 404
    assert api(users["gxj"]).get(f"/api/v1/problems/{land.pk}/").status_code == 404
    assert api(users["gxj"]).post(f"/api/v1/problems/{land.pk}/act/", {"action": "accept"},
                                  format="json").status_code == 404
    assert api(users["jinshui"]).get("/api/v1/problems/abc/").status_code == 404
    body = api(users["gxj"]).get(f"/api/v1/problems/{utilities.pk}/").json()
    assert body["department"] == "gxj" and body["events"][0]["action"] == "raise"


def test_raising_and_handling_through_the_api(users, make_project):
    project = make_project("jinshui")
    client = api(users["jinshui"])
    response = client.post("/api/v1/problems/", {"project": project.pk, "category": "utilities",
                                                 "title": "电力增容未批复"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["department"] == "gxj" and response.json()["deadline"]
    assert client.post("/api/v1/problems/", {"project": project.pk, "category": "x", "title": "t"},
                       format="json").json()["errors"]["category"]
    gxj = api(users["gxj"])
    assert gxj.post(f"/api/v1/problems/{pk}/act/", {"action": "close"}, format="json").status_code == 409
    assert gxj.post(f"/api/v1/problems/{pk}/act/", {"action": "accept"}, format="json").status_code == 200
    assert gxj.post(f"/api/v1/problems/{pk}/act/", {"action": "resolve"}, format="json").status_code == 400
    assert gxj.post(f"/api/v1/problems/{pk}/act/", {"action": "resolve", "note": "已接入"},
                    format="json").status_code == 200
    assert gxj.post(f"/api/v1/problems/{pk}/act/", {"action": "close"}, format="json").status_code == 403
    response = client.post(f"/api/v1/problems/{pk}/act/", {"action": "close"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert client.post(f"/api/v1/problems/{pk}/comments/", {"text": "感谢"}, format="json").status_code == 201
    assert AuditEntry.objects.filter(object_type="problems.problem", object_id=str(pk)).count() == 4


def test_read_only_roles_cannot_raise(users, make_project):
    project = make_project("jinshui")
    response = api(users["leader"]).post("/api/v1/problems/", {"project": project.pk, "category": "land",
                                                                 "title": "x"}, format="json")
    assert response.status_code == 403


def test_the_list_runs_a_bounded_number_of_queries(raise_problem, users, django_assert_max_num_queries):
    for _ in range(12):
        raise_problem("land")
    with django_assert_max_num_queries(8):
        assert len(api(users["fgw"]).get("/api/v1/problems/").json()["results"]) == 12


def test_resolution_stats_per_department_and_unit_within_scope(two, users):
    land, utilities = two
    client = api(users["gxj"])
    client.post(f"/api/v1/problems/{utilities.pk}/act/", {"action": "accept"}, format="json")
    client.post(f"/api/v1/problems/{utilities.pk}/act/", {"action": "resolve", "note": "已解决"}, format="json")
    rows = api(users["fgw"]).get("/api/v1/problems/stats/").json()
    by_code = {row["code"]: row for row in rows}
    assert by_code["gxj"]["rate"] == 100.0 and by_code["gxj"]["avg_days"] is not None
    assert by_code["zrj"]["rate"] == 0.0 and by_code["zrj"]["open"] == 1
    assert [row["code"] for row in client.get("/api/v1/problems/stats/?by=unit").json()] == ["zhongyuan"]
    assert client.get("/api/v1/problems/stats/?by=nothing").status_code == 400
