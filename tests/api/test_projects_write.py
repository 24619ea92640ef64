"""Writing projects through the API: create, update with version, and the parse errors of the door."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuijin.audit.models import AuditEntry
from tuijin.projects.models import Project

from .conftest import valid_project_body

pytestmark = pytest.mark.django_db

LIST = "/api/v1/projects/"


def detail(project) -> str:
    return f"{LIST}{project.pk}/"


# ---------------------------------------------------------------------------
# Create

def test_a_unit_user_creates_a_project_in_the_reserve_library(api, users):
    response = api("jinshui").post(LIST, valid_project_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "reserve" and body["version"] == 1 and body["unit"] == "jinshui"
    assert body["total_investment"] == "12345.6789"
    assert body["annual_plans"] == {"2022": "3000.0001"}
    assert body["tags"] == ["city_key", "special_bond"]
    assert body["departments"] == ["fgw", "gxj"]
    assert body["stage_moves"] == [] and body["approval_items"] == []
    project = Project.objects.get(pk=body["id"])
    assert project.total_investment_yuan == 123456789  # exact to the yuan
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk), action="create")
    assert entry.actor_name == "jinshui" and entry.source == "api"


def test_money_may_be_sent_as_a_json_number(api, users):
    body = valid_project_body(total_investment=100.5, annual_plans={"2022": 20})
    response = api("fgw").post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["total_investment"] == "100.5000"
    assert response.json()["annual_plans"] == {"2022": "20.0000"}


@pytest.mark.parametrize(("override", "field"), [
    ({"project_code": "2022-410105-35-09-000001"}, "project_code"),  # project type segment
    ({"project_code": "2022-4101"}, "project_code"),
    ({"owner_uscc": "91410105MA9G1RT2A0"}, "owner_uscc"),  # wrong check character
    ({"total_investment": "-5"}, "total_investment"),
    ({"total_investment": "0"}, "total_investment"),
    ({"total_investment": "1.23456"}, "total_investment"),  # finer than 1 元
    ({"annual_plans": {"2022": "-1"}}, "annual_plans"),
    ({"annual_plans": {"twenty": "1"}}, "annual_plans"),
    ({"annual_plans": {"2022": "99999"}}, "annual_plans"),  # above the total
    ({"planned_start": "2023-01-01", "planned_end": "2022-01-01"}, "planned_end"),
    ({"unit": "atlantis"}, "unit"),
    ({"unit": "fgw"}, "unit"),  # a department is not a reporting unit
    ({"departments": ["fgw", "nobody"]}, "departments"),
    ({"category": "spaceport"}, "category"),
    ({"field": "astrology"}, "field"),
    ({"tags": ["city_key", "vip"]}, "tags"),
    ({"green_channel": True}, "green_channel_reason"),
    ({"lat": 123}, "lat"),
])
def test_invalid_input_is_a_400_naming_the_field(api, users, override, field):
    response = api("fgw").post(LIST, valid_project_body(**override), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"] and body["code"] == "invalid"
    assert not Project.objects.exists()


@pytest.mark.parametrize("missing", ["name", "unit", "category", "field", "total_investment"])
def test_a_required_field_missing_is_named(api, users, missing):
    body = valid_project_body()
    del body[missing]
    response = api("fgw").post(LIST, body, format="json")
    assert response.status_code == 400
    assert missing in response.json()["errors"]


def test_a_duplicate_project_code_is_refused(api, make_project):
    existing = make_project("zhongyuan")
    response = api("fgw").post(LIST, valid_project_body(project_code=existing.project_code), format="json")
    assert response.status_code == 400
    assert "project_code" in response.json()["errors"]


def test_a_unit_user_cannot_create_for_another_unit(api, users):
    response = api("jinshui").post(LIST, valid_project_body(unit="zhongyuan"), format="json")
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]


@pytest.mark.parametrize(("override", "field"), [
    ({"lat": "north"}, "lat"),
    ({"lon": [113]}, "lon"),
    ({"annual_plans": ["2022", "100"]}, "annual_plans"),
    ({"annual_plans": {"2022": {"amount": 1}}}, "annual_plans"),
    ({"tags": {"city_key": True}}, "tags"),
    ({"departments": "fgw"}, "departments"),
    ({"planned_start": "2022-13-45"}, "planned_start"),
    ({"actual_end": 20220101}, "actual_end"),
    ({"total_investment": {"wan": 1}}, "total_investment"),
    ({"total_investment": "NaN"}, "total_investment"),
    ({"total_investment": True}, "total_investment"),
    ({"name": ["a", "b"]}, "name"),
    ({"in_statistics": "perhaps"}, "in_statistics"),
    ({"name": "x" * 201}, "name"),
])
def test_wrong_json_types_are_a_400_never_a_500(api, users, override, field):
    response = api("fgw").post(LIST, valid_project_body(**override), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize("payload", ["[1, 2]", '"a string"', "{not json", "null"])
def test_a_body_that_is_not_an_object_is_a_400(api, users, payload):
    response = api("fgw").post(LIST, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_form_encoded_body_is_refused(api, users):
    response = api("fgw").post(LIST, {"name": "x"})  # multipart: the API speaks JSON only
    assert response.status_code == 415


# ---------------------------------------------------------------------------
# Update

def test_an_update_with_the_current_version_changes_the_project(api, make_project):
    project = make_project("jinshui")
    response = api("jinshui").patch(detail(project), {"version": 1, "name": "改名后的项目", "total_investment": "60000"},
                                    format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "改名后的项目" and body["version"] == 2 and body["total_investment"] == "60000.0000"
    project.refresh_from_db()
    assert project.total_investment == Decimal("60000")
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk), action="update")
    assert entry.before["name"] != entry.after["name"] == "改名后的项目"


def test_a_stale_version_is_a_409_carrying_the_current_values(api, make_project):
    project = make_project("jinshui")
    assert api("fgw").patch(detail(project), {"version": 1, "name": "市里改的名字"}, format="json").status_code == 200
    response = api("jinshui").patch(detail(project), {"version": 1, "name": "区里改的名字"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale" and "version" in body["errors"]
    assert body["current"]["name"] == "市里改的名字" and body["current"]["version"] == 2
    assert body["current"]["unit"] == "jinshui" and "total_investment" in body["current"]
    assert Project.objects.get(pk=project.pk).name == "市里改的名字"


def test_an_update_without_a_version_is_a_400(api, make_project):
    project = make_project("jinshui")
    response = api("jinshui").patch(detail(project), {"name": "没有版本号"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_an_update_with_invalid_values_names_the_field(api, make_project):
    project = make_project("jinshui")
    response = api("jinshui").patch(detail(project), {"version": 1, "actual_start": "2022-05-01",
                                                      "actual_end": "2022-04-01"}, format="json")
    assert response.status_code == 400
    assert "actual_end" in response.json()["errors"]
    assert Project.objects.get(pk=project.pk).version == 1


def test_put_requires_the_core_fields_and_the_version(api, make_project):
    project = make_project("jinshui")
    client = api("jinshui")
    response = client.put(detail(project), {"version": 1, "name": "只给名字"}, format="json")
    assert response.status_code == 400
    assert {"unit", "category", "field", "total_investment"} <= set(response.json()["errors"])
    body = valid_project_body(version=1)
    response = client.put(detail(project), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == body["name"] and response.json()["version"] == 2


def test_clearing_optional_values_with_null(api, make_project):
    project = make_project("jinshui", lat=34.8, lon=113.6)
    response = api("jinshui").patch(detail(project), {"version": 1, "lat": None, "lon": None, "planned_end": None},
                                    format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["lat"], response.json()["planned_end"]) == (None, None)


# ---------------------------------------------------------------------------
# Scope and roles

def test_another_units_project_cannot_be_changed(api, make_project):
    theirs = make_project("zhongyuan")
    response = api("jinshui").patch(detail(theirs), {"version": 1, "name": "越权修改"}, format="json")
    assert response.status_code == 404
    assert Project.objects.get(pk=theirs.pk).name != "越权修改"


@pytest.mark.parametrize("username", ["leader", "dcs", "gxj"])
def test_read_only_roles_get_403_on_every_write(api, make_project, username):
    project = make_project("jinshui")
    client = api(username)
    assert client.get(detail(project)).status_code == 200
    assert client.post(LIST, valid_project_body(), format="json").status_code == 403
    assert client.patch(detail(project), {"version": 1, "name": "x"}, format="json").status_code == 403
    assert client.put(detail(project), valid_project_body(version=1), format="json").status_code == 403
    assert client.post(f"{detail(project)}advance/", {"to": "ready"}, format="json").status_code == 403
    assert Project.objects.get(pk=project.pk).version == 1


def test_the_403_comes_before_the_body_is_read(api, make_project):
    project = make_project("jinshui")
    response = api("leader").patch(detail(project), {"lat": "not a number"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_the_administrators_cannot_create_or_find_projects_to_change(api, make_project, username):
    project = make_project("jinshui")
    client = api(username)
    assert client.post(LIST, valid_project_body(), format="json").status_code == 403
    assert client.patch(detail(project), {"version": 1, "name": "x"}, format="json").status_code == 404
    assert client.post(f"{detail(project)}advance/", {"to": "ready"}, format="json").status_code == 404
