"""Pages of monthly reporting through the Django test client: scope, dashboard, grid with colours,
inline edit (htmx), template download, upload with its result, submit, review, corrections."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tuijin.audit.models import AuditEntry
from tuijin.jobs.models import Job
from tuijin.reporting.models import CorrectionRequest, ProgressReport, UnitPeriod
from tuijin.toolkit.money import wan_to_yuan

from . import test_workflow as workflow
from .import_fixtures import build_xlsx, data_row
from .test_workflow import acting, approve, at, save, submit

building, clock = workflow.building, workflow.clock  # fixtures shared with the workflow tests

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def unit_url(unit: str = "jinshui", period: str = "2022-07", name: str = "reporting:unit-period", *extra: Any) -> str:
    return reverse(name, args=[period, unit, *extra])


# -- scope ---------------------------------------------------------------------

def test_a_unit_user_lands_on_its_own_period(client_for, clock):
    response = client_for("jinshui").get(reverse("reporting:overview"), {"period": "2022-07"})
    assert response.status_code == 302 and response["Location"] == unit_url()


@pytest.mark.parametrize(("name", "method"), [
    ("reporting:unit-period", "get"), ("reporting:template", "get"), ("reporting:upload", "post"),
    ("reporting:submit", "post"), ("reporting:approve", "post"), ("reporting:return", "post"),
])
def test_another_units_period_is_not_found(client_for, building, clock, name, method):
    building("zhongyuan")
    client = client_for("jinshui")
    response = getattr(client, method)(unit_url("zhongyuan", "2022-07", name))
    assert response.status_code == 404


def test_another_units_row_is_not_found(client_for, building, clock):
    theirs = building("zhongyuan")
    client = client_for("jinshui")
    assert client.get(unit_url("zhongyuan", "2022-07", "reporting:row-edit", theirs.pk)).status_code == 404
    response = client.post(unit_url("zhongyuan", "2022-07", "reporting:row", theirs.pk), {"month_amount": "1"}, **HX)
    assert response.status_code == 404 and not ProgressReport.objects.exists()


def test_a_leader_reads_but_cannot_write(client_for, users, building, clock):
    p = building()
    leader = client_for("leader")
    assert leader.get(reverse("reporting:overview"), {"period": "2022-07"}).status_code == 200
    page = leader.get(unit_url())
    assert page.status_code == 200 and b'data-testid="edit-row"' not in page.content
    assert leader.post(unit_url("jinshui", "2022-07", "reporting:row", p.pk), {"month_amount": "1"}).status_code == 403
    assert leader.post(unit_url(name="reporting:approve")).status_code == 403
    assert leader.post(unit_url(name="reporting:upload")).status_code == 403
    assert not ProgressReport.objects.exists()


# -- the city's dashboard ------------------------------------------------------

def test_the_dashboard_shows_each_units_status_lateness_and_return_reason(client_for, users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    submit(users["jinshui"])
    z = building("zhongyuan")
    save(users["zhongyuan"], z, "2022-07")
    clock(at(2022, 8, 9))
    submit(users["zhongyuan"], unit="zhongyuan")
    with acting(users["fgw"]):
        from tuijin.reporting import services
        services.unit_period_return(actor=users["fgw"], unit_code="zhongyuan", period_code="2022-07",
                                    reason="请补充形象进度")
    page = client_for("fgw").get(reverse("reporting:overview"), {"period": "2022-07"})
    body = page.content.decode()
    assert page.status_code == 200 and len(page.context["lines"]) == 16
    lines = {line.unit.code: line for line in page.context["lines"]}
    assert lines["jinshui"].submission.status == "submitted" and not lines["jinshui"].submission.late
    assert lines["zhongyuan"].submission.late and "请补充形象进度" in body
    assert lines["erqi"].overdue  # nothing submitted and the deadline (2022-08-05) has passed
    assert 'data-testid="approve-jinshui"' in body and 'data-testid="approve-zhongyuan"' not in body


def test_the_dashboard_exports_to_excel_with_the_same_figures(client_for, users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    save(users["jinshui"], building(), "2022-07")
    submit(users["jinshui"])
    clock(at(2022, 8, 9))
    response = client_for("fgw").get(reverse("reporting:overview-export"), {"period": "2022-07"})
    assert response.status_code == 200
    assert quote("月度报送情况-2022-07.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["报送情况"]
    assert sheet["A1"].value == "2022-07 月度投资进展报送情况（报送截止 2022-08-05）"
    assert [c.value for c in sheet[3]] == ["报送单位", "单位代码", "报送状态", "逾期情况", "提交时间", "应报项目数",
                                           "已填报行数", "退回原因", "审核时间"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 16
    assert rows["jinshui"][2:4] == ("已提交待审核", None) and rows["jinshui"][5:7] == (2, 2)
    assert rows["erqi"][2:4] == ("填报中", "已逾期未交")


def test_a_unit_user_cannot_export_the_citys_status_table(client_for, clock):
    assert client_for("jinshui").get(reverse("reporting:overview-export"), {"period": "2022-07"}).status_code == 403


def test_the_dashboard_runs_the_same_queries_for_5_or_50_projects(client_for, building, clock,
                                                                  django_assert_max_num_queries):
    client = client_for("fgw")
    for _ in range(5):
        building()
    client.get(reverse("reporting:overview"), {"period": "2022-07"})  # warm caches, open the period
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("reporting:overview"), {"period": "2022-07"}).status_code == 200
    for i in range(45):
        building("jinshui" if i % 2 else "zhongyuan")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("reporting:overview"), {"period": "2022-07"}).status_code == 200


# -- a unit's grid -------------------------------------------------------------

def test_the_grid_shows_plan_vs_actual_in_colour(client_for, users, building, clock):
    clock(at(2022, 7, 4))
    lagging, normal, ahead = building(name="滞后项目"), building(name="正常项目"), building(name="超前项目")
    save(users["jinshui"], lagging, "2022-06", month_amount="100")   # 8% of 1,200 against 50%
    save(users["jinshui"], normal, "2022-06", month_amount="660")    # 55%
    save(users["jinshui"], ahead, "2022-06", month_amount="900")     # 75%
    page = client_for("jinshui").get(unit_url(period="2022-06"))
    body = page.content.decode()
    for project, status, colour in ((lagging, "lagging", "text-bg-danger"), (normal, "normal", "text-bg-primary"),
                                    (ahead, "ahead", "text-bg-success")):
        start = body.index(f'id="row-{project.pk}"')
        row = body[start:body.index("</tr>", start)]
        assert f'data-progress-status="{status}"' in row and colour in row
    assert "滞后" in body and "超前" in body and "50.00%" in body


def test_the_grid_runs_the_same_queries_for_5_or_50_projects(client_for, users, building, clock,
                                                             django_assert_max_num_queries):
    client = client_for("jinshui")
    for p in [building() for _ in range(5)]:
        save(users["jinshui"], p, "2022-07")
    client.get(unit_url())
    with django_assert_max_num_queries(25) as few:
        assert client.get(unit_url()).status_code == 200
    for p in [building() for _ in range(45)]:
        save(users["jinshui"], p, "2022-07")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(unit_url())
    assert len(response.context["lines"]) == 50


def test_a_row_is_edited_in_place(client_for, building, clock):
    p = building()
    client = client_for("jinshui")
    form = client.get(unit_url("jinshui", "2022-07", "reporting:row-edit", p.pk), **HX)
    assert form.status_code == 200 and b'name="month_amount"' in form.content
    response = client.post(unit_url("jinshui", "2022-07", "reporting:row", p.pk),
                           {"month_amount": "321.5", "physical_progress": "主体施工", "percent_complete": "40",
                            "started": "on", "version": ""}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="row-{p.pk}"') and "321.50" in body and "主体施工" in body
    row = ProgressReport.objects.get(project=p)
    assert (row.month_amount_yuan, row.started, str(row.percent_complete)) == (wan_to_yuan("321.5"), True, "40.00")
    assert AuditEntry.objects.get(object_type="reporting.progressreport", action="create").source == "web"


def test_an_inline_edit_shows_its_errors_in_the_row(client_for, users, building, clock):
    p = building()
    client = client_for("jinshui")
    response = client.post(unit_url("jinshui", "2022-07", "reporting:row", p.pk),
                           {"month_amount": "-3", "percent_complete": "150"}, **HX)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field-error="month_amount"' in body and "负数" in body
    assert 'data-field-error="percent_complete"' in body and not ProgressReport.objects.exists()
    row = save(users["jinshui"], p, "2022-07")
    save(users["jinshui"], p, "2022-07", version=row.version, month_amount="7")
    stale = client.post(unit_url("jinshui", "2022-07", "reporting:row", p.pk),
                        {"month_amount": "9", "version": row.version}, **HX)
    assert stale.status_code == 409 and "刷新" in stale.content.decode()


# -- template and upload -------------------------------------------------------

def test_the_template_is_downloaded_with_the_units_projects(client_for, building, clock):
    p = building(name="模板里的项目")
    response = client_for("jinshui").get(unit_url(name="reporting:template"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["月度进展"].iter_rows(values_only=True))
    assert rows[0][:2] == ("项目代码", "项目名称") and rows[1][:2] == (p.project_code, "模板里的项目")


def test_an_uploaded_file_is_imported_and_its_result_shown(client_for, building, clock, tmp_path):
    a, b = building(), building()
    path = build_xlsx(tmp_path / "ok.xlsx", [data_row(a.project_code, amount=120), data_row(b.project_code, amount=80)],
                      meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        response = client_for("jinshui").post(unit_url(name="reporting:upload"), {"file": fh})
    assert response.status_code == 200
    assert response.context["import_result"]["ok"] is True
    body = response.content.decode()
    assert 'data-testid="import-result"' in body and 'data-testid="import-summary"' in body
    assert dict(ProgressReport.objects.values_list("project_id", "month_amount_yuan")) == {
        a.pk: wan_to_yuan("120"), b.pk: wan_to_yuan("80")}


def test_an_upload_with_errors_lists_them_and_writes_nothing(client_for, building, clock, tmp_path):
    a = building()
    path = build_xlsx(tmp_path / "bad.xlsx", [data_row(a.project_code, amount=-5),
                                              data_row("2022-410105-35-03-999999", amount=1)],
                      meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        response = client_for("jinshui").post(unit_url(name="reporting:upload"), {"file": fh})
    result = response.context["import_result"]
    assert result["ok"] is False and len(result["errors"]) >= 2
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body
    for error in result["errors"]:
        assert error["message"] in body
    assert {e["row"] for e in result["errors"]} >= {2, 3}
    assert not ProgressReport.objects.exists()


def test_a_dry_run_writes_nothing(client_for, building, clock, tmp_path):
    a = building()
    path = build_xlsx(tmp_path / "dry.xlsx", [data_row(a.project_code)], meta=("2022-07", "jinshui"))
    with path.open("rb") as fh:
        response = client_for("jinshui").post(unit_url(name="reporting:upload"), {"file": fh, "dry_run": "on"})
    assert response.context["import_result"]["ok"] is True and not ProgressReport.objects.exists()


def test_a_file_that_is_not_xlsx_gets_a_clear_message(client_for, building, clock):
    building()
    upload = io.BytesIO(b"project,amount\n1,2\n")
    upload.name = "report.csv"
    response = client_for("jinshui").post(unit_url(name="reporting:upload"), {"file": upload})
    assert response.status_code in (200, 400)
    assert response.context["import_result"]["ok"] is False
    assert response.context["import_result"]["errors"][0]["message"]


def test_a_large_upload_runs_as_a_job_with_a_progress_page(client_for, users, building, clock, tmp_path, settings):
    settings.TUIJIN_ASYNC_IMPORT_ROWS = 1
    a, b = building(), building()
    path = build_xlsx(tmp_path / "big.xlsx", [data_row(a.project_code), data_row(b.project_code)],
                      meta=("2022-07", "jinshui"))
    client = client_for("jinshui")
    with path.open("rb") as fh:
        response = client.post(unit_url(name="reporting:upload"), {"file": fh})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == "succeeded" and job.result["ok"] is True and job.created_by == users["jinshui"]
    assert ProgressReport.objects.count() == 2
    entries = AuditEntry.objects.filter(request_id=job.pk, object_type="reporting.progressreport")
    assert entries.count() >= 2 and {e.source for e in entries} == {"job"}
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="import-result"' in body and "100%" in body
    assert "every 1s" not in body  # finished: no more polling


# -- submit, review, corrections -----------------------------------------------

def test_submitting_with_missing_rows_lists_them_on_the_page(client_for, users, building, clock):
    done, missing = building(), building(name="还没填的项目")
    save(users["jinshui"], done, "2022-07")
    client = client_for("jinshui")
    response = client.post(unit_url(name="reporting:submit"))
    assert response.status_code == 409
    assert 'data-testid="missing-projects"' in response.content.decode() and "还没填的项目" in response.content.decode()
    save(users["jinshui"], missing, "2022-07")
    response = client.post(unit_url(name="reporting:submit"))
    assert response.status_code == 302
    assert UnitPeriod.objects.get(unit__code="jinshui").status == "submitted"
    page = client.get(unit_url()).content.decode()
    assert 'data-testid="submit-period"' not in page and 'data-testid="edit-row"' not in page


def test_the_city_approves_from_the_dashboard_and_the_unit_cannot(client_for, users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    submit(users["jinshui"])
    assert client_for("jinshui").post(unit_url(name="reporting:approve")).status_code == 403
    response = client_for("fgw").post(unit_url(name="reporting:approve"))
    assert response.status_code == 302
    assert UnitPeriod.objects.get(unit__code="jinshui").status == "approved"


def test_the_city_returns_one_project_and_the_unit_sees_the_reason(client_for, users, building, clock):
    wrong, right = building(), building()
    save(users["jinshui"], wrong, "2022-07")
    save(users["jinshui"], right, "2022-07")
    submit(users["jinshui"])
    review = client_for("fgw").get(unit_url()).content.decode()
    assert f'name="project_reason_{wrong.pk}"' in review and 'data-testid="return-period"' in review
    response = client_for("fgw").post(unit_url(name="reporting:return"),
                                      {"reason": "", f"project_reason_{wrong.pk}": "投资额与进度不符",
                                       f"project_reason_{right.pk}": ""})
    assert response.status_code == 302
    page = client_for("jinshui").get(unit_url()).content.decode()
    assert "投资额与进度不符" in page and 'data-testid="return-reason"' in page
    start = page.index(f'id="row-{wrong.pk}"')
    assert 'data-testid="edit-row"' in page[start:page.index("</tr>", start)]
    start = page.index(f'id="row-{right.pk}"')
    assert 'data-testid="edit-row"' not in page[start:page.index("</tr>", start)]


def test_a_return_without_any_reason_is_refused_on_the_page(client_for, users, building, clock):
    save(users["jinshui"], building(), "2022-07")
    submit(users["jinshui"])
    response = client_for("fgw").post(unit_url(name="reporting:return"), {"reason": ""})
    assert response.status_code == 400 and 'data-testid="action-error"' in response.content.decode()
    assert UnitPeriod.objects.get(unit__code="jinshui").status == "submitted"


def test_a_correction_is_requested_and_approved_through_the_pages(client_for, users, building, clock):
    p = building()
    save(users["jinshui"], p, "2022-07", month_amount="100")
    submit(users["jinshui"])
    approve(users["fgw"])
    row = ProgressReport.objects.get(project=p)
    unit = client_for("jinshui")
    assert 'data-testid="request-correction"' in unit.get(unit_url()).content.decode()
    bad = unit.post(reverse("reporting:correction-new", args=[row.pk]), {"month_amount": "-1", "reason": "x"})
    assert bad.status_code == 400 and 'data-field-error="month_amount"' in bad.content.decode()
    response = unit.post(reverse("reporting:correction-new", args=[row.pk]),
                         {"month_amount": "130", "physical_progress": "", "reason": "统计局核实后调整"})
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get()
    assert correction.changes == {"month_amount": "130.0000"}
    assert client_for("zhongyuan").get(reverse("reporting:correction-new", args=[row.pk])).status_code == 404
    city = client_for("fgw")
    listing = city.get(reverse("reporting:corrections")).content.decode()
    assert "统计局核实后调整" in listing and 'data-testid="approve-correction"' in listing
    assert unit.post(reverse("reporting:correction-decide", args=[correction.pk]),
                     {"decision": "approve"}).status_code == 403
    assert city.post(reverse("reporting:correction-decide", args=[correction.pk]),
                     {"decision": "approve", "note": ""}).status_code == 302
    row.refresh_from_db()
    assert (row.month_amount_yuan, row.ytd_amount_yuan) == (wan_to_yuan("130"), wan_to_yuan("130"))


def test_the_navigation_offers_monthly_reporting(client_for, clock):
    body = client_for("jinshui").get(reverse("home")).content.decode()
    assert reverse("reporting:overview") in body


def test_the_corrections_list_runs_the_same_queries_for_5_or_50_requests(client_for, users, building, clock,
                                                                        django_assert_max_num_queries):
    from tuijin.reporting import services

    def ask_for(n: int) -> list:
        projects = [building() for _ in range(n)]
        for p in projects:
            save(users["jinshui"], p, "2022-07", month_amount="100")
        return projects

    def request_all(projects: list) -> None:
        for p in projects:
            row = ProgressReport.objects.get(project=p)
            with acting(users["jinshui"]):
                services.correction_request(actor=users["jinshui"], report_id=row.pk,
                                            changes={"month_amount": "101"}, reason="核实调整")

    first = ask_for(5)
    submit(users["jinshui"])
    approve(users["fgw"])
    request_all(first)
    client = client_for("fgw")
    client.get(reverse("reporting:corrections"))
    with django_assert_max_num_queries(15) as few:
        assert len(client.get(reverse("reporting:corrections")).context["items"]) == 5
    clock(at(2022, 9, 2))
    more = [building() for _ in range(45)]
    for p in [*first, *more]:
        save(users["jinshui"], p, "2022-08", month_amount="1")
    submit(users["jinshui"], period="2022-08")
    approve(users["fgw"], period="2022-08")
    for p in more:
        row = ProgressReport.objects.get(project=p, period__code="2022-08")
        with acting(users["jinshui"]):
            services.correction_request(actor=users["jinshui"], report_id=row.pk, changes={"notes": "补充"},
                                        reason="补充说明")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("reporting:corrections")).context["items"]) == 50
