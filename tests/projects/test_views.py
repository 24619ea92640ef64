"""Project pages: scope (404), filters, bounded queries, forms with inline errors, stale edits, exports, CLI."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tuijin.audit.models import AuditEntry
from tuijin.projects.models import Project

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_unit_user_sees_only_its_own_projects_in_the_list(client_for, make_project):
    mine = make_project("jinshui", name="金水区自己的项目")
    theirs = make_project("zhongyuan", name="中原区别人的项目")
    body = client_for("jinshui").get(reverse("projects:list")).content.decode()
    assert mine.name in body and theirs.name not in body


@pytest.mark.parametrize("url_name", ["projects:detail", "projects:edit", "projects:detail-export"])
def test_another_units_project_is_not_found(client_for, make_project, url_name):
    theirs = make_project("zhongyuan")
    response = client_for("jinshui").get(reverse(url_name, args=[theirs.pk]))
    assert response.status_code == 404


def test_another_units_project_cannot_be_moved(client_for, make_project):
    theirs = make_project("zhongyuan")
    response = client_for("jinshui").post(reverse("projects:advance", args=[theirs.pk]), {"to": "ready"})
    assert response.status_code == 404
    assert Project.objects.get(pk=theirs.pk).stage == "reserve"


def test_the_list_export_holds_only_the_users_projects(client_for, make_project):
    make_project("jinshui", name="金水区导出项目")
    make_project("zhongyuan", name="中原区导出项目")
    response = client_for("jinshui").get(reverse("projects:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("项目代码", "项目名称")
    names = [r[1] for r in rows[1:]]
    assert names == ["金水区导出项目"]


def test_the_cli_export_respects_the_users_scope(users, make_project, tmp_path):
    make_project("jinshui", name="金水区命令行项目")
    make_project("zhongyuan", name="中原区命令行项目")
    out = tmp_path / "p.xlsx"
    call_command("export_projects", "--as", "jinshui", "-o", str(out))
    names = [r[1] for r in load_workbook(out, read_only=True).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["金水区命令行项目"]
    with pytest.raises(CommandError, match="不在"):
        call_command("export_projects", "--as", "jinshui", "--unit", "zhongyuan", "-o", str(out))
    entry = AuditEntry.objects.get(action="export")
    assert entry.source == "cli" and entry.actor == users["jinshui"] and entry.after["rows"] == 1


def test_a_leader_reads_everything_but_cannot_write(client_for, make_project):
    project = make_project("zhongyuan")
    leader = client_for("leader")
    assert leader.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    assert leader.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    assert leader.post(reverse("projects:advance", args=[project.pk]), {"to": "ready"}).status_code == 403
    assert leader.get(reverse("projects:create")).status_code == 403


def test_administrators_see_no_projects(client_for, make_project):
    project = make_project("jinshui")
    for name in ("auditor", "sysadmin", "secadmin"):
        assert client_for(name).get(reverse("projects:detail", args=[project.pk])).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"stage": "construction"}, {"B"}), ({"field": "major_infrastructure"}, {"C"}), ({"category": "infrastructure"}, {"C"}),
     ({"tag": "whitelist"}, {"A"}), ({"q": "传感"}, {"A"}), ({"unit": "jinshui"}, {"A", "B"}), ({}, {"A", "B", "C"})],
)
def test_filters_narrow_the_list(client_for, make_project, params, expected):
    make_project("jinshui", name="A 传感器项目", tags=("whitelist",))
    make_project("jinshui", name="B 在建项目", stage="construction")
    make_project("zhongyuan", name="C 道路项目", category="infrastructure", field="major_infrastructure")
    response = client_for("fgw").get(reverse("projects:list"), params)
    shown = {p.name[0] for p in response.context["page"].object_list}
    assert shown == expected


def test_the_list_runs_a_bounded_number_of_queries(client_for, make_project, django_assert_max_num_queries):
    client = client_for("fgw")
    for _ in range(3):
        make_project("jinshui", tags=("city_key",))
    client.get(reverse("projects:list"))  # warm caches
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("projects:list"))
    for _ in range(40):
        make_project("zhongyuan", tags=("city_key", "whitelist"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("projects:list"))


def test_the_detail_page_runs_a_bounded_number_of_queries(client_for, make_project, django_assert_max_num_queries):
    from tuijin.audit.context import audit_context
    from tuijin.projects.models import ApprovalItem

    client = client_for("jinshui")
    small = make_project("jinshui", tags=("city_key",))
    big = make_project("jinshui", tags=("city_key", "whitelist", "reconstruction", "special_bond"))
    with audit_context(source="system"):
        for i in range(8):
            ApprovalItem.objects.create(project=big, code=f"item{i}", name=f"事项{i}")
            big.stage_moves.create(from_stage="reserve", to_stage="ready")
    client.get(reverse("projects:detail", args=[small.pk]))  # warm caches (content types, translations)
    with django_assert_max_num_queries(16) as baseline:
        assert client.get(reverse("projects:detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(reverse("projects:detail", args=[big.pk])).status_code == 200


def test_the_form_shows_each_service_error_inline_and_writes_nothing(client_for):
    response = client_for("jinshui").post(reverse("projects:create"), {
        "name": "错误项目", "unit": "jinshui", "category": "industrial", "field": "advanced_manufacturing",
        "total_investment": "-3", "project_code": "2022-410105-35-3-000001", "owner_uscc": "123",
    })
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("total_investment", "project_code", "owner_uscc"):
        assert f'data-error-for="{field}"' in body
    assert not Project.objects.exists()


def test_creating_through_the_page_lands_in_the_reserve_library(client_for, users):
    response = client_for("jinshui").post(reverse("projects:create"), {
        "name": "金水区新建项目", "unit": "jinshui", "category": "industrial", "field": "advanced_manufacturing",
        "total_investment": "5000", "nature": "new", "investment_type": "enterprise", "plan_this_year": "1000",
    })
    project = Project.objects.get()
    assert response.status_code == 302 and project.stage == "reserve"
    entry = AuditEntry.objects.get(action="create", object_type="projects.project")
    assert entry.source == "web" and entry.actor == users["jinshui"] and entry.request_id


def test_a_stale_edit_through_the_page_keeps_the_users_input(client_for, make_project):
    project = make_project("jinshui")
    form = {"name": project.name, "category": "industrial", "field": "advanced_manufacturing",
            "total_investment": "50000", "nature": "new", "investment_type": "enterprise", "version": "1"}
    first = client_for("fgw").post(reverse("projects:edit", args=[project.pk]), {**form, "leader": "甲"})
    assert first.status_code == 302
    second = client_for("jinshui").post(reverse("projects:edit", args=[project.pk]), {**form, "leader": "乙"})
    assert second.status_code == 409
    body = second.content.decode()
    assert 'data-testid="stale"' in body and 'value="乙"' in body and "甲" in body
    assert Project.objects.get(pk=project.pk).leader == "甲"


def test_a_refused_stage_move_shows_the_unmet_check(client_for, make_project):
    project = make_project("jinshui", stage="ready")
    response = client_for("jinshui").post(reverse("projects:advance", args=[project.pk]), {"to": "construction"})
    assert response.status_code == 409
    assert "实际开工日期" in response.content.decode()


def test_a_stage_move_through_the_page_is_recorded(client_for, make_project):
    project = make_project("jinshui")
    response = client_for("jinshui").post(reverse("projects:advance", args=[project.pk]),
                                          {"to": "ready", "reason": "前期手续齐备", "version": "1"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "ready"
    assert project.stage_moves.get().reason == "前期手续齐备"


def test_the_cli_stage_move_is_audited_as_the_cli(users, make_project):
    project = make_project("jinshui")
    call_command("advance_stage", str(project.pk), "--to", "ready", "--as", "jinshui", "--reason", "命令行")
    entry = AuditEntry.objects.get(action="stage")
    assert entry.source == "cli" and entry.actor == users["jinshui"] and entry.reason == "命令行"
    with pytest.raises(CommandError, match="实际开工日期"):
        call_command("advance_stage", str(project.pk), "--to", "construction", "--as", "jinshui")
    other = make_project("zhongyuan")
    with pytest.raises(CommandError, match="不存在或不在"):
        call_command("advance_stage", str(other.pk), "--to", "ready", "--as", "jinshui")


@pytest.mark.parametrize(("day", "year"), [("2022-07-15", 2022), ("2023-03-01", 2023)])
def test_the_form_asks_for_the_annual_plan_of_the_business_dates_year(client_for, business_date, two_year_plans,
                                                                      day, year):
    two_year_plans()
    business_date(day)
    page = client_for("jinshui").get(reverse("projects:create")).content.decode()
    assert f"{year}年计划投资（万元）" in page
    client_for("jinshui").post(reverse("projects:create"), {
        "name": "金水区新建项目", "unit": "jinshui", "category": "industrial", "field": "advanced_manufacturing",
        "total_investment": "5000", "nature": "new", "investment_type": "enterprise", "plan_this_year": "1000",
    })
    assert list(Project.objects.get().annual_plans.values_list("year", flat=True)) == [year]
