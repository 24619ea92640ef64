"""`tuijin import-stats FILE --period YYYY-MM [--json] [--dry-run] [--as USER]` through call_command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tuijin.audit.models import AuditEntry
from tuijin.stats.models import OfficialStat

from .conftest import month_rows

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import_stats", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_a_clean_file_imports_and_prints_the_same_json_as_the_api(tjj, xlsx):
    output, failed = run(str(xlsx(month_rows())), "--period", "2022-06", "--json", "--as", "tjj")
    assert failed is None
    body = json.loads(output)
    assert body["ok"] is True and body["errors"] == [] and body["summary"]["created"] == 17
    assert body["summary"]["batch"] and OfficialStat.objects.count() == 17
    entry = AuditEntry.objects.get(object_type="stats.statsimport")
    assert entry.source == "cli" and entry.actor_name == "tjj"


def test_the_chinese_report_and_a_rerun_that_changes_nothing(orgs, xlsx):
    path = str(xlsx(month_rows()))
    output, failed = run(path, "--period", "2022-06")
    assert failed is None and "导入完成：新增 17 行、更新 0 行、0 行无变化。批次号" in output
    output, failed = run(path, "--period", "2022-06")
    assert failed is None and output.strip().endswith("导入完成：新增 0 行、更新 0 行、17 行无变化。没有需要写入的变化")
    assert AuditEntry.objects.filter(object_type="stats.statsimport").count() == 1


def test_errors_are_listed_with_row_and_column_and_the_exit_status_is_one(tjj, xlsx):
    output, failed = run(str(xlsx([["nowhere", "fai", "x", 5]])), "--period", "2022-06")
    assert failed is not None and failed.returncode == 1
    assert "第2行 单位代码：未知的单位代码“nowhere”" in output and "第2行 本年累计（万元）：应为数字" in output
    output, failed = run(str(xlsx([["nowhere", "fai", "x", 5]])), "--period", "2022-06", "--json")
    body = json.loads(output)
    assert body["ok"] is False and {e["column"] for e in body["errors"]} == {"单位代码", "本年累计（万元）"}
    assert not OfficialStat.objects.exists()


def test_a_dry_run_writes_nothing(tjj, xlsx):
    output, failed = run(str(xlsx(month_rows())), "--period", "2022-06", "--dry-run", "--json")
    assert failed is None and json.loads(output)["summary"]["dry_run"] is True
    assert not OfficialStat.objects.exists()


@pytest.mark.parametrize(("args", "words"), [
    (["--as", "jinshui"], "只有市统计局和市发展改革委可以导入官方统计数据"),
    (["--as", "nobody"], "用户“nobody”不存在或已停用"),
    (["--period", "2022-13"], "统计期间月份应为1至12"),
])
def test_refusals_are_json_errors_with_exit_status_one(users, xlsx, args, words):
    argv = [str(xlsx(month_rows())), "--json", *args]
    if "--period" not in args:
        argv += ["--period", "2022-06"]
    output, failed = run(*argv)
    assert failed is not None and failed.returncode == 1
    body = json.loads(output)
    assert body["ok"] is False and words in body["errors"][0]["message"]
    assert not OfficialStat.objects.exists()


def test_a_missing_file_is_refused(orgs, tmp_path):
    output, failed = run(str(tmp_path / "none.xlsx"), "--period", "2022-06")
    assert failed is not None and "不存在" in str(failed)
