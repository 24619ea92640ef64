"""The key-project plan's figures on a small hand-made library (二(二)5): the four rates per unit."""

from __future__ import annotations

import datetime as dt

import pytest

from tuijin.audit.context import audit_context
from tuijin.programmes import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_project, approved_report, funding, orgs):
    from tuijin.projects.models import ApprovalItem

    a = make_project("jinshui", tags=("city_key",), annual_plan_wan="1000", planned_start=dt.date(2022, 2, 1),
                     actual_start=dt.date(2022, 2, 20), planned_end=dt.date(2022, 5, 31),
                     actual_end=dt.date(2022, 5, 20), stage="completed")
    b = make_project("jinshui", tags=("provincial_key", "city_key"), annual_plan_wan="3000",
                     planned_start=dt.date(2022, 4, 1), actual_start=dt.date(2022, 4, 10),
                     planned_end=dt.date(2022, 6, 15), stage="construction")
    make_project("jinshui", tags=("city_key",), annual_plan_wan="1000", planned_start=dt.date(2022, 9, 1))
    make_project("jinshui", tags=("city_key",), stage="cancelled", planned_start=dt.date(2022, 1, 1))
    make_project("jinshui", annual_plan_wan="9999")  # not a key project
    c = make_project("zhongyuan", tags=("city_key",), annual_plan_wan="500", planned_start=dt.date(2022, 1, 5),
                     actual_start=dt.date(2022, 1, 6), stage="construction")
    approved_report(a, ytd_wan="900")
    approved_report(b, ytd_wan="1100")
    approved_report(c, ytd_wan="100")
    funding(a, "bank_loan", "2000", "1500")
    funding(b, "fiscal", "2000", "500")
    with audit_context(source="system"):
        for i, status in enumerate(("done", "done", "done", "pending")):
            ApprovalItem.objects.create(project=b, code=f"i{i}", name=f"事项{i}", status=status,
                                        approved_on=dt.date(2022, 3, 1) if status == "done" else None,
                                        due_date=dt.date(2022, 5, 1))
    return {"a": a, "b": b, "c": c}


def test_the_four_rates_per_unit(library, users):
    data = selectors.key_project_figures(user=users["fgw"], period="2022-06")
    jinshui = next(r for r in data["rows"] if r["code"] == "jinshui")
    assert jinshui["projects"] == 3                      # the cancelled and the non-key project count nowhere
    assert (jinshui["planned_starts"], jinshui["started"]) == (3, 2)
    assert jinshui["start_rate"] == 66.67
    assert (jinshui["plan_wan"], jinshui["ytd_wan"]) == (5000.0, 2000.0)
    assert jinshui["completion_rate"] == 40.0 and jinshui["lagging"] is True  # June: time progress 50 %
    assert jinshui["funds_rate"] == 50.0                  # 2000 of 4000 in place
    assert (jinshui["due_completion"], jinshui["on_time"], jinshui["on_time_rate"]) == (2, 1, 50.0)
    assert jinshui["approval_rate"] == 75.0
    assert data["time_progress"] == 50.0
    assert data["total"]["projects"] == 4
    assert data["total"]["ytd_wan"] == 2100.0


def test_figures_by_field_add_up_to_the_same_total(library, users):
    by_unit = selectors.key_project_figures(user=users["fgw"], period="2022-06")
    by_field = selectors.key_project_figures(user=users["fgw"], period="2022-06", by="field")
    assert by_field["total"] == by_unit["total"]
    assert sum(r["projects"] for r in by_field["rows"]) == by_unit["total"]["projects"]


def test_targets_come_from_the_plan(library, users):
    data = selectors.key_project_figures(user=users["fgw"], period="2022-06")
    targets = {t["key"]: t for t in data["targets"]}
    assert targets["key_projects"]["target"] == 900 and targets["key_projects"]["actual"] == 4
    assert targets["new_starts"]["target"] == 214 and targets["new_starts"]["actual"] == 3
    assert targets["approval_items"]["target"] == 1278 and targets["approval_items"]["actual"] == 3
    assert targets["key_project_investment"]["target"] == 4670
    assert targets["q1_start_rate"]["target"] == 40 and targets["q1_approval_rate"]["target"] == 80


