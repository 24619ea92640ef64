"""The monthly-reporting API through DRF's APIClient: periods, progress rows, the workflow actions,
import (sync and as a job), jobs; scope (404), read-only roles (403), conflicts (409), bounded queries,
and the OpenAPI documentation of every error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry
from tuijin.jobs.models import Job
from tuijin.reporting.models import ProgressReport, UnitPeriod
from tuijin.toolkit.money import wan_to_yuan

from . import test_workflow as workflow
from .import_fixtures import build_xlsx, data_row
from .test_workflow import save, submit

building, clock = workflow.building, workflow.clock  # fixtures shared with the workflow tests

pytestmark = pytest.mark.django_db

@pytest.fixture
def api(users) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(users[username])
        return client

    return make


def body_for(project: Any, **extra: Any) -> dict[str, Any]:
    return {"project": project.pk, "period": "2022-07", "month_amount": "120.5", "physical_progress": "主体施工",
            "percent_complete": "35.5", "started": True, **extra}


# -- periods -------------------------------------------------------------------

def test_periods_list_and_detail_with_their_deadline(api, clock):
    detail = api("fgw").get("/api/v1/periods/2022-09/")
    assert detail.status_code == 200
    body = detail.json()
    assert (body["code"], body["deadline"], body["opens_on"]) == ("2022-09", "2022-10-12", "2022-09-01")
    assert body["time_progress"] == "75.00" and len(body["submissions"]) == 16
    listed = api("fgw").get("/api/v1/periods/").json()
    assert "2022-09" in [p["code"] for p in listed["results"]]
    assert api("fgw").get("/api/v1/periods/2022-13/").status_code == 404
    assert api("fgw").get("/api/v1/periods/nonsense/").status_code == 404


def test_a_2023_period_takes_its_calendar_from_the_2023_plan(api, clock, two_year_plans):
    two_year_plans({"deadline_working_day: 5": "deadline_working_day: 3"})
    december = api("fgw").get("/api/v1/periods/2022-12/").json()
    january = api("fgw").get("/api/v1/periods/2023-01/").json()
    assert december["deadline"] == "2023-01-09"  # 2022's plan: the 5th working day of the next month
    assert january["deadline"] == "2023-02-03"  # 2023's plan: the 3rd


def test_a_unit_sees_only_its_own_submission_in_a_period(api, clock):
    body = api("jinshui").get("/api/v1/periods/2022-07/").json()
    assert [s["unit"] for s in body["submissions"]] == ["jinshui"]


# -- progress rows -------------------------------------------------------------

def test_a_row_is_created_read_and_changed_with_its_version(api, building, clock):
    p = building()
    client = api("jinshui")
    created = client.post("/api/v1/progress/", body_for(p), format="json")
    assert created.status_code == 201, created.json()
    row = created.json()
    assert (row["project"], row["unit"], row["period"], row["status"]) == (p.pk, "jinshui", "2022-07", "draft")
    assert (row["month_amount"], row["ytd_amount"], row["cumulative_amount"]) == ("120.5000", "120.5000", "120.5000")
    assert (row["percent_complete"], row["progress_status"], row["annual_plan"]) == ("35.50", "lagging", "1200.0000")
    assert row["project_code"] == p.project_code and row["version"] == 1
    changed = client.patch(f"/api/v1/progress/{row['id']}/", {"version": 1, "month_amount": 700}, format="json")
    assert changed.status_code == 200 and changed.json()["month_amount"] == "700.0000"
    assert changed.json()["progress_status"] == "normal"  # 58.33% against 58.33% time progress for July
    stale = client.patch(f"/api/v1/progress/{row['id']}/", {"version": 1, "notes": "x"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    again = client.post("/api/v1/progress/", body_for(p), format="json")
    assert again.status_code == 409
    put = client.put(f"/api/v1/progress/{row['id']}/", {"version": 2, "month_amount": "1"}, format="json")
    assert put.status_code == 200 and put.json()["version"] == 3
    assert client.get(f"/api/v1/progress/{row['id']}/").json()["month_amount"] == "1.0000"


def test_bad_input_is_a_400_naming_each_field(api, building, clock):
    p = building()
    response = api("jinshui").post("/api/v1/progress/", body_for(p, month_amount="-1", percent_complete="150",
                                                                  period="2022-7"), format="json")
    assert response.status_code == 400
    assert {"month_amount", "percent_complete"} <= set(response.json()["errors"])
    wrong_period = api("jinshui").post("/api/v1/progress/", body_for(p, period="2022-7"), format="json")
    assert wrong_period.status_code == 400 and "YYYY-MM" in wrong_period.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_the_list_filters_by_period_unit_project_and_status(api, users, building, clock):
    a, b, z = building(), building(), building("zhongyuan")
    save(users["jinshui"], a, "2022-06")
    save(users["jinshui"], a, "2022-07")
    save(users["jinshui"], b, "2022-07")
    save(users["zhongyuan"], z, "2022-07")
    city = api("fgw")

    def ids(**params: Any) -> list[int]:
        response = city.get("/api/v1/progress/", params)
        assert response.status_code == 200, response.json()
        return sorted(r["project"] for r in response.json()["results"])

    assert ids(period="2022-07") == sorted([a.pk, b.pk, z.pk])
    assert ids(period="2022-07", unit="zhongyuan") == [z.pk]
    assert ids(project=a.pk) == [a.pk, a.pk]
    assert ids(status="submitted") == []
    assert city.get("/api/v1/progress/", {"status": "bogus"}).status_code == 400
    mine = api("jinshui").get("/api/v1/progress/", {"period": "2022-07"}).json()["results"]
    assert sorted(r["project"] for r in mine) == sorted([a.pk, b.pk])


def test_another_units_rows_and_periods_are_not_found(api, users, building, clock):
    z = building("zhongyuan")
    row = save(users["zhongyuan"], z, "2022-07")
    client = api("jinshui")
    assert client.get(f"/api/v1/progress/{row.pk}/").status_code == 404
    assert client.patch(f"/api/v1/progress/{row.pk}/", {"version": 1, "notes": "x"}, format="json").status_code == 404
    assert client.post("/api/v1/progress/", body_for(z), format="json").status_code == 404
    for action in ("submit", "approve", "return"):
        assert client.post(f"/api/v1/periods/2022-07/units/zhongyuan/{action}/", {}, format="json").status_code == 404
    assert ProgressReport.objects.get(pk=row.pk).notes == ""


def test_read_only_roles_get_403_on_writes(api, users, building, clock):
    p = building()
    row = save(users["jinshui"], p, "2022-07")
    leader = api("leader")
    assert leader.get(f"/api/v1/progress/{row.pk}/").status_code == 200
    assert leader.post("/api/v1/progress/", body_for(p), format="json").status_code == 403
    assert leader.patch(f"/api/v1/progress/{row.pk}/", {"version": 1, "notes": "x"}, format="json").status_code == 403
    submit(users["jinshui"])
    assert leader.post("/api/v1/periods/2022-07/units/jinshui/approve/").status_code == 403


def test_the_list_runs_the_same_queries_for_5_or_50_rows(api, users, building, clock):
    client = api("fgw")
    for p in [building() for _ in range(5)]:
        save(users["jinshui"], p, "2022-07")
    client.get("/api/v1/progress/", {"page_size": 100})
    with CaptureQueriesContext(connection) as five:
        assert len(client.get("/api/v1/progress/", {"page_size": 100}).json()["results"]) == 5
    for p in [building("zhongyuan") for _ in range(45)]:
        save(users["zhongyuan"], p, "2022-07")
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/progress/", {"page_size": 100}).json()["results"]) == 50
    assert len(fifty) <= len(five)


# -- workflow actions ----------------------------------------------------------

def test_submit_approve_and_the_lock_through_the_api(api, users, building, clock):
    p, missing = building(), building(name="漏报项目")
    row = save(users["jinshui"], p, "2022-07")
    unit = api("jinshui")
    refused = unit.post("/api/v1/periods/2022-07/units/jinshui/submit/")
    assert refused.status_code == 409 and [m["id"] for m in refused.json()["missing"]] == [missing.pk]
    save(users["jinshui"], missing, "2022-07")
    submitted = unit.post("/api/v1/periods/2022-07/units/jinshui/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["late"] is False and submitted.json()["submitted_by"] == "jinshui"
    assert unit.post("/api/v1/periods/2022-07/units/jinshui/approve/").status_code == 403  # not its own
    approved = api("fgw").post("/api/v1/periods/2022-07/units/jinshui/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    locked = unit.patch(f"/api/v1/progress/{row.pk}/", {"version": 2, "notes": "x"}, format="json")
    assert locked.status_code == 409 and "更正申请" in locked.json()["detail"]
    assert api("fgw").post("/api/v1/periods/2022-07/units/jinshui/approve/").status_code == 409
    assert AuditEntry.objects.filter(object_type="reporting.unitperiod", source="api").count() == 2


def test_a_per_project_return_through_the_api(api, users, building, clock):
    wrong, right = building(), building()
    save(users["jinshui"], wrong, "2022-07")
    save(users["jinshui"], right, "2022-07")
    submit(users["jinshui"])
    empty = api("fgw").post("/api/v1/periods/2022-07/units/jinshui/return/", {}, format="json")
    assert empty.status_code == 400
    response = api("fgw").post("/api/v1/periods/2022-07/units/jinshui/return/",
                               {"projects": {str(wrong.pk): "形象进度与投资不符"}}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    rows = {r["project"]: r for r in api("jinshui").get("/api/v1/progress/", {"period": "2022-07"}).json()["results"]}
    assert (rows[wrong.pk]["status"], rows[wrong.pk]["return_reason"]) == ("returned", "形象进度与投资不符")
    assert rows[right.pk]["status"] == "submitted"
    assert UnitPeriod.objects.get(unit__code="jinshui").status == "returned"


# -- import and jobs -----------------------------------------------------------

def test_an_import_returns_the_same_json_as_the_command_line(api, building, clock, tmp_path):
    a = building()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(a.project_code, amount=66)], meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        response = api("jinshui").post("/api/v1/progress/import/",
                                       {"file": fh, "period": "2022-07", "unit": "jinshui"}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ok"] is True and body["errors"] == [] and body["summary"]["created"] == 1
    assert ProgressReport.objects.get().month_amount_yuan == wan_to_yuan("66")


def test_an_import_with_errors_lists_them_with_sheet_row_and_column(api, building, clock, tmp_path):
    a = building()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(a.project_code, amount="abc")], meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        body = api("jinshui").post("/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "jinshui",
                                                                 "dry_run": "true"}, format="multipart").json()
    assert body["ok"] is False
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "本月完成投资（万元）")}
    assert not ProgressReport.objects.exists()


def test_an_import_for_another_unit_is_not_found_and_for_a_leader_forbidden(api, building, clock, tmp_path):
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(building("zhongyuan").project_code)],
                      meta=("2022-07", "zhongyuan"))
    with path.open("rb") as fh:
        assert api("jinshui").post("/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "zhongyuan"},
                                   format="multipart").status_code == 404
    with path.open("rb") as fh:
        assert api("leader").post("/api/v1/progress/import/", {"file": fh, "period": "2022-07", "unit": "zhongyuan"},
                                  format="multipart").status_code == 403
    assert api("jinshui").post("/api/v1/progress/import/", {"period": "2022-07", "unit": "jinshui"},
                               format="multipart").status_code == 400


def test_a_large_import_is_a_job_whose_status_only_its_creator_and_the_city_see(api, users, building, clock,
                                                                                tmp_path, settings):
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    a, b = building(), building()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(a.project_code), data_row(b.project_code)],
                      meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        response = api("jinshui").post("/api/v1/progress/import/", {"file": fh, "period": "2022-07",
                                                                     "unit": "jinshui"}, format="multipart")
    assert response.status_code == 202
    accepted = response.json()
    job = Job.objects.get()
    assert accepted["job"] == str(job.pk) and accepted["status_url"] == f"/api/v1/jobs/{job.pk}/"
    status = api("jinshui").get(accepted["status_url"])
    assert status.status_code == 200
    assert (status.json()["status"], status.json()["percent"], status.json()["result"]["ok"]) == ("succeeded", 100, True)
    assert api("fgw").get(accepted["status_url"]).status_code == 200
    assert api("zhongyuan").get(accepted["status_url"]).status_code == 404
    assert api("leader").get(accepted["status_url"]).status_code == 404
    assert api("fgw").get("/api/v1/jobs/not-a-uuid/").status_code == 404
    assert ProgressReport.objects.filter(status="draft").count() == 2


# -- the schema ----------------------------------------------------------------

def test_the_reporting_operations_document_their_errors():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include("tuijin.reporting.api_urls"))]).get_schema(public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._warn_cache)
    paths = schema["paths"]
    expected = {
        ("/api/v1/periods/", "get"): {"403"},
        ("/api/v1/periods/{period}/", "get"): {"403", "404"},
        ("/api/v1/progress/", "get"): {"400", "403"},
        ("/api/v1/progress/", "post"): {"400", "403", "404", "409"},
        ("/api/v1/progress/{id}/", "get"): {"403", "404"},
        ("/api/v1/progress/{id}/", "patch"): {"400", "403", "404", "409"},
        ("/api/v1/progress/{id}/", "put"): {"400", "403", "404", "409"},
        ("/api/v1/progress/import/", "post"): {"200", "202", "400", "403", "404"},
        ("/api/v1/jobs/{id}/", "get"): {"403", "404"},
    }
    for action in ("submit", "approve", "return"):
        expected[(f"/api/v1/periods/{{period}}/units/{{unit}}/{action}/", "post")] = {"400", "403", "404", "409"}
    for (route, method), codes in expected.items():
        assert codes <= set(paths[route][method]["responses"]), (route, method)
    assert "multipart/form-data" in paths["/api/v1/progress/import/"]["post"]["requestBody"]["content"]


@pytest.mark.django_db(transaction=True)
def test_a_save_answers_with_the_version_it_made_not_a_later_one(api, building, clock, monkeypatch):
    """The read-back runs in the save's transaction (holding the unit-period lock), so a concurrent save
    cannot slip in between: the month-end load test found acknowledged versions skipped without it."""
    from django.db import connection

    from tuijin.reporting import selectors

    p = building()
    client = api("jinshui")
    row = client.post("/api/v1/progress/", body_for(p), format="json").json()
    read_back = selectors.progress_detail
    inside = []

    def detail(**kwargs):
        inside.append(connection.in_atomic_block)
        return read_back(**kwargs)

    monkeypatch.setattr(selectors, "progress_detail", detail)
    changed = client.patch(f"/api/v1/progress/{row['id']}/", {"version": 1, "notes": "改"}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert inside == [False, True]  # the lookup before the save is outside; the read-back inside
