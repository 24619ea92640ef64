"""Import of monthly progress from real xlsx files (DESIGN §4.5; 二(七)20)."""

# Fixtures are imported from import_fixtures (this directory has no conftest of ours): F811 is expected.
# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal

import pytest

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.reporting.importing import count_data_rows, import_progress
from tuijin.reporting.models import ProgressReport
from tuijin.toolkit.errors import PermissionRefused, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan

from .import_fixtures import (  # noqa: F401  (fixtures)
    build_xlsx,
    construction_project,
    data_row,
    lock_unit_period,
    seed_report,
)

pytestmark = pytest.mark.django_db

AMOUNT = "本月完成投资（万元）"


def run(user, path, period="2022-06", unit="jinshui", **kwargs):
    with audit_context(source="web", actor=user, reason="test import"):
        return import_progress(actor=user, path=path, period_code=period, unit_code=unit, **kwargs)


def report(project, period):
    return ProgressReport.objects.get(project=project, period__code=period)


def messages_at(result, row, column=None):
    return [e.message for e in result.errors if e.row == row and (column is None or e.column == column)]


# -- a clean import ----------------------------------------------------------

def test_a_clean_import_writes_every_row_with_derived_totals_and_audits_each(
        users, construction_project, seed_report, tmp_path):
    a = construction_project(name="金水区甲项目")
    b = construction_project(name="金水区乙项目")
    seed_report(a, "2022-05", month="200", ytd="700.5", cumulative="1200.5", percent="20")
    path = build_xlsx(tmp_path / "june.xlsx", [
        data_row(a.project_code, amount=150.25, progress="主体结构施工至8层", percent=25.5, notes="按计划推进"),
        data_row(b.project_code, amount=0, progress="土方开挖", percent="", started="否"),
    ], meta=("2022-06", "jinshui"))

    result = run(users["jinshui"], path, filename="金水区6月.xlsx")

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    ra, rb = report(a, "2022-06"), report(b, "2022-06")
    assert ra.month_amount_yuan == wan_to_yuan("150.25")
    assert ra.ytd_amount_yuan == wan_to_yuan("850.75")  # 700.5 + 150.25
    assert ra.cumulative_amount_yuan == wan_to_yuan("1350.75")
    assert ra.physical_progress == "主体结构施工至8层" and ra.percent_complete == Decimal("25.5")
    assert ra.started is True and ra.notes == "按计划推进" and ra.status == "draft"
    assert ra.import_batch == result.batch and ra.updated_by == users["jinshui"] and ra.unit.code == "jinshui"
    assert (rb.month_amount_yuan, rb.ytd_amount_yuan, rb.cumulative_amount_yuan) == (0, 0, 0)
    assert rb.percent_complete is None and rb.started is False

    # The import's entries (the fixtures' own rows record theirs under the "system" source).
    rows = AuditEntry.objects.filter(object_type="reporting.progressreport", action="create", source="web")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted([str(ra.pk), str(rb.pk)])
    entry = rows.get(object_id=str(ra.pk))
    assert entry.before is None and entry.after["month_amount_yuan"] == wan_to_yuan("150.25")
    assert entry.after["project"] == a.project_code and entry.actor == users["jinshui"] and entry.source == "web"
    batch = AuditEntry.objects.get(object_type="reporting.progressimport")
    assert batch.action == "import" and batch.object_id == str(result.batch)
    assert batch.after["file"] == "金水区6月.xlsx" and len(batch.after["sha256"]) == 64
    assert (batch.after["rows"], batch.after["created"], batch.after["updated"]) == (2, 2, 0)
    assert {e.request_id for e in AuditEntry.objects.filter(object_type__startswith="reporting.", source="web")} == {
        batch.request_id}
    assert result.as_dict()["summary"] == {
        "rows": 2, "created": 2, "updated": 0, "unchanged": 0, "cascaded": 0, "batch": str(result.batch),
        "period": "2022-06", "unit": "jinshui", "dry_run": False, "error_count": 0, "warning_count": 0,
    }


