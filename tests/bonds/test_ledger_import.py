"""The bond-ledger import: every error listed by row and column, nothing written on error; audited."""

from __future__ import annotations

import io
import json

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from tuijin.audit.models import AuditEntry
from tuijin.bonds.models import BondSpending


def ledger(path, rows, headers=("项目代码", "月份", "本月支出（万元）")):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["专项债券资金支出台账"])
    sheet.write_row(1, 0, headers)
    for i, row in enumerate(rows, start=2):
        sheet.write_row(i, 0, row)
    book.close()
    return path


def test_a_clean_ledger_is_written_with_one_entry_per_row_and_one_for_the_batch(bond_case, tmp_path):
    code = bond_case["jinshui"]["project"].project_code
    path = ledger(tmp_path / "l.xlsx", [[code, "2022-06", 30000], [code, "2022-04", "1,000.5"]])
    out = io.StringIO()
    call_command("import_bond_ledger", str(path), "--as", "fgw", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["ok"] and body["summary"]["created"] == 1 and body["summary"]["updated"] == 1
    project = bond_case["jinshui"]["project"]
    assert BondSpending.objects.get(project=project, month=6).amount_yuan == 300_000_000
    assert BondSpending.objects.get(project=project, month=4).amount_yuan == 10_005_000
    batch = body["summary"]["batch"]
    entries = AuditEntry.objects.filter(request_id=batch)
    assert entries.filter(action="import").count() == 1
    assert entries.filter(object_type="bonds.bondspending").exclude(action="import").count() == 2


def test_every_error_is_listed_and_nothing_is_written(bond_case, tmp_path):
    code = bond_case["jinshui"]["project"].project_code
    before = BondSpending.objects.count()
    path = ledger(tmp_path / "bad.xlsx", [
        [code, "2022-13", 10],
        ["2022-410105-35-03-999999", "2022-05", 10],
        [code, "2022-05", -1],
        [code, "2022-05", "abc"],
        [code, "2022-06", 10],
        [code, "2022-06", 20],
        [code, "2099-01", 10],
    ])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bond_ledger", str(path), "--json", stdout=out)
    body = json.loads(out.getvalue())
    lines = [(e["row"], e["column"]) for e in body["errors"]]
    assert (3, "月份") in lines
    assert (4, "项目代码") in lines
    assert (5, "本月支出（万元）") in lines and (6, "本月支出（万元）") in lines
    assert (8, "月份") in lines  # duplicate of row 7
    assert (9, "月份") in lines
    assert BondSpending.objects.count() == before


def test_spending_above_the_bonds_issued_is_an_error(bond_case, tmp_path):
    code = bond_case["erqi"]["project"].project_code  # issued 2亿 + 1亿 (July)
    path = ledger(tmp_path / "over.xlsx", [[code, "2022-06", 400000]])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bond_ledger", str(path), "--json", stdout=out)
    assert "超过已发行额" in out.getvalue()


def test_a_unit_cannot_import_another_units_project(bond_case, tmp_path):
    code = bond_case["zhongyuan"]["project"].project_code
    path = ledger(tmp_path / "other.xlsx", [[code, "2022-06", 10]])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bond_ledger", str(path), "--as", "jinshui", "--json", stdout=out)
    assert "未知的项目代码" in out.getvalue()


def test_missing_columns_are_named(bond_case, tmp_path):
    path = ledger(tmp_path / "cols.xlsx", [["x", "2022-06"]], headers=("项目代码", "月份", "金额"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bond_ledger", str(path), "--json", stdout=out)
    assert "缺少必需的列：本月支出（万元）" in out.getvalue()


def test_dry_run_writes_nothing(bond_case, tmp_path):
    code = bond_case["jinshui"]["project"].project_code
    path = ledger(tmp_path / "dry.xlsx", [[code, "2022-06", 30000]])
    before = list(BondSpending.objects.values_list("amount_yuan", flat=True).order_by("id"))
    out = io.StringIO()
    call_command("import_bond_ledger", str(path), "--dry-run", stdout=out)
    assert "试导入" in out.getvalue()
    assert list(BondSpending.objects.values_list("amount_yuan", flat=True).order_by("id")) == before


def test_upload_on_the_page_and_the_api(bond_case, tmp_path, client_for):
    code = bond_case["jinshui"]["project"].project_code
    path = ledger(tmp_path / "up.xlsx", [[code, "2022-06", 30000]])
    with path.open("rb") as f:
        response = client_for("jinshui").post("/api/v1/bonds/ledger/import/", {"file": f, "dry_run": "true"})
    assert response.status_code == 200 and response.json()["ok"]
    with path.open("rb") as f:
        page = client_for("jinshui").post("/bonds/ledger/", {"file": f})
    assert page.status_code == 200 and 'data-testid="import-result"' in page.content.decode()
    assert BondSpending.objects.get(project=bond_case["jinshui"]["project"], month=6).amount_yuan == 300_000_000
    with path.open("rb") as f:
        assert client_for("leader").post("/api/v1/bonds/ledger/import/", {"file": f}).status_code == 403
