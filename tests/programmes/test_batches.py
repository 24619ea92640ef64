"""三个一批 batches (二(二)6): the chain from the previous start list, the four rates per batch and unit,
the report page and its Excel export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.programmes import selectors, services
from tuijin.programmes.models import BatchEntry
from tuijin.toolkit.errors import PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


def acting(user):
    return audit_context(source="system", actor=user, reason="test")


@pytest.fixture
def two_batches(make_project, users):
    fgw = users["fgw"]
    started = [make_project("jinshui", actual_start=dt.date(2021, 11, 1), stage="construction",
                            in_production_on=dt.date(2022, 3, 1) if i < 2 else None,
                            at_capacity_on=dt.date(2022, 5, 1) if i == 0 else None) for i in range(3)]
    other = make_project("zhongyuan", actual_start=dt.date(2021, 12, 1), stage="construction",
                         in_production_on=dt.date(2022, 4, 1))
    never = make_project("jinshui")
    signed = [make_project("jinshui", actual_start=dt.date(2022, 5, 1) if i < 3 else None) for i in range(4)]
    with acting(fgw):
        first = services.batch_create(actor=fgw, number=1, held_on=dt.date(2021, 10, 20), name="第一期")
        services.batch_add_entries(actor=fgw, batch=first, kind="started", project_ids=[p.pk for p in started])
        services.batch_add_entries(actor=fgw, batch=first, kind="started", project_ids=[other.pk])
        second = services.batch_create(actor=fgw, number=2, held_on=dt.date(2022, 1, 10))
        services.batch_add_entries(actor=fgw, batch=second, kind="signed", project_ids=[p.pk for p in signed[:2]],
                                   company_registered=True)
        services.batch_add_entries(actor=fgw, batch=second, kind="signed", project_ids=[p.pk for p in signed[2:]])
    return {"first": first, "second": second, "started": started, "other": other, "never": never, "signed": signed}


def test_production_candidates_are_the_previous_batchs_start_list(two_batches):
    ids = services.production_candidate_ids(batch=two_batches["second"])
    assert ids == [p.pk for p in two_batches["started"]] + [two_batches["other"].pk]
    assert services.production_candidate_ids(batch=two_batches["first"]) == []


def test_a_production_list_refuses_projects_not_on_the_previous_start_list(two_batches, users):
    fgw = users["fgw"]
    with acting(fgw), pytest.raises(ValidationFailed) as exc:
        services.batch_add_entries(actor=fgw, batch=two_batches["second"], kind="producing",
                                   project_ids=[two_batches["started"][0].pk, two_batches["never"].pk])
    assert "不在上一期开工清单中" in exc.value.message and two_batches["never"].name in exc.value.message
    assert not BatchEntry.objects.filter(kind="producing").exists()  # nothing half-written


def test_a_project_on_an_earlier_production_list_is_no_longer_a_candidate(two_batches, users):
    fgw = users["fgw"]
    with acting(fgw):
        services.batch_add_entries(actor=fgw, batch=two_batches["second"], kind="producing",
                                   project_ids=[p.pk for p in two_batches["started"]] + [two_batches["other"].pk])
        third = services.batch_create(actor=fgw, number=3, held_on=dt.date(2022, 4, 8))
    # The third batch draws from the second's start list, which is empty.
    assert services.production_candidate_ids(batch=third) == []
    entry = BatchEntry.objects.filter(kind="producing").first()
    assert AuditEntry.objects.filter(object_type="programmes.batchentry", object_id=str(entry.pk),
                                     action="create").exists()


def test_the_four_rates_of_a_batch_per_unit_and_in_total(two_batches, users):
    fgw = users["fgw"]
    with acting(fgw):
        services.batch_add_entries(actor=fgw, batch=two_batches["second"], kind="producing",
                                   project_ids=[p.pk for p in two_batches["started"]] + [two_batches["other"].pk])
    data = selectors.batch_figures(user=fgw, batch=2, as_of=dt.date(2022, 6, 30))
    jinshui = next(r for r in data["rows"] if r["code"] == "jinshui")
    # signed: 4; performing = registered company and started: signed[0], signed[1] → 50 %
    assert (jinshui["signed"], jinshui["performing"], jinshui["fulfilment_rate"]) == (4, 2, 50.0)
    # production: 3 listed in jinshui, 2 producing, 1 at capacity
    assert (jinshui["production_listed"], jinshui["producing"], jinshui["production_rate"]) == (3, 2, 66.67)
    assert (jinshui["at_capacity"], jinshui["capacity_rate"]) == (1, 50.0)
    assert jinshui["start_rate"] is None  # batch 2 has no start list
    assert data["total"]["production_listed"] == 4 and data["total"]["producing"] == 3
    first = selectors.batch_figures(user=fgw, batch=1, as_of=dt.date(2022, 6, 30))
    assert (first["total"]["start_listed"], first["total"]["started"], first["total"]["start_rate"]) == (4, 4, 100.0)


def test_only_the_city_administrator_keeps_the_lists(two_batches, users):
    with acting(users["jinshui"]), pytest.raises(PermissionRefused):
        services.batch_create(actor=users["jinshui"], number=9, held_on=dt.date(2022, 4, 8))


def test_the_batch_page_and_its_excel_report(two_batches, client_for):
    page = client_for("fgw").get("/programmes/batches/?batch=2")
    assert page.status_code == 200
    assert "batch-chart-data" in page.content.decode()
    response = client_for("fgw").get("/programmes/batches/2/report.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["指标", "项目清单"]
    rows = list(book["项目清单"].values)
    assert rows[0][0] == "清单" and len(rows) == 1 + 4


def test_a_unit_sees_only_its_own_entries_in_the_report(two_batches, client_for, api):
    response = client_for("zhongyuan").get("/programmes/batches/1/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["项目清单"].values)[1:]
    assert [r[1] for r in rows] == ["中原区"]
    data = api("zhongyuan").get("/api/v1/programmes/batches/?batch=1").json()
    assert [r["code"] for r in data["rows"]] == ["zhongyuan"]
    assert data["total"]["start_listed"] == 1


def test_the_api_keeps_the_lists_and_refuses_a_broken_chain(two_batches, api):
    fgw = api("fgw")
    assert fgw.post("/api/v1/programmes/batches/new/", {"number": 3, "held_on": "2022-04-08"},
                    format="json").status_code == 201
    assert fgw.post("/api/v1/programmes/batches/new/", {"number": 3, "held_on": "2022-04-08"},
                    format="json").status_code == 400
    ok = fgw.post("/api/v1/programmes/batches/2/entries/",
                  {"kind": "producing", "project_ids": [two_batches["started"][1].pk]}, format="json")
    assert ok.status_code == 201 and ok.json()["added"] == 1
    refused = fgw.post("/api/v1/programmes/batches/3/entries/",
                       {"kind": "producing", "project_ids": [two_batches["started"][2].pk]}, format="json")
    assert refused.status_code == 400 and "不在上一期开工清单中" in refused.json()["detail"]
    assert api("jinshui").post("/api/v1/programmes/batches/2/entries/",
                               {"kind": "signed", "project_ids": [two_batches["never"].pk]},
                               format="json").status_code == 403
    assert fgw.post("/api/v1/programmes/batches/99/entries/", {"kind": "signed", "project_ids": [1]},
                    format="json").status_code == 404


def test_a_batch_and_the_figures_month_are_read_by_business_roles_and_the_system(two_batches, users, client_for):
    from tuijin.orgs.policy import SYSTEM

    assert selectors.batch_get(user=SYSTEM, number=None).number == 2
    assert selectors.batch_get(user=users["jinshui"], number="1").number == 1
    assert selectors.resolve_period(user=SYSTEM, period="2022-06").code == "2022-06"
    for admin in ("sysadmin", "auditor"):
        with pytest.raises(PermissionRefused):
            selectors.batch_get(user=users[admin], number=1)
        with pytest.raises(PermissionRefused):
            selectors.resolve_period(user=users[admin], period=None)
    assert client_for("sysadmin").get("/programmes/batches/1/report.xlsx").status_code == 403
