"""The programme pages: each figure on a page equals the figure its API returns (one unit), the
drill-down and exports are scoped (404 for another unit), and the pages run bounded queries."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import openpyxl
import pytest

from tuijin.audit.context import audit_context
from tuijin.programmes import services

pytestmark = pytest.mark.django_db
PROGRAMMES = ("key_projects", "approvals", "shortfall_982", "reconstruction", "statistics", "land", "funding",
              "reserve")


@pytest.fixture
def library(make_project, approved_report, funding, orgs, users):
    from tuijin.projects.models import ApprovalItem

    made = []
    for unit in ("jinshui", "zhongyuan"):
        for i in range(3):
            p = make_project(unit, tags=("city_key", "shortfall_982", "reconstruction") if i < 2 else ("whitelist",),
                             planned_start=dt.date(2022, 2, 1), actual_start=dt.date(2022, 3, 1) if i else None,
                             stage="construction" if i else "reserve", maturity="feasibility" if not i else "",
                             reconstruction_category="reservoir" if i == 0 else "river", reservoir_name=f"水库{i}",
                             land_need_mu="12.5", land_quota_status="pending" if i else "secured", land_priority=i + 1,
                             annual_plan_wan=str(1000 * (i + 1)))
            p.departments.set([orgs["cjj"]])
            approved_report(p, ytd_wan=str(300 * (i + 1)))
            funding(p, "bank_loan", "800", str(100 * i))
            with audit_context(source="system"):
                ApprovalItem.objects.create(project=p, code="eia", name="环评", department=orgs["sthjj"],
                                            due_date=dt.date(2022, 5, 1), status="done" if i else "pending")
            made.append(p)
    with audit_context(source="system", actor=users["fgw"]):
        batch = services.batch_create(actor=users["fgw"], number=1, held_on=dt.date(2022, 4, 8))
        services.batch_add_entries(actor=users["fgw"], batch=batch, kind="started",
                                   project_ids=[p.pk for p in made])
    return made


def _page_rows(content: str) -> list[dict]:
    match = re.search(r'<script id="programme-rows" type="application/json">(.*?)</script>', content, re.S)
    return json.loads(html.unescape(match.group(1)))


def _cells(content: str, row: str) -> dict[str, str]:
    match = re.search(rf'<tr data-row="{row}"[^>]*>(.*?)</tr>', content, re.S)
    cells = re.findall(r'data-col="([a-z_0-9]+)">(.*?)</td>', match.group(1), re.S)
    return {key: re.sub(r"<[^>]+>", "", value).strip() for key, value in cells}


def _number(text: str) -> float | None:
    """A cell as the page shows it (grouped, fixed decimals) read back as a number; "—" is None."""
    return None if text == "—" else float(text.replace(",", ""))


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_each_page_figure_equals_the_api_figure_for_one_unit(library, client_for, api, programme):
    page = client_for("jinshui").get(f"/programmes/{programme}/?period=2022-06&by=unit")
    assert page.status_code == 200
    content = page.content.decode()
    data = api("jinshui").get(f"/api/v1/programmes/{programme}/?period=2022-06&by=unit").json()
    assert [r["code"] for r in data["rows"]] == ["jinshui"]
    jinshui_api = next(r for r in data["rows"] if r["code"] == "jinshui")
    assert next(r for r in _page_rows(content) if r["code"] == "jinshui") == jinshui_api
    cells = _cells(content, "jinshui")
    for column in data["columns"]:
        if column["kind"] != "flag":
            assert _number(cells[column["key"]]) == jinshui_api[column["key"]], column["key"]


def test_the_batch_page_equals_its_api(library, client_for, api):
    content = client_for("jinshui").get("/programmes/batches/?batch=1").content.decode()
    data = api("jinshui").get("/api/v1/programmes/batches/?batch=1").json()
    assert _page_rows(content) == data["rows"]
    cells = _cells(content, "jinshui")
    assert cells["start_listed"] == "3" and cells["started"] == str(data["rows"][0]["started"])


def test_the_key_project_figures_are_right_for_the_unit(library, api):
    data = api("jinshui").get("/api/v1/programmes/key_projects/?period=2022-06").json()
    row = data["rows"][0]
    assert (row["projects"], row["planned_starts"], row["started"], row["start_rate"]) == (2, 2, 1, 50.0)
    assert (row["plan_wan"], row["ytd_wan"], row["completion_rate"]) == (3000.0, 900.0, 30.0)
    assert row["funds_rate"] == 6.25  # 100 of 1600


def test_the_drill_down_is_scoped(library, client_for, api):
    ok = client_for("jinshui").get("/programmes/key_projects/projects/?measure=started&unit=jinshui&period=2022-06")
    assert ok.status_code == 200 and len(re.findall(r'href="/projects/\d+/"', ok.content.decode())) == 1
    assert client_for("jinshui").get("/programmes/key_projects/projects/?unit=zhongyuan").status_code == 404
    assert api("jinshui").get("/api/v1/programmes/key_projects/projects/?unit=zhongyuan").status_code == 404
    drill = api("fgw").get("/api/v1/programmes/reconstruction/projects/?category=reservoir&measure=projects").json()
    assert drill["count"] == 2
    assert api("jinshui").get("/api/v1/programmes/nonsense/").status_code == 404
    assert api("jinshui").get("/api/v1/programmes/key_projects/?by=colour").status_code == 400
    assert api("jinshui").get("/api/v1/programmes/key_projects/?period=2022-13").status_code == 400
    assert api("auditor").get("/api/v1/programmes/key_projects/").status_code == 403


def test_the_financing_needs_export_is_real_excel_and_scoped(library, client_for, bureau_users):
    response = client_for("czj").get("/programmes/funding/needs.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[0][:3] == ("项目代码", "项目名称", "报送单位")
    assert len(rows) == 1 + 4 and rows[1][8] == 800.0  # key projects only, the largest gap first
    response = client_for("jinshui").get("/programmes/funding/needs.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)[1:]
    assert {r[2] for r in rows} == {"金水区"}


def test_the_programme_index_and_every_page_render(library, client_for):
    client = client_for("fgw")
    assert client.get("/programmes/").status_code == 200
    for programme in PROGRAMMES:
        for by in ("unit", "department", "field", "category", "source"):
            response = client.get(f"/programmes/{programme}/?by={by}")
            assert response.status_code in (200, 400), (programme, by)
    assert client_for("auditor").get("/programmes/").status_code == 403


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_a_programme_page_runs_a_bounded_number_of_queries(library, client_for, make_project, programme,
                                                           django_assert_max_num_queries):
    client = client_for("fgw")
    for _ in range(15):
        make_project("erqi", tags=("city_key", "reconstruction", "shortfall_982"), actual_start=dt.date(2022, 3, 1),
                     stage="construction", land_need_mu="3")
    with django_assert_max_num_queries(40):
        assert client.get(f"/programmes/{programme}/?period=2022-06").status_code == 200


def test_the_finance_bureau_exports_the_needs_from_the_command_line(library, bureau_users, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "needs.xlsx"
    call_command("export_financing_needs", "--as", "czj", "-o", str(out))
    assert "已导出融资需求 4 个项目" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.values)
    assert len(rows) == 5 and rows[1][8] >= rows[2][8]
    with pytest.raises(CommandError):
        call_command("export_financing_needs", "--as", "auditor", "-o", str(tmp_path / "x.xlsx"))


def test_the_drill_down_list_runs_a_bounded_number_of_queries(library, client_for, make_project,
                                                              django_assert_max_num_queries):
    for _ in range(40):
        make_project("erqi", tags=("city_key",), planned_start=dt.date(2022, 2, 1), actual_start=dt.date(2022, 3, 1),
                     stage="construction")
    client = client_for("fgw")
    with django_assert_max_num_queries(14):
        response = client.get("/programmes/key_projects/projects/?measure=started&period=2022-06")
    assert response.status_code == 200 and len(re.findall(r'href="/projects/\d+/"', response.content.decode())) == 42
