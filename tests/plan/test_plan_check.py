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
from tuijin.plan import PlanError, reset_plans
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


def test_plan_check_without_a_file_checks_the_whole_directory():
    out, _ = run_plan_check()
    assert f"方案目录校验通过：{PLAN_FILE.parent}" in out
    assert "郑州市 2022 年 zhengzhou-2022（基础方案）：zhengzhou-2022.yaml" in out
    data = json.loads(run_plan_check("--json")[0])
    assert data["valid"] is True and "郑州市" in data["cities"]
    assert {plan["meta"]["id"] for plan in data["plans"]} >= {"zhengzhou-2022"}


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


@pytest.fixture
def plans_dir(tmp_path):
    """A plans directory of one's own holding a copy of the Zhengzhou 2022 plan."""
    directory = tmp_path / "plans"
    directory.mkdir()
    (directory / PLAN_FILE.name).write_text(PLAN_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return directory


def test_the_system_check_passes_on_the_real_directory(fresh_plan_cache):
    with override_settings(TUIJIN_PLANS_DIR=PLAN_FILE.parent):
        assert check_plan_file() == []
        assert checks.run_checks(tags=["tuijin"]) == []


def test_the_system_check_reports_each_problem_of_a_broken_file(plans_dir, broken_file, fresh_plan_cache):
    (plans_dir / "broken.yaml").write_text(broken_file.read_text(encoding="utf-8"), encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        reset_plans()
        errors = checks.run_checks(tags=["tuijin"])  # registered by PlanConfig.ready()
    assert len(errors) == 3
    assert all(isinstance(e, checks.Error) and e.id == "tuijin.E001" for e in errors)
    assert all(e.obj == str(plans_dir) for e in errors)
    assert any(e.msg.startswith("broken.yaml: targets.fai_growth.value: 应为数字") for e in errors)


def test_the_check_command_stops_on_a_broken_file(plans_dir, broken_file, fresh_plan_cache):
    (plans_dir / "broken.yaml").write_text(broken_file.read_text(encoding="utf-8"), encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir), pytest.raises(SystemCheckError) as caught:
        call_command("check", "--tag", "tuijin", stdout=io.StringIO(), stderr=io.StringIO())
    assert "tuijin.E001" in str(caught.value)
    assert "rules.bond_evaluation.talk_thresh" in str(caught.value)


def test_the_system_check_reports_a_missing_directory(tmp_path, fresh_plan_cache):
    with override_settings(TUIJIN_PLANS_DIR=tmp_path / "missing"):
        [error] = check_plan_file()
    assert error.id == "tuijin.E001"
    assert "找不到方案目录" in error.msg


def test_two_base_plans_for_one_city_and_year_are_refused(plans_dir, fresh_plan_cache):
    text = PLAN_FILE.read_text(encoding="utf-8").replace("  id: zhengzhou-2022\n", "  id: zhengzhou-2022-bis\n")
    (plans_dir / "zhengzhou-2022-bis.yaml").write_text(text, encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        [error] = check_plan_file()
        with pytest.raises(CommandError):
            run_plan_check()
    assert "郑州市2022年已有基础方案" in error.msg and "meta.amends" in error.msg
    assert "zhengzhou-2022.yaml" in error.msg and "zhengzhou-2022-bis.yaml" in error.msg


def test_an_amendment_governs_its_year_from_its_effective_date(plans_dir, fresh_plan_cache):
    import datetime as dt

    from tuijin.plan import plan_for

    text = edited(("  id: zhengzhou-2022\n", "  id: zhengzhou-2022-a1\n  amends: zhengzhou-2022\n  effective: 2022-10-01\n"),
                  ("  fai_growth: {value: 10,", "  fai_growth: {value: 9,"))
    (plans_dir / "zhengzhou-2022-a1.yaml").write_text(text, encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        assert check_plan_file() == []
        assert plan_for(2022).target("fai_growth") == 10
        assert plan_for(2022, on=dt.date(2022, 9, 30)).target("fai_growth") == 10
        assert plan_for(2022, on=dt.date(2022, 10, 1)).target("fai_growth") == 9
        out, _ = run_plan_check()
    assert "zhengzhou-2022-a1（修订 zhengzhou-2022，2022-10-01 起施行）" in out


def test_an_amendment_of_an_unknown_base_or_without_a_date_is_refused(plans_dir, fresh_plan_cache):
    text = edited(("  id: zhengzhou-2022\n", "  id: zhengzhou-2022-a1\n  amends: zhengzhou-2021\n  effective: 2022-10-01\n"))
    (plans_dir / "a1.yaml").write_text(text, encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        [error] = check_plan_file()
    assert error.msg.startswith("a1.yaml: meta.amends: 所修订的基础方案 zhengzhou-2021 不在方案目录中")
    (plans_dir / "a1.yaml").write_text(edited(("  id: zhengzhou-2022\n", "  id: zhengzhou-2022-a1\n  amends: zhengzhou-2022\n")),
                                        encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        reset_plans()
        [error] = check_plan_file()
    assert "生效日期" in error.msg


def test_a_year_without_a_plan_is_refused_naming_the_years_there_are(fresh_plan_cache):
    from tuijin.plan import plan_for
    from tuijin.toolkit.errors import NotFound

    with pytest.raises(NotFound, match="没有 2031 年的方案文件（已有：2022"):
        plan_for(2031)


def test_several_cities_need_tuijin_city(plans_dir, fresh_plan_cache):
    from tuijin.plan import city

    other = edited(("  id: zhengzhou-2022\n", "  id: elsewhere-2022\n"), ("  city: 郑州市\n", "  city: 别处市\n"))
    (plans_dir / "elsewhere-2022.yaml").write_text(other, encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        [error] = check_plan_file()
        assert "请设置 TUIJIN_CITY" in error.msg
        with override_settings(TUIJIN_CITY="elsewhere"):
            assert city() == "别处市" and check_plan_file() == []
        with override_settings(TUIJIN_CITY="郑州市"):
            assert city() == "郑州市"
        with override_settings(TUIJIN_CITY="nowhere"):
            [error] = check_plan_file()
            assert "没有城市“nowhere”的方案" in error.msg


# --- the plans cache ---


def test_the_plans_are_loaded_once_and_reloaded_when_a_file_changes(plans_dir, fresh_plan_cache):
    from tuijin.plan import plan_for

    path = plans_dir / PLAN_FILE.name
    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        first = plan_for(2022)
        assert plan_for(2022) is first
        assert first.target("fai_growth") == 10

        path.write_text(edited(("  fai_growth: {value: 10,", "  fai_growth: {value: 11,")), encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        second = plan_for(2022)
        assert second is not first
        assert second.target("fai_growth") == 11
        assert second.hash != first.hash

        reset_plans()
        assert plan_for(2022) is not second


def test_the_plans_follow_the_setting(plans_dir, broken_file, fresh_plan_cache):
    from tuijin.plan import plan_for

    with override_settings(TUIJIN_PLANS_DIR=plans_dir):
        assert plan_for(2022).meta.city == "郑州市"
    (plans_dir / PLAN_FILE.name).write_text(broken_file.read_text(encoding="utf-8"), encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=plans_dir), pytest.raises(PlanError) as caught:
        plan_for(2022)
    assert "zhengzhou-2022.yaml: targets.fai_growth.value" in {issue.path for issue in caught.value.errors}
