"""Statistics inclusion (入库纳统, 二(七)19): the missing list at the threshold, started or not; the
figures per unit and department; the bureau's Excel import; the "plan release suspended" marker."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from tuijin.audit.models import AuditEntry
from tuijin.orgs.policy import SYSTEM
from tuijin.programmes import selectors
from tuijin.projects.models import Project
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db
STARTED = dt.date(2022, 3, 1)


@pytest.fixture
def projects(make_project, orgs):
    made = {
        "at_threshold": make_project("jinshui", total_investment_yuan=wan_to_yuan("500"), actual_start=STARTED,
                                     stage="construction"),
        "below": make_project("jinshui", total_investment_yuan=wan_to_yuan("499.99"), actual_start=STARTED,
                              stage="construction"),
        "not_started": make_project("jinshui", total_investment_yuan=wan_to_yuan("90000")),
        "included": make_project("jinshui", actual_start=STARTED, stage="construction", in_statistics=True,
                                 statistics_date=dt.date(2022, 4, 1)),
        "cancelled": make_project("jinshui", actual_start=STARTED, stage="cancelled"),
        "zhongyuan": make_project("zhongyuan", actual_start=STARTED, stage="construction"),
    }
    made["at_threshold"].departments.set([orgs["gxj"]])
    made["zhongyuan"].departments.set([orgs["cjj"]])
    return made


def test_the_missing_list_holds_started_projects_at_or_above_the_threshold(projects, users):
    missing = {p.pk for p in selectors.missing_projects(user=users["fgw"])}
    assert missing == {projects["at_threshold"].pk, projects["zhongyuan"].pk}


def test_a_project_started_after_the_as_of_date_is_not_yet_missing(projects, users):
    assert not selectors.missing_projects(user=users["fgw"], as_of=dt.date(2022, 2, 28)).exists()


def test_the_inclusion_figures_per_unit_and_department(projects, users):
    by_unit = selectors.statistics_figures(user=users["fgw"], period="2022-06")
    jinshui = next(r for r in by_unit["rows"] if r["code"] == "jinshui")
    assert (jinshui["due"], jinshui["included"], jinshui["missing"]) == (2, 1, 1)
    assert jinshui["inclusion_rate"] == 50.0
    by_department = selectors.statistics_figures(user=users["fgw"], period="2022-06", by="department")
    assert {r["code"]: r["missing"] for r in by_department["rows"]} == {"gxj": 1, "cjj": 1}
    # Included in April: at March's end it still counted as missing.
    march = selectors.statistics_figures(user=users["fgw"], period="2022-03")
    assert next(r for r in march["rows"] if r["code"] == "jinshui")["missing"] == 2


def test_the_project_page_shows_the_suspended_plan_release(projects, client_for):
    page = client_for("fgw").get(f"/projects/{projects['at_threshold'].pk}/").content.decode()
    assert 'data-testid="plan-release-suspended"' in page
    page = client_for("fgw").get(f"/projects/{projects['included'].pk}/").content.decode()
    assert 'data-testid="plan-release-suspended"' not in page


def _sheet(path, rows, headers=("项目代码", "入库日期")):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("入库名单")
    sheet.write_row(0, 0, ["2022年6月入库项目"])
    sheet.write_row(1, 0, list(headers))
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, list(row))
    book.close()
    return path


def test_the_bureau_marks_inclusion_in_bulk_from_excel(projects, bureau_users, tmp_path, capsys):
    code = projects["at_threshold"].project_code
    path = _sheet(tmp_path / "ok.xlsx", [(code, "2022-06-20"), (projects["zhongyuan"].project_code, "")])
    call_command("import_statistics_inclusion", str(path), "--as", "tjj")
    assert "标记入库 2 个项目" in capsys.readouterr().out
    project = Project.objects.get(pk=projects["at_threshold"].pk)
    assert project.in_statistics and project.statistics_date == dt.date(2022, 6, 20)
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk), action="update",
                                   actor__username="tjj")
    assert entry.before["in_statistics"] is False and entry.after["statistics_date"] == "2022-06-20"
    assert not selectors.missing_projects(user=bureau_users["tjj"]).exists()
    call_command("import_statistics_inclusion", str(path), "--as", "tjj")  # again: nothing changes
    assert "标记入库 0 个项目，2 个无变化" in capsys.readouterr().out


def test_every_bad_row_is_listed_and_nothing_is_written(projects, bureau_users, tmp_path, capsys):
    code = projects["at_threshold"].project_code
    path = _sheet(tmp_path / "bad.xlsx", [
        (code, "2022-06-20"), ("2022-410105-35-03-999999", ""), (code, ""), ("", "2022-06-01"),
        (projects["cancelled"].project_code, ""), (projects["zhongyuan"].project_code, "2099-01-01"),
        (projects["included"].project_code, "20220601x")])
    with pytest.raises(CommandError):
        call_command("import_statistics_inclusion", str(path), "--as", "tjj")
    out = capsys.readouterr().out
    for expected in ("第4行 项目代码：项目代码“2022-410105-35-03-999999”在项目库中不存在", "第5行 项目代码：与第3行重复",
                     "第6行 项目代码：必填", "第7行 项目代码：项目", "已取消", "第8行 入库日期：入库日期不能晚于今天",
                     "第9行 入库日期：日期格式应为"):
        assert expected in out
    assert not Project.objects.filter(pk=projects["at_threshold"].pk, in_statistics=True).exists()


def test_a_missing_column_is_named(projects, bureau_users, tmp_path, capsys):
    path = _sheet(tmp_path / "cols.xlsx", [("x", "y")], headers=("编号", "入库日期"))
    with pytest.raises(CommandError):
        call_command("import_statistics_inclusion", str(path), "--as", "tjj")
    assert "缺少必需的列：项目代码" in capsys.readouterr().out


def test_only_the_statistics_bureau_and_the_city_import(projects, bureau_users, tmp_path, api):
    path = _sheet(tmp_path / "ok.xlsx", [(projects["at_threshold"].project_code, "2022-06-20")])
    for username in ("czj", "jinshui", "gxj"):
        with path.open("rb") as f:
            response = api(username).post("/api/v1/programmes/statistics/import/", {"file": f}, format="multipart")
        assert response.status_code == 403, username
    with path.open("rb") as f:
        response = api("tjj").post("/api/v1/programmes/statistics/import/", {"file": f, "dry_run": "true"},
                                   format="multipart")
    assert response.status_code == 200 and response.json()["summary"]["updated"] == 1
    assert not Project.objects.get(pk=projects["at_threshold"].pk).in_statistics  # dry run
    with path.open("rb") as f:
        page = api("tjj").post("/programmes/statistics/import/", {"file": f})
    assert page.status_code == 200 and 'data-testid="import-ok"' in page.content.decode()
    assert Project.objects.get(pk=projects["at_threshold"].pk).in_statistics


def test_a_file_that_is_not_xlsx_is_refused_with_a_message(projects, bureau_users, tmp_path, api):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with path.open("rb") as f:
        response = api("tjj").post("/api/v1/programmes/statistics/import/", {"file": f}, format="multipart")
    assert response.status_code == 200 and response.json()["ok"] is False
    assert response.json()["errors"][0]["message"]


def test_the_project_page_shows_its_programme_fields_and_funds(make_project, funding, client_for):
    project = make_project("jinshui", reconstruction_category="reservoir", reservoir_name="常庄水库",
                           land_need_mu="20.5", land_quota_status="pending", maturity="feasibility")
    funding(project, "special_bond", "3000", "1200")
    page = client_for("jinshui").get(f"/projects/{project.pk}/").content.decode()
    for text in ("中小型水库“一库一案”", "常庄水库", "20.50", "待落实", "可研阶段", "地方政府专项债券", "3,000.00", "1,200.00"):
        assert text in page, text


def test_funding_is_set_through_the_api_in_scope_with_audit(make_project, api):
    from tuijin.projects.models import FundingSource

    mine = make_project("jinshui")
    theirs = make_project("zhongyuan")
    url = "/api/v1/programmes/funding/sources/"
    body = {"project": mine.pk, "source": "bank_loan", "planned": "5000", "in_place": "1200.5"}
    response = api("jinshui").post(url, body, format="json")
    assert response.status_code == 200 and response.json()["in_place"] == "1200.5000"
    row = FundingSource.objects.get(project=mine, source="bank_loan")
    assert row.in_place_yuan == 12_005_000
    assert AuditEntry.objects.filter(object_type="projects.fundingsource", object_id=str(row.pk),
                                     actor__username="jinshui", action="create").exists()
    assert api("jinshui").post(url, {**body, "project": theirs.pk}, format="json").status_code == 404
    assert api("leader").post(url, body, format="json").status_code == 403
    bad = api("jinshui").post(url, {**body, "source": "lottery", "in_place": "9000"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"source"}
    over = api("jinshui").post(url, {**body, "in_place": "9000"}, format="json")
    assert over.status_code == 400 and "in_place" in over.json()["errors"]


def test_the_bulletins_missing_list_and_the_programmes_agree(projects, users):
    from tuijin.bulletins.selectors import missing_from_statistics

    expected = [p.pk for p in selectors.missing_projects(user=users["fgw"])]
    assert expected
    assert [r["project_id"] for r in missing_from_statistics(user=SYSTEM)] == expected
    assert [r["project_id"] for r in missing_from_statistics(user=users["leader"])] == expected


def test_the_bulletins_missing_list_is_city_wide_and_refuses_a_unit(projects, users):
    from tuijin.bulletins.selectors import missing_from_statistics

    for refused in ("jinshui", "sysadmin"):
        with pytest.raises(PermissionRefused):
            missing_from_statistics(user=users[refused])