def test_derived_totals_carry_across_months_and_restart_at_the_year_boundary(
        users, construction_project, seed_report, tmp_path):
    p = construction_project()
    seed_report(p, "2021-12", month="300", ytd="2400", cumulative="5000")
    for period, amount in (("2022-01", 100), ("2022-02", 50)):
        path = build_xlsx(tmp_path / f"{period}.xlsx", [data_row(p.project_code, amount=amount)],
                          meta=(period, "jinshui"))
        assert run(users["fgw"], path, period=period).ok
    jan, feb = report(p, "2022-01"), report(p, "2022-02")
    assert (jan.ytd_amount_yuan, jan.cumulative_amount_yuan) == (wan_to_yuan("100"), wan_to_yuan("5100"))
    assert (feb.ytd_amount_yuan, feb.cumulative_amount_yuan) == (wan_to_yuan("150"), wan_to_yuan("5150"))


def test_a_gap_in_reporting_falls_back_to_the_latest_earlier_report(
        users, construction_project, seed_report, tmp_path):
    p = construction_project()
    seed_report(p, "2021-11", month="10", ytd="90", cumulative="400")
    seed_report(p, "2022-01", month="20", ytd="20", cumulative="420")  # Feb and Mar not reported
    path = build_xlsx(tmp_path / "may.xlsx", [data_row(p.project_code, amount=5)], meta=("2022-05", "jinshui"))
    assert run(users["jinshui"], path, period="2022-05").ok
    may = report(p, "2022-05")
    assert (may.ytd_amount_yuan, may.cumulative_amount_yuan) == (wan_to_yuan("25"), wan_to_yuan("425"))


def test_changing_a_month_recomputes_later_months_of_the_project(
        users, construction_project, seed_report, tmp_path):
    p = construction_project()
    seed_report(p, "2022-05", month="100", ytd="100", cumulative="100", status="draft")
    june = seed_report(p, "2022-06", month="10", ytd="110", cumulative="110", status="draft")
    path = build_xlsx(tmp_path / "may.xlsx", [data_row(p.project_code, amount=130)], meta=("2022-05", "jinshui"))
    result = run(users["jinshui"], path, period="2022-05")
    assert result.ok and result.updated == 1 and result.cascaded == 1
    june.refresh_from_db()
    assert (june.ytd_amount_yuan, june.cumulative_amount_yuan) == (wan_to_yuan("140"), wan_to_yuan("140"))
    assert june.month_amount_yuan == wan_to_yuan("10")
    entry = AuditEntry.objects.get(object_type="reporting.progressreport", object_id=str(june.pk), action="update")
    assert entry.before["ytd_amount_yuan"] == wan_to_yuan("110") and entry.after["ytd_amount_yuan"] == wan_to_yuan("140")


def test_other_units_rows_are_not_touched(users, construction_project, seed_report, tmp_path):
    mine = construction_project("jinshui")
    theirs = construction_project("zhongyuan")
    other = seed_report(theirs, "2022-06", month="77", ytd="77", cumulative="77", status="draft")
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(mine.project_code)], meta=("2022-06", "jinshui"))
    assert run(users["fgw"], path).ok
    before = other.updated_at
    other.refresh_from_db()
    assert other.month_amount_yuan == wan_to_yuan("77") and other.updated_at == before and other.version == 1


# -- every error at once -----------------------------------------------------

