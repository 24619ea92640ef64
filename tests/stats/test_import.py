"""Import of official statistics from real xlsx files (DESIGN §4.6; issue 4 item 1)."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest

from tuijin.audit.context import AuditContextMissing, audit_context
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import Org
from tuijin.stats.importing import (
    COL_GROWTH,
    COL_INDICATOR,
    COL_ORG,
    COL_PERIOD,
    COL_VALUE,
    HEADERS,
    import_stats,
)
from tuijin.stats.models import OfficialStat
from tuijin.toolkit.errors import PermissionRefused, ValidationFailed

from .conftest import UNITS, month_rows, run_import

pytestmark = pytest.mark.django_db

WITH_PERIOD = (COL_PERIOD, *HEADERS)


def stored(org: str, indicator: str = "fai", period: str = "2022-06") -> OfficialStat:
    year, month = map(int, period.split("-"))
    return OfficialStat.objects.get(org__code=org, indicator=indicator, year=year, month=month)


def errors_at(result, row, column=None):
    return [e.message for e in result.errors if e.row == row and (column is None or e.column == column)]


# -- a clean import ----------------------------------------------------------

def test_a_clean_import_stores_every_row_and_audits_each_with_one_batch_entry(tjj, xlsx):
    path = xlsx(month_rows())

    result = run_import(tjj, path, filename="2022年6月.xlsx")

    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (17, 17, 0, 0)
    assert result.periods == ["2022-06"] and result.batch is not None
    assert OfficialStat.objects.count() == 17
    jinshui = stored("jinshui")
    assert jinshui.ytd_value_yuan == 103_000 * 10_000 and jinshui.yoy_growth == Decimal("8.30")
    assert jinshui.import_batch == result.batch
    city = stored("city")
    assert city.ytd_value_yuan == sum(100_000 + 1000 * i for i in range(16)) * 10_000
    rows = AuditEntry.objects.filter(object_type="stats.officialstat")
    assert rows.count() == 17 and set(rows.values_list("action", flat=True)) == {"create"}
    entry = rows.get(object_id=str(jinshui.pk))
    assert entry.after == {"org": "jinshui", "indicator": "fai", "period": "2022-06",
                           "ytd_value_yuan": 1_030_000_000, "yoy_growth": "8.30"}
    assert entry.actor == tjj and entry.source == "web"
    batch = AuditEntry.objects.get(object_type="stats.statsimport")
    assert batch.object_id == str(result.batch) and batch.after["created"] == 17
    assert batch.after["file"] == "2022年6月.xlsx" and len(batch.after["sha256"]) == 64
    stats_entries = AuditEntry.objects.filter(object_type__startswith="stats.")
    assert len({e.request_id for e in stats_entries}) == 1  # one import, one request id
    assert result.warnings == []


def test_the_json_result_has_the_shared_shape(tjj, xlsx):
    body = run_import(tjj, xlsx(month_rows())).as_dict()
    assert set(body) == {"ok", "errors", "warnings", "summary", "changes"}
    assert body["ok"] is True and body["summary"]["created"] == 17 and body["summary"]["period"] == "2022-06"
    change = body["changes"][0]
    assert change == {"row": 2, "org": "city", "org_name": "郑州市", "indicator": "fai", "indicator_name": "固定资产投资",
                      "period": "2022-06", "action": "create", "before": None,
                      "after": {"ytd_value_wan": "1720000.0000", "yoy_growth": "8.50"}}


def test_chinese_indicator_and_unit_names_are_accepted(tjj, xlsx):
    path = xlsx([
        ["金水区", "固定资产投资", 1000, 5],
        ["jinshui", "工业投资", 300, 12.5],
        ["金水区", "基础设施", 200, "18%"],
        ["JINSHUI", "房地产开发投资", 400, -3.25],
        ["全市", "固投", 9000, 9.9],
    ])
    result = run_import(tjj, path)
    assert result.ok, result.errors
    assert {(s.org.code, s.indicator) for s in OfficialStat.objects.select_related("org")} == {
        ("jinshui", "fai"), ("jinshui", "industrial"), ("jinshui", "infrastructure"), ("jinshui", "real_estate"),
        ("city", "fai")}
    assert stored("jinshui", "infrastructure").yoy_growth == Decimal("18")
    assert stored("jinshui", "real_estate").yoy_growth == Decimal("-3.25")


def test_a_title_row_and_shifted_columns_are_read_with_their_excel_rows(tjj, xlsx):
    path = xlsx([["jinshui", "fai", "abc", 5]], title="2022年1-6月各区县（市）固定资产投资", first_col=2)
    result = run_import(tjj, path)
    assert errors_at(result, 3, COL_VALUE) == ["应为数字，实际为“abc”（单位万元）"]


# -- every error at once -----------------------------------------------------

def test_every_kind_of_row_error_is_listed_at_once_and_nothing_is_written(tjj, xlsx):
    path = xlsx([
        ["", "jinshui", "fai", 1000, 5],  # row 2: fine on its own
        ["", "nowhere", "fai", 1000, 5],  # row 3: unknown org
        ["", "erqi", "gdp", 1000, 5],  # row 4: unknown indicator
        ["", "guancheng", "fai", "很多", 5],  # row 5: non-numeric value
        ["", "huiji", "fai", 1000, 1000.5],  # row 6: growth above 1000
        ["", "shangjie", "fai", 1000, -100.01],  # row 7: growth below −100
        ["", "jinshui", "fai", 2000, 6],  # row 8: duplicate of row 2
        ["2022-13", "xinmi", "fai", 1000, 5],  # row 9: wrong period
        ["六月", "dengfeng", "fai", 1000, 5],  # row 10: wrong period
        ["", "gongyi", "industrial", -5, "x"],  # row 11: negative value and non-numeric growth
        ["", "", "", 1000, ""],  # row 12: org and indicator missing
    ], headers=WITH_PERIOD)

    result = run_import(tjj, path)

    assert not result.ok
    assert errors_at(result, 2) == []
    assert errors_at(result, 3, COL_ORG) == ["未知的单位代码“nowhere”：应为16个区县（市）/开发区的代码（如 zhongyuan、zhengdong）或 city（全市）"]
    assert "未知的指标“gdp”" in errors_at(result, 4, COL_INDICATOR)[0]
    assert errors_at(result, 5, COL_VALUE) == ["应为数字，实际为“很多”（单位万元）"]
    assert errors_at(result, 6, COL_GROWTH) == ["应在-100至1000之间（单位%），实际为1000.5"]
    assert errors_at(result, 7, COL_GROWTH) == ["应在-100至1000之间（单位%），实际为-100.01"]
    assert errors_at(result, 8, COL_ORG) == ["与第2行重复：同一单位、同一指标、同一期间只能有一行（金水区 固定资产投资 2022-06）"]
    assert errors_at(result, 9, COL_PERIOD) == ["月份应为1至12，实际为13（“2022-13”）"]
    assert errors_at(result, 10, COL_PERIOD) == ["应为 YYYY-MM 格式的年月（如 2022-06），实际为“六月”"]
    assert len(errors_at(result, 11)) == 2
    assert {e.column for e in result.errors if e.row == 12} == {COL_ORG, COL_INDICATOR}
    assert result.error_count == 12
    assert all(e.sheet == "统计数据" for e in result.errors)
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)  # by row, then column
    assert not OfficialStat.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="stats.").exists()
    assert result.batch is None


def test_a_missing_header_is_named_and_the_other_columns_are_still_checked(tjj, xlsx):
    path = xlsx([["jinshui", "fai", "abc"], ["nowhere", "fai", 100]], headers=(COL_ORG, COL_INDICATOR, COL_VALUE))
    result = run_import(tjj, path)
    assert errors_at(result, 1) == ["缺少必需的列：同比增长（%）（表头应为 单位代码、指标、本年累计（万元）、同比增长（%），可另加“期间”列）"]
    assert errors_at(result, 2, COL_VALUE) and errors_at(result, 3, COL_ORG)
    assert not OfficialStat.objects.exists()


def test_headers_with_ascii_brackets_spaces_and_a_full_width_percent_are_accepted(tjj, xlsx):
    path = xlsx([["jinshui", "fai", 100, 5]], headers=("单位 代码", "指标", "本年累计(万元)", "同比增长（％）"))
    assert run_import(tjj, path).ok


def test_a_repeated_header_is_an_error(tjj, xlsx):
    path = xlsx([["jinshui", "fai", 100, 5, 6]], headers=(*HEADERS, "同比增长(%)"))
    result = run_import(tjj, path)
    assert errors_at(result, 1) == ["表头“同比增长（%）”重复出现（D列和E列）"]


def test_a_future_month_in_the_period_column_is_refused(tjj, xlsx):
    path = xlsx([["2099-01", "jinshui", "fai", 100, 5]], headers=WITH_PERIOD)
    result = run_import(tjj, path)
    assert "尚未到来" in errors_at(result, 2, COL_PERIOD)[0]


def test_a_month_after_the_business_date_has_no_figures_yet(tjj, xlsx, business_date):
    business_date("2022-07-15")
    refused = run_import(tjj, xlsx([["2022-08", "jinshui", "fai", 100, 5]], headers=WITH_PERIOD))
    assert "尚未到来" in errors_at(refused, 2, COL_PERIOD)[0]
    business_date("2022-09-01")
    assert run_import(tjj, xlsx([["2022-08", "jinshui", "fai", 100, 5]], headers=WITH_PERIOD)).ok


@pytest.mark.parametrize(("value", "problem"), [
    (12.34567, "最多保留4位小数（精确到元）（单位万元）"),
    (2_000_000_000, "金额2000000000万元过大，请核对单位是否为万元"),
    ("", "必填：本年累计完成投资，单位万元"),
])
def test_values_must_be_plausible_amounts_in_wan(tjj, xlsx, value, problem):
    result = run_import(tjj, xlsx([["jinshui", "fai", value, 5]]))
    assert errors_at(result, 2, COL_VALUE) == [problem]


def test_growth_has_at_most_two_decimals(tjj, xlsx):
    result = run_import(tjj, xlsx([["jinshui", "fai", 100, 5.123]]))
    assert errors_at(result, 2, COL_GROWTH) == ["最多保留2位小数，实际为5.123"]


# -- re-import, baselines, dry run -------------------------------------------

def test_importing_the_same_file_again_changes_nothing(tjj, xlsx):
    path = xlsx(month_rows())
    run_import(tjj, path)
    entries = AuditEntry.objects.count()
    stamps = dict(OfficialStat.objects.values_list("id", "updated_at"))

    again = run_import(tjj, path)

    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 17)
    assert again.batch is None and again.changes == []
    assert AuditEntry.objects.count() == entries
    assert dict(OfficialStat.objects.values_list("id", "updated_at")) == stamps


def test_a_corrected_figure_is_updated_and_audited_with_before_and_after(tjj, xlsx):
    run_import(tjj, xlsx(month_rows()))
    rows = month_rows()
    rows[4][2], rows[4][3] = 999_999, 7.1  # jinshui (after the city and three units)
    result = run_import(tjj, xlsx(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 16)
    assert stored("jinshui").ytd_value_yuan == 9_999_990_000
    entry = AuditEntry.objects.get(object_type="stats.officialstat", action="update")
    assert entry.before["ytd_value_yuan"] == 1_030_000_000 and entry.after["ytd_value_yuan"] == 9_999_990_000
    assert (entry.before["yoy_growth"], entry.after["yoy_growth"]) == ("8.30", "7.10")
    assert result.changes[0]["before"] == {"ytd_value_wan": "103000.0000", "yoy_growth": "8.30"}


def test_a_baseline_year_imports_in_one_file_with_the_period_column(tjj, xlsx):
    rows = [[f"2021-{m:02d}", code, "fai", 1000 * m + i, 3.5] for m in range(1, 13) for i, code in enumerate(UNITS)]
    result = run_import(tjj, xlsx(rows, headers=WITH_PERIOD), period="2021-12")
    assert result.ok, result.errors[:3]
    assert result.periods == [f"2021-{m:02d}" for m in range(1, 13)]
    assert OfficialStat.objects.filter(year=2021).count() == 16 * 12
    assert stored("erqi", period="2021-03").ytd_value_yuan == 3001 * 10_000


def test_rows_without_a_period_take_the_imports_period(tjj, xlsx):
    path = xlsx([["", "jinshui", "fai", 100, 5], ["2021-06", "jinshui", "fai", 95, 2]], headers=WITH_PERIOD)
    assert run_import(tjj, path, period="2022-06").ok
    assert stored("jinshui", period="2022-06").ytd_value_yuan == 1_000_000
    assert stored("jinshui", period="2021-06").ytd_value_yuan == 950_000


def test_a_period_typed_as_a_date_cell_is_read_as_its_month(tjj, xlsx):
    path = xlsx([[dt.date(2021, 6, 1), "jinshui", "fai", 95, 2]], headers=WITH_PERIOD)
    assert run_import(tjj, path).ok
    assert stored("jinshui", period="2021-06").ytd_value_yuan == 950_000


def test_a_dry_run_checks_and_previews_but_writes_nothing(tjj, xlsx):
    result = run_import(tjj, xlsx(month_rows()), dry_run=True)
    assert result.ok and result.created == 17 and len(result.changes) == 17
    assert result.report_lines()[-1].startswith("官方统计数据 2022-06：数据行 17 行；校验通过（试导入，未写入）")
    assert not OfficialStat.objects.exists() and not AuditEntry.objects.filter(object_type__startswith="stats.")


def test_the_commit_needs_an_audit_context(tjj, xlsx):
    with pytest.raises(AuditContextMissing):
        import_stats(actor=tjj, path=xlsx(month_rows()), period_code="2022-06")
    assert not OfficialStat.objects.exists()


# -- warnings ----------------------------------------------------------------

def test_units_missing_from_a_month_a_city_far_from_the_sum_and_odd_growth_are_flagged(tjj, xlsx):
    run_import(tjj, xlsx([["jinshui", "fai", 1000, 5]]), period="2021-06")
    rows = month_rows()
    rows[0][2] = rows[0][2] * 2  # the city: twice the units' sum
    rows[4][3] = 30  # jinshui: 103000 over 1000 last year is not +30 %
    rows[5][3] = ""  # shangjie: no growth
    result = run_import(tjj, xlsx(rows))
    assert result.ok
    messages = [w.message for w in result.warnings]
    assert any("全市本年累计" in m and "相差-50.0%" in m for m in messages)
    assert any(m.startswith("同比增长30%与按去年同期数据推算的增速10200.0%相差较大") for m in messages)
    assert "同比增长未填写：该数据没有增速，不参加增速排名" in messages
    partial = run_import(tjj, xlsx([["jinshui", "industrial", 100, 5]]))
    assert partial.warnings[0].message.startswith("2022-06 工业投资：文件缺少15个单位的数据（中原区、二七区")


# -- the file as a file ------------------------------------------------------

def test_a_file_that_is_not_xlsx_is_refused_whatever_its_name(tjj, tmp_path):
    path = tmp_path / "stats.xlsx"
    path.write_text("单位代码,指标\njinshui,fai\n", encoding="utf-8")
    result = run_import(tjj, path)
    assert [e.message for e in result.errors] == ["文件不是 Excel 工作簿（.xlsx）：请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入"]


def test_an_encrypted_file_is_refused(tjj, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    assert "已加密" in run_import(tjj, path).errors[0].message


def test_a_zip_that_is_not_a_workbook_is_refused(tjj, tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert "Word/WPS" in run_import(tjj, path).errors[0].message


def test_formulas_and_merged_cells_are_refused_by_cell(tjj, xlsx):
    path = xlsx([["jinshui", "fai", 100, 5], ["erqi", "fai", 100, 5]], formulas={(1, 2): "=1+1"}, merge="F5:G5")
    result = run_import(tjj, path)
    assert errors_at(result, 3, COL_VALUE) == ["单元格 C3 含有公式：导入不计算公式，请复制后“粘贴为数值”"]
    assert errors_at(result, 5) == ["有合并单元格 F5:G5：请取消合并，每个单元格填一个值"]
    assert not OfficialStat.objects.exists()


def test_an_empty_sheet_or_one_without_data_rows_is_refused(tjj, xlsx):
    assert run_import(tjj, xlsx([], headers=())).errors[0].message == "工作表为空，没有表头和数据行"
    assert run_import(tjj, xlsx([])).errors[0].message == "文件中没有数据行（表头下方为空）"


def test_too_many_rows_or_bytes_are_refused(tjj, xlsx, settings):
    settings.TUIJIN_MAX_IMPORT_ROWS = 5
    assert "超过上限 5 行" in run_import(tjj, xlsx(month_rows())).errors[0].message
    settings.TUIJIN_MAX_IMPORT_ROWS = 1000
    settings.TUIJIN_MAX_UPLOAD_BYTES = 100
    assert "超过上限" in run_import(tjj, xlsx(month_rows())).errors[0].message


# -- who may import ----------------------------------------------------------

@pytest.mark.parametrize("username", ["jinshui", "leader", "gxj", "dcs", "auditor"])
def test_only_the_statistics_bureau_and_the_city_administrator_import(users, tjj, xlsx, username):
    with pytest.raises(PermissionRefused):
        run_import(users[username], xlsx(month_rows()))
    assert not OfficialStat.objects.exists()


def test_the_city_administrator_and_the_system_may_import(users, xlsx):
    assert run_import(users["fgw"], xlsx(month_rows())).ok
    with audit_context(source="cli"):
        assert import_stats(actor=None, path=xlsx(month_rows(growth=9)), period_code="2022-06").updated == 17


def test_another_department_of_the_statistics_org_needs_the_department_role(users, orgs, xlsx):
    user = users["gxj"]
    user.org = orgs["tjj"]  # a unit user cannot be in tjj; a leader in tjj still may not import
    user.roles = ["leader"]
    with pytest.raises(PermissionRefused):
        run_import(user, xlsx(month_rows()))


@pytest.mark.parametrize("period", ["2022-13", "2022/06/01", "", "2099-01"])
def test_a_malformed_or_future_period_is_refused(tjj, xlsx, period):
    with pytest.raises(ValidationFailed) as refused:
        run_import(tjj, xlsx(month_rows()), period=period)
    assert refused.value.field == "period"


def test_org_lookup_covers_the_city_and_all_sixteen_units(orgs):
    from tuijin.stats.importing import _org_lookup

    lookup, units = _org_lookup()
    assert [u.code for u in units] == list(UNITS)
    assert lookup["city"] == lookup["全市"] == Org.objects.get(code="city")
    assert "tjj" not in lookup  # departments have no official figures


def test_an_import_records_the_months_escalations_once(tjj, xlsx):
    from tuijin.assessment.models import Escalation

    path = xlsx(month_rows())  # zhongyuan has the lowest growth (8.0%)
    assert run_import(tjj, path).ok
    escalation = Escalation.objects.get()
    assert (escalation.org.code, escalation.year, escalation.month, escalation.streak, escalation.level) == (
        "zhongyuan", 2022, 6, 1, "notice")
    assert run_import(tjj, xlsx(month_rows())).ok  # the same figures again: nothing new
    assert Escalation.objects.count() == 1
