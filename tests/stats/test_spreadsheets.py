"""The shared spreadsheet safety module (``tuijin.toolkit.spreadsheets``) on real files."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter

from tuijin.toolkit import spreadsheets as ss


def workbook(path, cells, *, sheets=("数据",), hidden=(), formulas=()):
    book = xlsxwriter.Workbook(str(path))
    for name in sheets:
        sheet = book.add_worksheet(name)
        if name not in hidden:
            sheet.activate()  # xlsxwriter never hides the active sheet
    for sheet in book.worksheets():
        if sheet.name in hidden:
            sheet.hide()
    for sheet in book.worksheets():
        for (r, c), value in cells.items():
            sheet.write(r, c, value, book.add_format({"num_format": "yyyy-mm"}) if isinstance(value, dt.date) else None)
        for r, c, formula in formulas:
            sheet.write_formula(r, c, formula, None, 0)
    book.close()
    return path


def test_check_xlsx_gives_the_sha256_and_the_sheets(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {(0, 0): "x"}, sheets=("说明", "数据"), hidden=("说明",))
    checked = ss.check_xlsx(path)
    assert len(checked.sha256) == 64 and checked.size == path.stat().st_size
    assert [(s.name, s.state) for s in checked.sheets] == [("说明", "hidden"), ("数据", "visible")]
    assert checked.sheet().name == "数据"  # the first visible sheet
    assert checked.sheet("说明").name == "说明"
    with pytest.raises(ss.SpreadsheetRefused, match="没有可读取的工作表"):
        checked.sheet(skip=["数据"])


@pytest.mark.parametrize(("content", "words"), [
    (b"", "文件为空"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64, "已加密"),
    (b"%PDF-1.4 not a workbook", "不是 Excel 工作簿"),
    (b"PK\x03\x04 broken zip", "已损坏"),
])
def test_check_xlsx_refuses_what_is_not_a_workbook(tmp_path, content, words):
    path = tmp_path / "f.xlsx"
    path.write_bytes(content)
    with pytest.raises(ss.SpreadsheetRefused, match=words):
        ss.check_xlsx(path)


def test_check_xlsx_refuses_oversized_and_zip_bomb_files(tmp_path, settings, monkeypatch):
    path = workbook(tmp_path / "a.xlsx", {(0, 0): "x" * 1000})
    monkeypatch.setattr(ss, "MAX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(ss.SpreadsheetRefused, match="解压后过大"):
        ss.check_xlsx(path)
    settings.TUIJIN_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ss.SpreadsheetRefused, match="超过上限"):
        ss.check_xlsx(path)


def test_a_missing_file_or_a_zip_without_workbook_is_refused(tmp_path):
    with pytest.raises(ss.SpreadsheetRefused, match="无法读取"):
        ss.check_xlsx(tmp_path / "none.xlsx")
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ss.SpreadsheetRefused, match="Word/WPS"):
        ss.check_xlsx(path)


def test_formula_cells_are_found_in_the_sheet_xml(tmp_path):
    path = workbook(tmp_path / "f.xlsx", {(0, 0): 1}, formulas=[(1, 0, "=A1*2"), (4, 27, "=SUM(A1:A2)")])
    checked = ss.check_xlsx(path)
    assert checked.formula_cells(checked.sheet()) == [("A", 2), ("AB", 5)]


def test_rows_keep_their_excel_numbers_and_columns_whatever_lies_before(tmp_path):
    path = workbook(tmp_path / "r.xlsx", {(2, 1): "head", (2, 2): 1.5, (4, 3): "x", (5, 1): dt.datetime(2022, 6, 1)})
    rows = {n: cells for n, cells in ss.read_rows(path) if any(not ss.is_blank(c) for c in cells)}
    assert rows[3][1:3] == ["head", 1.5]
    assert rows[5][3] == "x" and rows[3][0] == ""
    assert rows[6][1] in (dt.date(2022, 6, 1), dt.datetime(2022, 6, 1))
    with ss.open_sheet(path) as sheet:
        assert sheet.last_row == 6 and sheet.name == "数据"


def test_open_sheet_reports_merged_ranges_and_refuses_a_damaged_file(tmp_path):
    path = tmp_path / "m.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("数据").merge_range("B7:C7", "m")
    book.close()
    with ss.open_sheet(path) as sheet:
        assert sheet.merged_ranges() == [("B7:C7", 7)]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 nonsense")
    with pytest.raises(ss.SpreadsheetRefused), ss.open_sheet(bad):
        pass


def test_count_data_rows_reads_the_dimension_cheaply_and_forgives(tmp_path):
    path = workbook(tmp_path / "c.xlsx", {(0, 0): "h", (9, 0): 1})
    assert ss.count_data_rows(path) == 9
    assert ss.count_data_rows(tmp_path / "missing.xlsx") == 0


@pytest.mark.parametrize(("value", "expected"), [
    (0.1, Decimal("0.1")), (3, Decimal(3)), ("1,234.5", Decimal("1234.5")), (" 7 ", Decimal(7)),
])
def test_cell_decimal_reads_numbers_exactly(value, expected):
    assert ss.cell_decimal(value) == expected


@pytest.mark.parametrize("value", ["abc", True, dt.date(2022, 1, 1), "nan", "inf"])
def test_cell_decimal_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError):
        ss.cell_decimal(value)


def test_percent_signs_and_headers_are_normalised():
    assert ss.cell_decimal("12.5%", percent_sign=True) == Decimal("12.5")
    assert ss.norm_header(" 同比增长 (％) ") == "同比增长（%）"
    columns, repeated = ss.map_headers(["单位代码", "x", "单位 代码", "指标"], ["单位代码", "指标"])
    assert columns == {"单位代码": 0, "指标": 3} and repeated == [("单位代码", 0, 2)]
    assert ss.cell_text(3.0) == "3" and ss.cell_text(True) == "是" and ss.cell_text(dt.date(2022, 6, 1)) == "2022-06-01"
    assert (ss.column_letter(0), ss.column_letter(27), ss.column_index("AB")) == ("A", "AB", 27)


def test_import_issues_render_the_shared_json_and_cap_the_listing(monkeypatch):
    issues = ss.ImportIssues()
    issues.add_error("应为数字", row=5, column="B", sheet="数据")
    issues.add_error("文件有问题")
    issues.add_warning("请核实", row=2, column="A")
    issues.sort(["A", "B"])
    assert issues.as_dict() == {
        "ok": False,
        "errors": [{"sheet": None, "row": None, "column": None, "message": "文件有问题"},
                   {"sheet": "数据", "row": 5, "column": "B", "message": "应为数字"}],
        "warnings": [{"sheet": None, "row": 2, "column": "A", "message": "请核实"}],
        "summary": {"error_count": 2, "warning_count": 1},
    }
    assert issues.issue_lines()[1:3] == ["  文件有问题", "  第5行 B：应为数字"]
    monkeypatch.setattr(ss, "MAX_LISTED_ISSUES", 1)
    capped = ss.ImportIssues()
    for _ in range(3):
        capped.add_error("x", row=1)
    assert capped.error_count == 3 and len(capped.errors) == 1
    assert capped.issue_lines()[-1] == "  ……另有 2 处错误未列出"
    assert ss.refusal("无权") == {"ok": False, "errors": [{"sheet": None, "row": None, "column": None,
                                                          "message": "无权"}], "warnings": [], "summary": {}}
