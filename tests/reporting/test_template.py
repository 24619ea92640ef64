"""The monthly progress template (二(七)20): headers, drop-downs, protection, metadata, round trip."""

# Fixtures are imported from import_fixtures (this directory has no conftest of ours): F811 is expected.
# ruff: noqa: F811

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.reporting.importing import import_progress
from tuijin.reporting.models import ProgressReport
from tuijin.reporting.periods import period_open
from tuijin.reporting.workbook import write_progress_template
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.money import wan_to_yuan

from .import_fixtures import construction_project, seed_report  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

EXACT = ["项目代码", "项目名称", "本月完成投资（万元）", "形象进度", "完成百分比", "是否开工"]


def export(user, unit, period="2022-06"):
    out = io.BytesIO()
    with audit_context(source="web", actor=user):
        rows = write_progress_template(user=user, unit=unit, period=period_open(period), out=out)
    out.seek(0)
    return rows, openpyxl.load_workbook(out)


def header_map(ws):
    return {cell.value: cell.column_letter for cell in ws[1]}


def test_the_template_has_the_exact_headers_and_the_units_reportable_projects(
        users, orgs, construction_project, make_project):
    big = construction_project(total_investment_yuan=wan_to_yuan("90000"))
    small = construction_project(total_investment_yuan=wan_to_yuan("1000"))
    make_project("jinshui", stage="reserve")  # not reportable
    construction_project("zhongyuan")  # another unit

    rows, book = export(users["jinshui"], orgs["jinshui"])

    assert rows == 2
    assert book.sheetnames == ["月度进展", "填报说明", "_meta"]
    ws = book["月度进展"]
    headers = [c.value for c in ws[1]]
    assert all(h in headers for h in EXACT)
    assert headers == ["项目代码", "项目名称", "总投资（万元）", "年度计划（万元）", "上月本年累计（万元）", "上月完成百分比",
                       "本月完成投资（万元）", "形象进度", "完成百分比", "是否开工", "备注"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == [big.project_code, small.project_code]
    assert ws.cell(2, 2).value == big.name and ws.cell(2, 3).value == 90000
    assert ws.freeze_panes == "C2"


def test_the_template_has_drop_downs_and_number_validation(users, orgs, construction_project):
    construction_project()
    _, book = export(users["jinshui"], orgs["jinshui"])
    ws = book["月度进展"]
    cols = header_map(ws)
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    started = rules[f"{cols['是否开工']}2"]
    assert started.type == "list" and started.formula1 == '"是,否"'
    amount = rules[f"{cols['本月完成投资（万元）']}2"]
    assert amount.type == "decimal" and amount.operator == "greaterThanOrEqual" and amount.formula1 == "0"
    percent = rules[f"{cols['完成百分比']}2"]
    assert percent.type == "decimal" and percent.operator in (None, "between")  # "between" is the default
    assert (percent.formula1, percent.formula2) == ("0", "100")


def test_key_columns_are_locked_and_input_columns_are_not(users, orgs, construction_project):
    construction_project()
    _, book = export(users["jinshui"], orgs["jinshui"])
    ws = book["月度进展"]
    assert ws.protection.sheet is True and not ws.protection.password
    cols = header_map(ws)
    for header in ("项目代码", "项目名称", "总投资（万元）", "年度计划（万元）", "上月本年累计（万元）"):
        assert ws[f"{cols[header]}2"].protection.locked is True, header
    for header in ("本月完成投资（万元）", "形象进度", "完成百分比", "是否开工", "备注"):
        assert ws[f"{cols[header]}2"].protection.locked is False, header


def test_the_instructions_and_the_hidden_metadata_name_period_and_unit(users, orgs, construction_project):
    construction_project()
    _, book = export(users["jinshui"], orgs["jinshui"])
    text = "\n".join(str(c.value) for row in book["填报说明"].iter_rows() for c in row if c.value)
    period = period_open("2022-06")
    assert "2022-06" in text and "金水区" in text and period.deadline.isoformat() in text
    assert "本月完成投资（万元）" in text and "不要使用公式" in text
    meta = book["_meta"]
    assert meta.sheet_state == "veryHidden"
    values = {r[0].value: r[1].value for r in meta.iter_rows()}
    assert {"kind": "progress", "period": "2022-06", "unit": "jinshui"}.items() <= values.items()


def test_the_template_is_pre_filled_with_this_periods_and_last_months_values(
        users, orgs, construction_project, seed_report):
    p = construction_project()
    seed_report(p, "2022-05", month="40", ytd="123.45", cumulative="500", percent="30")
    seed_report(p, "2022-06", month="12.5", ytd="135.95", cumulative="512.5", percent="35", status="draft")
    with audit_context(source="system"):
        ProgressReport.objects.filter(period__code="2022-06").update(physical_progress="封顶", notes="备注一")
    _, book = export(users["jinshui"], orgs["jinshui"])
    ws = book["月度进展"]
    row = {h: ws.cell(2, i + 1).value for i, h in enumerate(c.value for c in ws[1])}
    assert row["上月本年累计（万元）"] == pytest.approx(123.45) and row["上月完成百分比"] == 30
    assert row["年度计划（万元）"] == 1000
    assert row["本月完成投资（万元）"] == 12.5 and row["形象进度"] == "封顶" and row["完成百分比"] == 35
    assert row["是否开工"] == "是" and row["备注"] == "备注一"


def test_a_unit_user_cannot_export_another_units_template_and_the_export_is_audited(users, orgs):
    with pytest.raises(PermissionRefused):
        export(users["jinshui"], orgs["zhongyuan"])
    export(users["jinshui"], orgs["jinshui"])
    entry = AuditEntry.objects.get(action="export", object_type="reporting.progressreport")
    assert entry.actor == users["jinshui"] and entry.after["period"] == "2022-06" and entry.after["unit"] == "jinshui"


def test_round_trip_export_fill_with_openpyxl_and_import(users, orgs, construction_project, seed_report, tmp_path):
    a, b = construction_project(), construction_project()
    seed_report(a, "2022-05", month="40", ytd="100", cumulative="300", percent="30")
    _, book = export(users["jinshui"], orgs["jinshui"])
    ws = book["月度进展"]
    cols = header_map(ws)
    codes = {ws[f"{cols['项目代码']}{r}"].value: r for r in (2, 3)}
    for code, amount, progress, percent in ((a.project_code, 55.5, "主体完工", 45), (b.project_code, 0, "前期", 0)):
        r = codes[code]
        ws[f"{cols['本月完成投资（万元）']}{r}"] = amount
        ws[f"{cols['形象进度']}{r}"] = progress
        ws[f"{cols['完成百分比']}{r}"] = percent
    path = tmp_path / "filled.xlsx"
    book.save(path)

    with audit_context(source="web", actor=users["jinshui"]):
        result = import_progress(actor=users["jinshui"], path=path, period_code="2022-06", unit_code="jinshui")

    assert result.ok, result.errors
    assert result.created == 2 and not [w for w in result.warnings if "模板标识" in w.message]
    ra = ProgressReport.objects.get(project=a, period__code="2022-06")
    assert ra.ytd_amount_yuan == wan_to_yuan("155.5") and ra.cumulative_amount_yuan == wan_to_yuan("355.5")
    assert ra.percent_complete == Decimal("45") and ra.physical_progress == "主体完工" and ra.started

    # The same file for another month is refused by its metadata.
    with audit_context(source="web", actor=users["jinshui"]):
        wrong = import_progress(actor=users["jinshui"], path=path, period_code="2022-07", unit_code="jinshui")
    assert not wrong.ok and "2022-06的模板" in wrong.errors[0].message


# -- the command line ----------------------------------------------------------

def test_export_template_command_writes_the_file_in_the_users_scope(users, orgs, construction_project, tmp_path):
    construction_project()
    out = tmp_path / "t.xlsx"
    stdout = io.StringIO()
    call_command("export_template", "progress", "--period", "2022-06", "--unit", "jinshui", "-o", str(out),
                 "--as", "jinshui", stdout=stdout)
    assert "1 个项目" in stdout.getvalue()
    assert openpyxl.load_workbook(out)["月度进展"]["A2"].value
    entry = AuditEntry.objects.get(action="export")
    assert entry.source == "cli" and entry.actor == users["jinshui"]

    with pytest.raises(CommandError, match="不在用户“jinshui”的权限范围内"):
        call_command("export_template", "progress", "--period", "2022-06", "--unit", "zhongyuan", "-o",
                     str(tmp_path / "x.xlsx"), "--as", "jinshui")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("export_template", "progress", "--period", "2022-6", "--unit", "jinshui", "-o",
                     str(tmp_path / "y.xlsx"))


def test_export_template_command_without_as_acts_as_the_system(users, orgs, construction_project, tmp_path):
    construction_project("zhongyuan")
    out = tmp_path / "t.xlsx"
    call_command("export_template", "progress", "--period", "2022-06", "--unit", "zhongyuan", "-o", str(out),
                 stdout=io.StringIO())
    entry = AuditEntry.objects.get(action="export")
    assert entry.source == "cli" and entry.actor is None and entry.actor_name == "system"


def test_import_progress_command_reports_in_chinese_or_json(users, orgs, construction_project, tmp_path):
    p = construction_project()
    out = tmp_path / "t.xlsx"
    call_command("export_template", "progress", "--period", "2022-06", "--unit", "jinshui", "-o", str(out),
                 stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    book["月度进展"]["G2"] = -1
    book.save(out)

    stdout = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_progress", str(out), "--period", "2022-06", "--unit", "jinshui", "--as", "jinshui",
                     stdout=stdout)
    assert refused.value.returncode == 1
    assert "第2行 本月完成投资（万元）：不能为负数" in stdout.getvalue()

    stdout = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_progress", str(out), "--period", "2022-06", "--unit", "jinshui", "--json",
                     stdout=stdout)
    body = json.loads(stdout.getvalue())
    assert body["ok"] is False
    assert body["errors"] == [{"sheet": "月度进展", "row": 2, "column": "本月完成投资（万元）",
                               "message": "不能为负数（填写的是-1）"}]

    book["月度进展"]["G2"] = 8.5
    book.save(out)
    stdout = io.StringIO()
    call_command("import_progress", str(out), "--period", "2022-06", "--unit", "jinshui", "--as", "jinshui",
                 "--json", stdout=stdout)
    body = json.loads(stdout.getvalue())
    assert body["ok"] is True and body["summary"]["created"] == 1 and body["summary"]["unit"] == "jinshui"
    assert ProgressReport.objects.get(project=p).month_amount_yuan == wan_to_yuan("8.5")
    entry = AuditEntry.objects.get(action="import")
    assert entry.source == "cli" and entry.actor == users["jinshui"]

    stdout = io.StringIO()
    call_command("import_progress", str(out), "--period", "2022-06", "--unit", "jinshui", "--dry-run",
                 stdout=stdout)
    assert "校验通过（试导入，未写入）" in stdout.getvalue() and "1 行无变化" in stdout.getvalue()


def test_import_progress_command_refuses_a_unit_outside_the_users_scope(users, orgs, tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"PK\x03\x04")
    stdout = io.StringIO()
    with pytest.raises(CommandError, match="无权为中原区导入"):
        call_command("import_progress", str(path), "--period", "2022-06", "--unit", "zhongyuan", "--as", "jinshui",
                     "--json", stdout=stdout)
    assert json.loads(stdout.getvalue())["errors"][0]["message"].startswith("您无权")


def test_the_progress_bar_redraws_one_line():
    from django.core.management.base import OutputWrapper

    from tuijin.jobs.importcommand import _ProgressBar

    out = io.StringIO()
    bar = _ProgressBar(OutputWrapper(out))
    bar(5, 10)
    bar(10, 10)
    bar.close()
    text = out.getvalue()
    assert text.startswith("\r导入进度 [") and "100% 10/10" in text and text.endswith("\n")
    assert "\n" not in text[:-1]