def test_a_file_with_one_error_of_each_kind_lists_every_error_and_writes_nothing(
        users, construction_project, make_project, tmp_path):
    good = construction_project()
    dup = construction_project()
    foreign = construction_project("zhongyuan")
    reserve = make_project("jinshui", stage="reserve")
    codes = [construction_project().project_code for _ in range(8)]
    rows = [
        data_row(good.project_code),                                    # row 2: fine
        data_row(codes[0], amount=-5),                                  # 3: negative
        data_row(codes[1], amount="一百"),                               # 4: not a number
        data_row(codes[2], percent=150),                                # 5: percent out of range
        data_row(codes[3], percent=12.345),                             # 6: more than 2 decimals
        data_row(codes[4], started="也许"),                              # 7: not 是/否
        data_row("2022-410105-35-03-999999"),                           # 8: unknown code
        data_row(dup.project_code),                                     # 9: first occurrence
        data_row(dup.project_code),                                     # 10: duplicate
        data_row(foreign.project_code),                                 # 11: outside the user's scope
        data_row(reserve.project_code),                                 # 12: not reportable
        data_row(codes[5], amount=""),                                  # 13: amount missing
        data_row(codes[6], amount=1.23456),                             # 14: more than 4 decimals
        data_row("", amount=3),                                         # 15: code missing
        data_row(codes[7], progress="很" * 501),                         # 16: too long
    ]
    path = build_xlsx(tmp_path / "bad.xlsx", rows, meta=("2022-06", "jinshui"))

    result = run(users["jinshui"], path)

    assert not result.ok
    expected = {
        3: (AMOUNT, "负数"), 4: (AMOUNT, "数字"), 5: ("完成百分比", "0–100"), 6: ("完成百分比", "2位小数"),
        7: ("是否开工", "“是”或“否”"), 8: ("项目代码", "没有该项目代码"), 10: ("项目代码", "与第9行重复"),
        11: ("项目代码", "不在您的权限范围内"), 12: ("项目代码", "储备库"), 13: (AMOUNT, "必填"),
        14: (AMOUNT, "4位小数"), 15: ("项目代码", "必填"), 16: ("形象进度", "最多500字"),
    }
    for row, (column, words) in expected.items():
        found = messages_at(result, row, column)
        assert found and any(words in m for m in found), (row, column, found)
    assert {e.row for e in result.errors} == set(expected)
    assert all(e.sheet == "月度进展" for e in result.errors)
    assert result.error_count == len(result.errors) == len(expected)
    # The scope message does not say whose project it is.
    assert "中原" not in messages_at(result, 11)[0]
    assert ProgressReport.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="reporting.").exists()
    body = result.as_dict()
    assert body["ok"] is False and body["summary"]["batch"] is None
    assert {"sheet": "月度进展", "row": 3, "column": AMOUNT} == {k: body["errors"][0][k] for k in ("sheet", "row", "column")}
    assert any(line.strip().startswith("第3行 本月完成投资（万元）：不能为负数") for line in result.report_lines())


def test_a_city_administrator_is_told_the_project_belongs_to_another_unit(users, construction_project, tmp_path):
    foreign = construction_project("zhongyuan")
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(foreign.project_code)], meta=("2022-06", "jinshui"))
    result = run(users["fgw"], path)
    assert not result.ok and "属于中原区" in messages_at(result, 2, "项目代码")[0]


def test_a_unit_user_cannot_import_for_another_unit(users, tmp_path):
    path = build_xlsx(tmp_path / "f.xlsx", [data_row("2022-410102-35-03-000001")])
    with pytest.raises(PermissionRefused):
        run(users["jinshui"], path, unit="zhongyuan")
    with pytest.raises(PermissionRefused):
        run(users["leader"], path, unit="jinshui")  # read-only role


def test_a_malformed_period_is_refused(users, tmp_path):
    path = build_xlsx(tmp_path / "f.xlsx", [data_row("x")])
    with pytest.raises(ValidationFailed, match="YYYY-MM"):
        run(users["fgw"], path, period="2022-13")


# -- warnings never block ----------------------------------------------------

def test_each_data_quality_check_warns_without_blocking(
        users, construction_project, make_project, seed_report, tmp_path):
    over_plan = construction_project(annual_plan_wan="100")
    over_total = construction_project(total_investment_yuan=wan_to_yuan("500"), annual_plan_wan="10000")
    spike = construction_project()
    for period in ("2022-03", "2022-04", "2022-05"):
        seed_report(spike, period, month="10", ytd="0", cumulative="0")
    not_started = make_project("jinshui", stage="ready", planned_start="2022-09-01")
    completed = construction_project(stage="completed", actual_end="2022-04-30")
    going_down = construction_project()
    seed_report(going_down, "2022-05", month="1", ytd="1", cumulative="1", percent="60")
    path = build_xlsx(tmp_path / "warn.xlsx", [
        data_row(over_plan.project_code, amount=150),          # 2: ytd above the annual plan
        data_row(over_total.project_code, amount=600),         # 3: cumulative above total investment
        data_row(spike.project_code, amount=31),               # 4: > 3 × trailing average of 10
        data_row(not_started.project_code, amount=5, started="否"),  # 5: not started
        data_row(completed.project_code, amount=5),            # 6: completed
        data_row(going_down.project_code, amount=1, percent=50),  # 7: percent going down
    ], meta=("2022-06", "jinshui"))

    result = run(users["jinshui"], path)

    assert result.ok, result.errors
    assert result.created == 6
    found = {(w.row, w.column): w.message for w in result.warnings}
    assert "超过年度计划" in found[(2, AMOUNT)]
    assert "超过总投资" in found[(3, AMOUNT)]
    assert "平均值的3.1倍" in found[(4, AMOUNT)]
    assert "尚未开工" in found[(5, AMOUNT)]
    assert "已竣工" in found[(6, AMOUNT)]
    assert "60.00%降为50.00%" in found[(7, "完成百分比")]
    assert ProgressReport.objects.filter(period__code="2022-06").count() == 6