def test_a_unit_sees_only_its_own_figures(library, users):
    data = selectors.key_project_figures(user=users["zhongyuan"], period="2022-06")
    assert [r["code"] for r in data["rows"]] == ["zhongyuan"]
    assert data["total"]["projects"] == 1


def test_drill_down_gives_the_projects_behind_a_count(library, users):
    qs = selectors.programme_projects(user=users["fgw"], programme="key_projects", measure="started",
                                      period="2022-06", unit="jinshui")
    assert {p.pk for p in qs} == {library["a"].pk, library["b"].pk}


def test_the_administrators_see_no_figures(library, users):
    from tuijin.toolkit.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        selectors.key_project_figures(user=users["auditor"], period="2022-06")


def test_the_figures_run_a_bounded_number_of_queries(library, users, make_project, django_assert_max_num_queries):
    for _ in range(20):
        make_project("erqi", tags=("city_key",), annual_plan_wan="10", planned_start=dt.date(2022, 3, 1))
    with django_assert_max_num_queries(15):
        selectors.key_project_figures(user=users["fgw"], period="2022-06")


def test_project_update_sets_the_programme_fields_with_audit(make_project, users):
    from tuijin.audit.models import AuditEntry
    from tuijin.projects import services as project_services
    from tuijin.toolkit.errors import ValidationFailed

    project = make_project("jinshui")
    fgw = users["fgw"]
    with audit_context(source="system", actor=fgw):
        updated = project_services.project_update(actor=fgw, project_id=project.pk, version=project.version, data={
            "land_need_mu": "120.50", "land_quota_status": "partial", "land_priority": 3, "whitelist_quarter": "2022q1",
            "maturity": "feasibility", "reconstruction_category": "reservoir", "reservoir_name": "常庄水库",
            "in_production_on": "2022-05-01", "at_capacity_on": "2022-06-01"})
    assert (str(updated.land_need_mu), updated.whitelist_quarter, updated.reservoir_name) == ("120.50", "2022Q1", "常庄水库")
    entry = AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk), action="update").last()
    assert entry.before["land_quota_status"] == "" and entry.after["land_quota_status"] == "partial"
    with audit_context(source="system", actor=fgw), pytest.raises(ValidationFailed) as exc:
        project_services.project_update(actor=fgw, project_id=project.pk, version=updated.version, data={
            "land_need_mu": "-1", "land_quota_status": "maybe", "whitelist_quarter": "2022Q5", "maturity": "x",
            "land_priority": 0, "in_production_on": "2022-06-02", "at_capacity_on": "2022-06-01"})
    assert set(exc.value.errors) == {"land_need_mu", "land_quota_status", "whitelist_quarter", "maturity",
                                     "land_priority", "at_capacity_on"}


def test_the_command_line_prints_the_same_figures_in_scope(library, users, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("programme_figures", "key_projects", "--as", "jinshui", "--period", "2022-06", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in data["rows"]] == ["jinshui"]
    assert data["rows"][0] == selectors.key_project_figures(user=users["jinshui"], period="2022-06")["rows"][0]
    call_command("programme_figures", "statistics", "--as", "fgw", "--period", "2022-06")
    assert "入库纳统" in capsys.readouterr().out
    with pytest.raises(CommandError, match="分组"):
        call_command("programme_figures", "land", "--as", "fgw", "--by", "field")


def test_the_project_api_reads_and_writes_the_programme_fields(make_project, api):
    project = make_project("jinshui")
    client = api("jinshui")
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"version": project.version, "land_need_mu": "30.25",
                            "land_quota_status": "secured", "maturity": "ready"}, format="json")
    assert response.status_code == 200, response.json()
    data = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert (data["land_need_mu"], data["land_quota_status"], data["maturity"]) == ("30.25", "secured", "ready")
    bad = client.patch(f"/api/v1/projects/{project.pk}/", {"version": data["version"], "land_quota_status": "x"},
                       format="json")
    assert bad.status_code == 400 and "land_quota_status" in bad.json()["errors"]
