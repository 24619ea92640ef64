"""Authentication (session and token) and the read-only organisation list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry

from .conftest import valid_project_body

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_reads_and_writes(token_api, make_project):
    make_project("jinshui")
    client = token_api("fgw")
    assert client.get("/api/v1/projects/").json()["count"] == 1
    response = client.post("/api/v1/projects/", valid_project_body(), format="json")
    assert response.status_code == 201, response.json()
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(response.json()["id"]),
                                   action="create")
    assert entry.actor_name == "fgw" and entry.source == "api"


def test_a_token_carries_the_users_scope(token_api, make_project):
    theirs = make_project("zhongyuan")
    assert token_api("jinshui").get(f"/api/v1/projects/{theirs.pk}/").status_code == 404


def test_a_wrong_token_is_refused(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/projects/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_a_session_write_needs_the_csrf_token(users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["fgw"])
    assert client.get("/api/v1/projects/").status_code == 200
    assert client.post("/api/v1/projects/", valid_project_body(), format="json").status_code == 403


def test_every_signed_in_user_lists_the_organisations(api, orgs):
    body = api("jinshui").get("/api/v1/orgs/", {"page_size": 500}).json()
    by_code = {o["code"]: o for o in body["results"]}
    assert body["count"] == len(orgs)
    assert by_code["jinshui"] == {"id": orgs["jinshui"].pk, "code": "jinshui", "name": "金水区",
                                  "short_name": "金水区", "kind": "district", "parent": "city"}
    assert by_code["fgw"]["kind"] == "department"


def test_the_organisations_filter_by_kind(api, orgs):
    body = api("fgw").get("/api/v1/orgs/", {"kind": "zone", "page_size": 500}).json()
    assert {o["code"] for o in body["results"]} == {"zhengdong", "jingkai", "gaoxin", "hangkonggang"}
    assert api("fgw").get("/api/v1/orgs/", {"kind": "planet"}).status_code == 400


def test_one_organisation(api, orgs):
    assert api("leader").get(f"/api/v1/orgs/{orgs['zhongyuan'].pk}/").json()["code"] == "zhongyuan"
    assert api("leader").get("/api/v1/orgs/99999/").status_code == 404


def test_organisations_are_read_only(api, orgs):
    assert api("fgw").post("/api/v1/orgs/", {"code": "mars"}, format="json").status_code == 405


def test_the_organisation_list_runs_a_fixed_number_of_queries(api, orgs, django_assert_max_num_queries):
    client = api("fgw")
    with CaptureQueriesContext(connection) as one_row:
        assert len(client.get("/api/v1/orgs/", {"page_size": 1}).json()["results"]) == 1
    with django_assert_max_num_queries(len(one_row)):
        assert len(client.get("/api/v1/orgs/", {"page_size": 500}).json()["results"]) == len(orgs)


def test_anonymous_users_see_no_organisations(client, orgs):
    response = client.get("/api/v1/orgs/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_is_issued_for_the_right_password_only(client, users):
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.post("/api/v1/auth/token/", {"username": "jinshui", "password": "nope"}, format="json").status_code == 400
    token = api.post("/api/v1/auth/token/", {"username": "jinshui", "password": "Tuijin@2022!"},
                     format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/projects/").status_code == 200