def test_reportable_projects_missing_from_the_file_are_flagged(users, construction_project, tmp_path):
    reported = construction_project()
    missing = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(reported.project_code)], meta=("2022-06", "jinshui"))
    result = run(users["jinshui"], path)
    assert result.ok
    assert any("1个不在文件中" in w.message and missing.project_code in w.message for w in result.warnings)


# -- idempotence, updates, dry run ------------------------------------------

def test_reimporting_the_same_file_changes_nothing(users, construction_project, tmp_path):
    projects = [construction_project() for _ in range(3)]
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code, amount=12.5, percent=33.33) for p in projects],
                      meta=("2022-06", "jinshui"))
    first = run(users["jinshui"], path)
    entries = AuditEntry.objects.count()
    versions = list(ProgressReport.objects.order_by("id").values_list("version", "updated_at"))

    second = run(users["jinshui"], path)

    assert first.ok and first.created == 3
    assert second.ok and (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert second.batch is None
    assert AuditEntry.objects.count() == entries
    assert list(ProgressReport.objects.order_by("id").values_list("version", "updated_at")) == versions


def test_a_changed_row_is_updated_and_audited_with_before_and_after(users, construction_project, tmp_path):
    a, b = construction_project(), construction_project()
    run(users["jinshui"], build_xlsx(tmp_path / "1.xlsx", [data_row(a.project_code, amount=10),
                                                           data_row(b.project_code, amount=20)],
                                     meta=("2022-06", "jinshui")))
    result = run(users["jinshui"], build_xlsx(tmp_path / "2.xlsx", [data_row(a.project_code, amount=10),
                                                                    data_row(b.project_code, amount=25)],
                                              meta=("2022-06", "jinshui")))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    rb = report(b, "2022-06")
    assert rb.month_amount_yuan == wan_to_yuan("25") and rb.version == 2
    entry = AuditEntry.objects.get(object_type="reporting.progressreport", action="update")
    assert entry.object_id == str(rb.pk)
    assert entry.before["month_amount_yuan"] == wan_to_yuan("20") and entry.after["month_amount_yuan"] == wan_to_yuan("25")
    assert result.changes == [{"row": 3, "project_code": b.project_code, "project_name": b.name, "action": "update",
                               "before": {"month_amount_wan": "20.0000", "ytd_amount_wan": "20.0000",
                                          "cumulative_amount_wan": "20.0000"},
                               "after": {"month_amount_wan": "25.0000", "ytd_amount_wan": "25.0000",
                                         "cumulative_amount_wan": "25.0000"}}]


def test_a_dry_run_validates_and_previews_but_writes_nothing(users, construction_project, tmp_path):
    p = construction_project()
    calls = []
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "jinshui"))
    result = run(users["jinshui"], path, dry_run=True, progress=lambda done, total: calls.append((done, total)))
    assert result.ok and result.dry_run and result.created == 1 and result.batch is None
    assert result.changes[0]["action"] == "create"
    assert ProgressReport.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="reporting.").exists()
    assert calls and calls[-1][0] == calls[-1][1] > 0


# -- locked period, wrong period ---------------------------------------------

