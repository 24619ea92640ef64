"""The audit log through the API: the auditor alone reads it, filtered by object, user and time."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def record_at(moment: dt.datetime, *, actor=None, object_id: str = "1", object_type: str = "projects.project",
              action: str = "update") -> AuditEntry:
    """Append one entry as if written at ``moment`` (``at`` is set by the database layer on save)."""
    with mock.patch("django.utils.timezone.now", return_value=moment), \
            audit_context(source="cli" if actor else "system", actor=actor):
        return audit.record(action=action, object_type=object_type, object_id=object_id, object_repr="x",
                            before={"n": 1}, after={"n": 2})


@pytest.fixture
def entries(users) -> dict[str, AuditEntry]:
    """Entries on two days of May 2022 (Beijing time), by two users and the system."""
    return {
        "may1_jinshui": record_at(dt.datetime(2022, 5, 1, 9, 0, tzinfo=SHANGHAI), actor=users["jinshui"],
                                  object_id="11"),
        "may1_system": record_at(dt.datetime(2022, 5, 1, 23, 30, tzinfo=SHANGHAI), object_id="12",
                                 object_type="orgs.org"),
        "may2_fgw": record_at(dt.datetime(2022, 5, 2, 10, 0, tzinfo=SHANGHAI), actor=users["fgw"], object_id="11"),
    }


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def pick(entries, *names) -> set[int]:
    return {entries[n].pk for n in names}


def window(entries) -> set[int]:
    """Entries of the fixture only (the fixture's users were also audited when created)."""
    return pick(entries, *entries)


@pytest.mark.parametrize(("params", "expected"), [
    ({"object_type": "projects.project", "object_id": "11"}, ("may1_jinshui", "may2_fgw")),
    ({"object_type": "orgs.org"}, ("may1_system",)),
    ({"user": "jinshui"}, ("may1_jinshui",)),
    ({"user": "fgw"}, ("may2_fgw",)),
    ({"user": "system", "object_type": "orgs.org"}, ("may1_system",)),
    ({"since": "2022-05-02"}, ("may2_fgw",)),
    ({"until": "2022-05-01"}, ("may1_jinshui", "may1_system")),  # a date includes the whole day
    ({"since": "2022-05-01T12:00:00+08:00", "until": "2022-05-02T09:59:59+08:00"}, ("may1_system",)),
    ({"since": "2022-05-01T09:00", "until": "2022-05-01T09:00"}, ("may1_jinshui",)),  # naive = Beijing time
    ({"since": "2022-05-01", "until": "2022-05-02", "user": "fgw", "object_id": "11"}, ("may2_fgw",)),
])
def test_the_auditor_filters_by_object_user_and_time(api, entries, params, expected):
    found = ids(api("auditor").get(URL, {"page_size": 500, **params}))
    assert found & window(entries) == pick(entries, *expected)


def test_time_bounds_exclude_everything_outside(api, entries):
    assert ids(api("auditor").get(URL, {"since": "2022-05-03", "until": "2022-05-04"})) == set()


def test_an_entry_carries_who_what_when_and_the_change(api, entries):
    entry = entries["may1_jinshui"]
    body = api("auditor").get(f"{URL}{entry.pk}/").json()
    assert body["user"] == "jinshui" and body["object_type"] == "projects.project" and body["object_id"] == "11"
    assert body["before"] == {"n": 1} and body["after"] == {"n": 2} and body["action"] == "update"
    assert dt.datetime.fromisoformat(body["at"]) == dt.datetime(2022, 5, 1, 9, 0, tzinfo=SHANGHAI)


def test_an_api_write_is_found_by_its_project_and_user(api, make_project):
    project = make_project("jinshui")
    api("jinshui").patch(f"/api/v1/projects/{project.pk}/", {"version": 1, "name": "新名字"}, format="json")
    rows = api("auditor").get(URL, {"object_type": "projects.project", "object_id": project.pk,
                                     "user": "jinshui"}).json()["results"]
    assert [(r["action"], r["source"], r["after"]["name"]) for r in rows] == [("update", "api", "新名字")]


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"until": "2022-02-30"}, {"since": "0001-01-01"},
                                    {"action": "explode"}, {"request_id": "not-a-uuid"}])
def test_a_malformed_filter_is_a_400_naming_it(api, entries, params):
    response = api("auditor").get(URL, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


@pytest.mark.parametrize("username", ["fgw", "jinshui", "leader", "sysadmin", "secadmin"])
def test_nobody_but_the_auditor_reads_the_log(api, entries, username):
    client = api(username)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{entries['may2_fgw'].pk}/").status_code == 403


def test_the_log_cannot_be_written_through_the_api(api, entries):
    client = api("auditor")
    assert client.post(URL, {"action": "delete"}, format="json").status_code == 405
    assert client.delete(f"{URL}{entries['may2_fgw'].pk}/").status_code == 405


def test_an_unknown_entry_is_not_found(api, entries):
    assert api("auditor").get(f"{URL}987654321/").status_code == 404


def test_the_log_runs_the_same_few_queries_for_5_or_50_entries(api, users, django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            record_at(timezone.now(), actor=users["jinshui"], object_id=str(i))

    client = api("auditor")
    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL, {"page_size": 100}).status_code == 200
    add(45)
    with django_assert_max_num_queries(len(five)):
        body = client.get(URL, {"page_size": 100}).json()
    assert len(body["results"]) >= 50
