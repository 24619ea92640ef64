"""The supervision API: tasks scoped to the assigned organisation (404 otherwise), create, follow up, close."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_office_creates_and_the_unit_follows_up_and_closes(users, orgs):
    dcs = api(users["dcs"])
    response = dcs.post("/api/v1/supervision/tasks/", {"org": "jinshui", "title": "加快项目开工", "measure": "倒排工期",
                                                       "deadline": "2099-06-30", "assignee": "jinshui"},
                        format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api(users["jinshui"]).post("/api/v1/supervision/tasks/", {"org": "jinshui", "title": "x"},
                                      format="json").status_code == 403
    assert dcs.post("/api/v1/supervision/tasks/", {"org": "nowhere", "title": "x"},
                    format="json").json()["errors"]["org"]
    assert dcs.post("/api/v1/supervision/tasks/", {"org": "jinshui", "title": "x", "deadline": "2001-01-01"},
                    format="json").status_code == 400
    unit = api(users["jinshui"])
    assert unit.post(f"/api/v1/supervision/tasks/{pk}/follow-ups/", {"note": "已开工"}, format="json").status_code == 201
    assert unit.post(f"/api/v1/supervision/tasks/{pk}/close/", {"evidence": ""}, format="json").status_code == 400
    response = unit.post(f"/api/v1/supervision/tasks/{pk}/close/", {"evidence": "开工照片已上传"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert len(response.json()["follow_ups"]) == 1
    assert unit.post(f"/api/v1/supervision/tasks/{pk}/close/", {"evidence": "x"}, format="json").status_code == 409
    other = api(users["zhongyuan"])
    assert other.get(f"/api/v1/supervision/tasks/{pk}/").status_code == 404
    assert other.get("/api/v1/supervision/tasks/").json()["count"] == 0
    assert api(users["leader"]).get("/api/v1/supervision/tasks/").json()["count"] == 1


def test_the_list_filters_and_runs_a_bounded_number_of_queries(users, orgs, django_assert_max_num_queries):
    dcs = api(users["dcs"])
    for i in range(10):
        dcs.post("/api/v1/supervision/tasks/", {"org": "jinshui" if i % 2 else "gxj", "title": f"任务{i}"},
                 format="json")
    with django_assert_max_num_queries(8):
        assert dcs.get("/api/v1/supervision/tasks/").json()["count"] == 10
    assert api(users["gxj"]).get("/api/v1/supervision/tasks/").json()["count"] == 5
    assert dcs.get("/api/v1/supervision/tasks/?overdue=true").json()["count"] == 0
    assert dcs.get("/api/v1/supervision/tasks/?overdue=maybe").status_code == 400