@pytest.mark.parametrize(("status", "words"), [("submitted", "联系市发展改革委退回"), ("approved", "更正申请")])
def test_a_submitted_or_approved_period_refuses_the_whole_file(
        users, construction_project, lock_unit_period, tmp_path, status, words):
    p = construction_project()
    lock_unit_period("jinshui", "2022-06", status)
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "jinshui"))
    result = run(users["jinshui"], path)
    assert not result.ok
    assert result.errors[0].row is None and words in result.errors[0].message
    assert ProgressReport.objects.count() == 0


def test_a_returned_period_can_be_imported_again(users, construction_project, lock_unit_period, tmp_path):
    p = construction_project()
    lock_unit_period("jinshui", "2022-06", "returned")
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "jinshui"))
    assert run(users["jinshui"], path).ok


@pytest.mark.parametrize(("meta", "words"), [(("2022-05", "jinshui"), "2022-05的模板"),
                                             (("2022-06", "zhongyuan"), "中原区的模板")])
def test_a_template_of_another_period_or_unit_is_refused(users, construction_project, tmp_path, meta, words):
    p = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=meta)
    result = run(users["fgw"], path)
    assert not result.ok and any(words in e.message for e in result.errors)
    assert ProgressReport.objects.count() == 0


def test_a_file_without_the_template_metadata_is_accepted_with_a_warning(users, construction_project, tmp_path):
    p = construction_project()
    result = run(users["jinshui"], build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)]))
    assert result.ok and any("模板标识" in w.message for w in result.warnings)


def test_a_period_that_has_not_opened_is_refused(users, construction_project, tmp_path):
    p = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2099-01", "jinshui"))
    result = run(users["jinshui"], path, period="2099-01")
    assert not result.ok and "尚未开始" in result.errors[0].message


# -- files that are not what they should be -----------------------------------

def _errors_of(users, path):
    result = run(users["jinshui"], path)
    assert not result.ok
    assert ProgressReport.objects.count() == 0
    return " ".join(e.message for e in result.errors), result


def test_a_file_that_is_not_xlsx_is_refused_whatever_its_name(users, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_text("项目代码,本月完成投资\n", encoding="utf-8")
    text, _ = _errors_of(users, path)
    assert "不是 Excel 工作簿" in text


def test_a_zip_that_is_not_a_workbook_is_refused(users, tmp_path):
    import zipfile

    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    text, _ = _errors_of(users, path)
    assert "不是 Excel 工作簿" in text


def test_an_empty_file_is_refused(users, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    text, _ = _errors_of(users, path)
    assert "文件为空" in text


def test_a_sheet_without_data_rows_is_refused(users, tmp_path):
    text, _ = _errors_of(users, build_xlsx(tmp_path / "f.xlsx", [], meta=("2022-06", "jinshui")))
    assert "没有数据行" in text


def test_an_encrypted_file_is_refused(users, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096)  # an OLE compound file, as Excel writes
    text, _ = _errors_of(users, path)
    assert "密码" in text and "加密" in text


def test_formulas_are_refused_cell_by_cell(users, construction_project, tmp_path):
    p, q = construction_project(), construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code), data_row(q.project_code)],
                      formulas={(1, 6): "=1+2", (2, 8): "=SUM(1,2)"}, meta=("2022-06", "jinshui"))
    text, result = _errors_of(users, path)
    assert "G2 含有公式" in messages_at(result, 2, AMOUNT)[0]
    assert "I3 含有公式" in messages_at(result, 3, "完成百分比")[0]


def test_merged_header_cells_are_refused(users, construction_project, tmp_path):
    p = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], merge_header="L1:M1",
                      meta=("2022-06", "jinshui"))
    text, _ = _errors_of(users, path)
    assert "表头（第1行）有合并单元格 L1:M1" in text


def test_missing_headers_are_named(users, tmp_path):
    headers = ["项目代码", "项目名称", "本月投资", "形象进度", "完成百分比"]
    path = build_xlsx(tmp_path / "f.xlsx", [["x", "y", 1, "z", 1]], headers=headers)
    text, result = _errors_of(users, path)
    assert "缺少必需的列：本月完成投资（万元）、是否开工" in text
    assert result.errors[0].row == 1


