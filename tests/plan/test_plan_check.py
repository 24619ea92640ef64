"""`tuijin plan-check`, the start-up system check, and the cached active plan."""

from __future__ import annotations

import hashlib
import io
import json
import os

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from tuijin.cli import main as tuijin_main
from tuijin.plan import PlanError, active_plan, reset_active_plan
from tuijin.plan.checks import check_plan_file

from .support import PLAN_FILE, edited


@pytest.fixture
def broken_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        edited(
            ("  fai_growth: {value: 10,", "  fai_growth: {value: ten,"),
            ("    talk_threshold: 60\n", "    talk_thresh: 60\n"),
        ),
        encoding="utf-8",
    )
    return path


def run_plan_check(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("plan_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- plan-check ---


def test_plan_check_prints_a_chinese_summary_of_a_valid_file():
    out, err = run_plan_check(str(PLAN_FILE))
    assert err == ""
    assert "方案文件校验通过" in out
    assert "郑州市" in out and "2022" in out and "郑政办〔2022〕34号" in out
    assert "报送单位 16 个（区县（市）12 个、开发区 4 个）" in out
    assert "市直部门 20 个" in out
    assert "全市固定资产投资同比增长 ≥ 10%〔一、二(一)1〕" in out
    assert "专项债券额度 ≥ 111.1 亿元〔二(二)8〕" in out
    assert "制造业重大项目贴息〔二(六)16〕" in out
    assert "末位增速约谈制〔三(三)〕" in out
    assert hashlib.sha256(PLAN_FILE.read_bytes()).hexdigest() in out
    assert len(out.splitlines()) <= 40  # one screen


def test_plan_check_defaults_to_the_active_plan_file():
    with override_settings(TUIJIN_PLAN_FILE=PLAN_FILE):
        out, _ = run_plan_check()
    assert f"方案文件校验通过：{PLAN_FILE}" in out


def test_plan_check_lists_every_error_and_fails(broken_file):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("plan_check", str(broken_file), stdout=out, stderr=err)
    assert caught.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert any(line.startswith("targets.fai_growth.value: 应为数字（expected a number）") for line in lines)
    assert any(line.startswith("rules.bond_evaluation.talk_threshold: 缺少必填项") for line in lines)
    assert any(line.startswith("rules.bond_evaluation.talk_thresh: 未知的键") for line in lines)
    assert "3 处错误" in str(caught.value)
    assert out.getvalue() == ""


def test_plan_check_json_both_ways(broken_file):
    out, _ = run_plan_check(str(PLAN_FILE), "--json")
    data = json.loads(out)
    assert data["valid"] is True
    assert data["meta"]["city"] == "郑州市"
    assert data["counts"]["units"] == 16
    assert data["targets"]["bond_amount"] == {
        "value": "111.1",
        "unit": "yi",
        "label": "专项债券额度",
        "source": "二(二)8",
    }
    assert data["rules"]["quarterly_awards"]["source"] == "二(六)15"

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("plan_check", str(broken_file), "--json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["valid"] is False
    assert {e["path"] for e in data["errors"]} >= {
        "targets.fai_growth.value",
        "rules.bond_evaluation.talk_threshold",
    }
    assert all(e["line"] for e in data["errors"])


def test_the_tuijin_cli_exits_non_zero_on_a_bad_file(broken_file, capsys):
    with pytest.raises(SystemExit) as caught:
        tuijin_main(["plan-check", str(broken_file)])
    assert caught.value.code == 1
    assert "targets.fai_growth.value" in capsys.readouterr().err


def test_the_tuijin_cli_succeeds_on_the_real_file(capsys):
    tuijin_main(["plan-check", str(PLAN_FILE)])
    assert "郑州市" in capsys.readouterr().out


# --- system check ---


def test_the_system_check_passes_on_the_real_file(fresh_plan_cache):
    with override_settings(TUIJIN_PLAN_FILE=PLAN_FILE):
        assert check_plan_file() == []
        assert checks.run_checks(tags=["tuijin"]) == []


def test_the_system_check_reports_each_problem_of_a_broken_file(broken_file, fresh_plan_cache):
    with override_settings(TUIJIN_PLAN_FILE=broken_file):
        reset_active_plan()
        errors = checks.run_checks(tags=["tuijin"])  # registered by PlanConfig.ready()
    assert len(errors) == 3
    assert all(isinstance(e, checks.Error) and e.id == "tuijin.E001" for e in errors)
    assert all(e.obj == str(broken_file) for e in errors)
    assert any(e.msg.startswith("targets.fai_growth.value: 应为数字") for e in errors)


def test_the_check_command_stops_on_a_broken_file(broken_file, fresh_plan_cache):
    with override_settings(TUIJIN_PLAN_FILE=broken_file), pytest.raises(SystemCheckError) as caught:
        call_command("check", "--tag", "tuijin", stdout=io.StringIO(), stderr=io.StringIO())
    assert "tuijin.E001" in str(caught.value)
    assert "rules.bond_evaluation.talk_thresh" in str(caught.value)


def test_the_system_check_reports_a_missing_file(tmp_path, fresh_plan_cache):
    with override_settings(TUIJIN_PLAN_FILE=tmp_path / "missing.yaml"):
        [error] = check_plan_file()
    assert error.id == "tuijin.E001"
    assert "找不到方案文件" in error.msg


# --- active plan ---


def test_active_plan_is_loaded_once_and_reloaded_when_the_file_changes(tmp_path, fresh_plan_cache):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with override_settings(TUIJIN_PLAN_FILE=path):
        first = active_plan()
        assert active_plan() is first
        assert first.target("fai_growth") == 10

        path.write_text(edited(("  fai_growth: {value: 10,", "  fai_growth: {value: 11,")), encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        second = active_plan()
        assert second is not first
        assert second.target("fai_growth") == 11
        assert second.hash != first.hash

        active_plan.cache_clear()
        assert active_plan() is not second


def test_active_plan_follows_the_setting(fresh_plan_cache, broken_file):
    with override_settings(TUIJIN_PLAN_FILE=PLAN_FILE):
        assert active_plan().meta.city == "郑州市"
    with override_settings(TUIJIN_PLAN_FILE=broken_file), pytest.raises(PlanError) as caught:
        active_plan()
    assert "targets.fai_growth.value" in {issue.path for issue in caught.value.errors}