def test_headers_with_ascii_brackets_and_spaces_are_accepted(users, construction_project, tmp_path):
    from .import_fixtures import COLUMN_INDEX

    p = construction_project()
    headers = list(COLUMN_INDEX)
    headers[COLUMN_INDEX[AMOUNT]] = " 本月完成投资 (万元) "
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], headers=headers)
    assert run(users["jinshui"], path).ok


def test_too_many_rows_or_bytes_are_refused(users, construction_project, tmp_path, settings):
    p = construction_project()
    rows = [data_row(p.project_code)] + [data_row(f"2022-410105-35-03-{i:06d}") for i in range(900001, 900004)]
    path = build_xlsx(tmp_path / "f.xlsx", rows, meta=("2022-06", "jinshui"))
    settings.TUIJIN_MAX_IMPORT_ROWS = 3
    text, _ = _errors_of(users, path)
    assert "数据行数 4 超过上限 3 行" in text
    settings.TUIJIN_MAX_IMPORT_ROWS = 100
    settings.TUIJIN_MAX_UPLOAD_BYTES = 1000
    text, _ = _errors_of(users, path)
    assert "超过上限" in text and "MB" in text


def test_count_data_rows_is_cheap_and_forgiving(tmp_path):
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(f"c{i}") for i in range(7)])
    assert count_data_rows(path) == 7
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    assert count_data_rows(junk) == 0


def test_the_commit_needs_an_audit_context(users, construction_project, tmp_path):
    from tuijin.audit.context import AuditContextMissing

    p = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "jinshui"))
    with pytest.raises(AuditContextMissing):
        import_progress(actor=users["jinshui"], path=path, period_code="2022-06", unit_code="jinshui")
    assert ProgressReport.objects.count() == 0


def test_created_and_updated_rows_are_audited_with_the_same_shape(users, construction_project, tmp_path):
    p = construction_project()
    run(users["jinshui"], build_xlsx(tmp_path / "1.xlsx", [data_row(p.project_code, amount=10, percent=25.5)],
                                     meta=("2022-06", "jinshui")))
    run(users["jinshui"], build_xlsx(tmp_path / "2.xlsx", [data_row(p.project_code, amount=11, percent=25.5)],
                                     meta=("2022-06", "jinshui")))
    created = AuditEntry.objects.get(object_type="reporting.progressreport", action="create")
    updated = AuditEntry.objects.get(object_type="reporting.progressreport", action="update")
    assert created.after == updated.before == {
        "project": p.project_code, "period": "2022-06", "month_amount_yuan": 100_000, "ytd_amount_yuan": 100_000,
        "cumulative_amount_yuan": 100_000, "physical_progress": "主体施工", "percent_complete": "25.50",
        "started": True, "notes": "", "status": "draft",
    }
    assert updated.after["month_amount_yuan"] == 110_000
    assert created.object_repr == updated.object_repr == f"{p.name} 2022-06"
    assert created.object_id == updated.object_id == str(report(p, "2022-06").pk)


def test_the_system_imports_city_wide_without_an_actor(construction_project, tmp_path):
    p = construction_project("zhongyuan")
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "zhongyuan"))
    with audit_context(source="cli", reason="test"):
        result = import_progress(actor=None, path=path, period_code="2022-06", unit_code="zhongyuan")
    assert result.ok and report(p, "2022-06").updated_by is None
    entry = AuditEntry.objects.get(object_type="reporting.progressimport")
    assert entry.actor is None and entry.actor_name == "system" and entry.source == "cli"


def test_a_concurrent_import_of_the_same_rows_rolls_back_with_a_conflict(
        users, construction_project, tmp_path, monkeypatch):
    from tuijin.reporting import importing
    from tuijin.toolkit.errors import Conflict

    p = construction_project()
    path = build_xlsx(tmp_path / "f.xlsx", [data_row(p.project_code)], meta=("2022-06", "jinshui"))
    # As if another import had inserted the row between validation and commit: fewer rows created.
    monkeypatch.setattr(importing._Writer, "audit_created", lambda self, ctx, period_code: 0)
    with pytest.raises(Conflict, match="重新导入"):
        run(users["jinshui"], path)
    assert ProgressReport.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="reporting.").exists()
