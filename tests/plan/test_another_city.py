"""Another city end to end (issue 15): 青禾市, a fictional city of 6 units, through the real doors.

The platform's plans directory holds only ``plans/examples/qinghe-2022.yaml``; ``plan-check`` passes,
``plan-apply`` builds the organisation tree (audited, idempotent), the statistics bureau's sheet is
imported with ``import-stats``, and ``rank``, ``escalations`` and ``evaluate`` give the numbers of
qinghe's own plan — computed by hand below, from the figures of :data:`GROWTH` and the plan's rules:

* targets: 各区县 FAI growth 8%, 科技谷 12% (``unit_overrides``); 统计入库 from 1000万元;
* evaluation weights: fai_growth 50, statistics_inclusion 5 (the others have no data here: 0 points);
* quarterly awards: rank 1 → 80万元, rank 2 → 50, ranks 3–4 → 30, below → 0;
* escalation ladder: 1 month last → 通报批评, 3 → 分管市领导约谈, 5 → 市主要领导约谈.
"""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tuijin.assessment.models import Escalation, Evaluation
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import Org, OrgKind
from tuijin.plan import load_plan, reset_plans
from tuijin.stats.importing import COL_PERIOD, HEADERS
from tuijin.stats.models import OfficialStat
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
QINGHE = ROOT / "plans" / "examples" / "qinghe-2022.yaml"
ZHENGZHOU = ROOT / "plans" / "zhengzhou-2022.yaml"
UNITS = ("hedong", "hexi", "qingshan", "linchuan", "binhe", "kegu")
DEPARTMENTS = ("fgw", "gxj", "cjj", "zrj", "czj", "sthjj", "zwb", "tjj", "dcs", "zdxm")

#: Cumulative FAI growth (%) by month; 临川县 is last three months running, 禾西区 joins it in March.
GROWTH = {
    1: {"hedong": 10, "hexi": 7, "qingshan": 8, "linchuan": 5, "binhe": 12, "kegu": 9},
    2: {"hedong": 11, "hexi": 6.5, "qingshan": 8.5, "linchuan": 5.5, "binhe": 13, "kegu": 9.5},
    3: {"hedong": 12.5, "hexi": 6, "qingshan": 9, "linchuan": 6, "binhe": 15, "kegu": 10},
}
#: Year-to-date FAI (万元) = monthly base × month.
BASE_WAN = {"hedong": 40000, "hexi": 25000, "qingshan": 30000, "linchuan": 15000, "binhe": 35000, "kegu": 20000}


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args: str):
    return json.loads(run(*args, "--json")[0])


@pytest.fixture
def qinghe_dir(tmp_path):
    """A plans directory holding only qinghe's plan, the platform's for the test."""
    directory = tmp_path / "plans"
    directory.mkdir()
    shutil.copy(QINGHE, directory / QINGHE.name)
    reset_plans()
    with override_settings(TUIJIN_PLANS_DIR=directory, TUIJIN_CITY=""):
        yield directory
    reset_plans()


@pytest.fixture
def applied(qinghe_dir):
    """The organisation tree of qinghe, made by ``tuijin plan-apply``."""
    run("plan_apply", str(qinghe_dir / QINGHE.name))
    return {org.code: org for org in Org.objects.all()}


def stats_sheet(path: Path) -> Path:
    """The statistics bureau's sheet for January–March 2022, every month in its own rows (``期间``),
    the city's figure the sum of the units'."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("统计数据")
    for c, header in enumerate((*HEADERS, COL_PERIOD)):
        sheet.write_string(0, c, header)
    row = 1
    for month, growth in GROWTH.items():
        rows = [(code, BASE_WAN[code] * month, growth[code]) for code in UNITS]
        rows.insert(0, ("city", sum(value for _, value, _ in rows), 9.8))
        for code, value, rate in rows:
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, "fai")
            sheet.write_number(row, 2, value)
            sheet.write_number(row, 3, rate)
            sheet.write_string(row, 4, f"2022-{month:02d}")
            row += 1
    book.close()
    return path


@pytest.fixture
def imported(applied, tmp_path):
    out, _ = run("import_stats", str(stats_sheet(tmp_path / "qinghe-2022Q1.xlsx")), "--period", "2022-03")
    assert "导入完成：新增 21 行" in out
    return applied


def make_project(unit: Org, total_wan: int, *, in_statistics: bool) -> None:
    from tuijin.projects.models import Project

    with audit_context(source="system", reason="test fixture"):
        Project.objects.create(
            unit=unit, name=f"{unit.short_name}{total_wan}万元项目", category="industrial",
            field="advanced_manufacturing", total_investment_yuan=wan_to_yuan(total_wan), stage="construction",
            actual_start="2022-02-01", in_statistics=in_statistics,
            statistics_date="2022-03-01" if in_statistics else None)


# -- plan-check ------------------------------------------------------------------------------------------


def test_plan_check_passes_on_the_file_and_on_a_directory_of_qinghe_alone(qinghe_dir):
    out, _ = run("plan_check", str(QINGHE))
    assert "方案文件校验通过" in out and "青禾市 2022 年" in out
    assert "报送单位 6 个（区县（市）4 个、开发区 2 个）；市直部门 10 个" in out
    body = run_json("plan_check")
    assert body["cities"] == ["青禾市"]
    assert [(p["meta"]["id"], p["counts"]["units"]) for p in body["plans"]] == [("qinghe-2022", 6)]
    assert body["plans"][0]["targets"]["unit_fai_growth"]["value"] == "8"


# -- plan-apply ------------------------------------------------------------------------------------------


def test_plan_apply_creates_the_city_its_departments_and_its_six_units_audited(qinghe_dir):
    body = run_json("plan_apply", str(qinghe_dir / QINGHE.name))
    assert body["plan"] == "qinghe-2022" and body["dry_run"] is False and body["changed"] is True
    assert body["summary"] == {
        "city": {"created": 1, "updated": 0, "unchanged": 0, "not_in_plan": 0},
        "department": {"created": 10, "updated": 0, "unchanged": 0, "not_in_plan": 0},
        "unit": {"created": 6, "updated": 0, "unchanged": 0, "not_in_plan": 0},
    }
    units = list(Org.objects.reporting_units())
    assert [u.code for u in units] == list(UNITS)
    assert [(u.name, u.kind) for u in units][4:] == [("青禾滨河新区", OrgKind.ZONE), ("青禾科技谷开发区", OrgKind.ZONE)]
    assert {u.parent.code for u in units} == {"city"} and Org.objects.get(code="city").name == "青禾市"
    assert sorted(Org.objects.departments().values_list("code", flat=True)) == sorted(DEPARTMENTS)
    entries = AuditEntry.objects.filter(object_type="orgs.org")
    assert entries.count() == 17 and set(entries.values_list("action", flat=True)) == {"create"}
    kegu = entries.get(object_repr="青禾科技谷开发区")
    assert kegu.source == "cli" and kegu.actor_name == "system" and "qinghe-2022" in kegu.reason
    assert kegu.before is None and kegu.after["code"] == "kegu" and kegu.after["kind"] == "zone"


def test_applying_twice_changes_nothing_and_writes_nothing(applied, qinghe_dir):
    entries = AuditEntry.objects.count()
    out, _ = run("plan_apply", str(qinghe_dir / QINGHE.name))
    assert "报送单位：新增 0 个，更新 0 个，无变化 6 个" in out
    assert "市直部门：新增 0 个，更新 0 个，无变化 10 个" in out
    assert "组织机构与方案一致，没有需要写入的变化。" in out
    assert AuditEntry.objects.count() == entries and Org.objects.count() == 17


def test_a_dry_run_says_what_would_change_and_writes_nothing(qinghe_dir):
    out, _ = run("plan_apply", str(qinghe_dir / QINGHE.name), "--dry-run")
    assert "报送单位：将新增 6 个，将更新 0 个，无变化 0 个" in out
    assert "将新增报送单位：禾东区（hedong）、禾西区（hexi）" in out and out.rstrip().endswith("（试运行，未写入）")
    assert not Org.objects.exists() and not AuditEntry.objects.exists()


def test_a_changed_unit_is_updated_with_before_and_after_and_a_dropped_one_is_kept(applied, qinghe_dir):
    path = qinghe_dir / QINGHE.name
    text = path.read_text(encoding="utf-8")
    text = text.replace("{code: linchuan, name: 临川县, short_name: 临川县", "{code: linchuan, name: 临川市, short_name: 临川市")
    text = text.replace("  - {code: zdxm, name: 市重点项目服务中心}\n", "")
    text = text.replace(", departments: [fgw, zdxm]}", ", departments: [fgw]}")
    text = text.replace("department: zdxm}", "department: fgw}").replace("zdxm]", "fgw]").replace("zdxm, ", "")
    path.write_text(text, encoding="utf-8")
    reset_plans()
    dry = run_json("plan_apply", str(path), "--dry-run")
    assert dry["kinds"]["unit"]["updated"] == [{"code": "linchuan", "name": "临川市", "changes": {
        "name": {"before": "临川县", "after": "临川市"}, "short_name": {"before": "临川县", "after": "临川市"}}}]
    assert Org.objects.get(code="linchuan").name == "临川县"
    out, _ = run("plan_apply", str(path))
    assert "更新报送单位 临川市（linchuan）：name 临川县 → 临川市；short_name 临川县 → 临川市" in out
    assert "不在方案中（保留，未删除）的市直部门：市重点项目服务中心（zdxm）" in out
    assert Org.objects.get(code="linchuan").name == "临川市" and Org.objects.filter(code="zdxm").exists()
    entry = AuditEntry.objects.get(object_type="orgs.org", action="update")
    assert (entry.before["name"], entry.after["name"]) == ("临川县", "临川市") and entry.source == "cli"


def test_a_bad_file_gives_the_plan_check_errors_and_writes_nothing(qinghe_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(QINGHE.read_text(encoding="utf-8").replace("units: [hedong, hexi,", "units: [hedong, nowhere, hexi,"),
                   encoding="utf-8")
    with pytest.raises(CommandError, match="校验未通过") as caught:
        call_command("plan_apply", str(bad), stdout=StringIO(), stderr=(err := StringIO()))
    assert caught.value.returncode == 1
    assert "rules.ranking.groups[0].units[1]: 未知的报送单位 'nowhere'" in err.getvalue()
    assert not Org.objects.exists() and not AuditEntry.objects.exists()


def test_a_plan_of_another_city_than_the_platforms_is_refused(qinghe_dir):
    with pytest.raises(CommandError, match="属于郑州市，而平台的城市是青禾市") as caught:
        run("plan_apply", str(ZHENGZHOU))
    assert caught.value.returncode == 1 and not Org.objects.exists()


@override_settings(TUIJIN_PLANS_DIR=ZHENGZHOU.parent)
def test_on_the_zhengzhou_platform_applying_its_plan_matches_the_tree_the_platform_syncs(orgs, fresh_plan_cache):
    assert run_json("plan_apply", str(ZHENGZHOU), "--dry-run")["summary"]["unit"] == {
        "created": 0, "updated": 0, "unchanged": 16, "not_in_plan": 0}


# -- statistics, rank, escalations, evaluate --------------------------------------------------------------


def test_the_statistics_import_takes_qinghes_units_and_rank_orders_the_six(imported):
    assert OfficialStat.objects.filter(year=2022, month=3).count() == 7
    assert run_json("rank", "--period", "2022-03") == [
        {"org": "binhe", "name": "青禾滨河新区", "value": 15, "rank": 1},
        {"org": "hedong", "name": "禾东区", "value": 12.5, "rank": 2},
        {"org": "kegu", "name": "青禾科技谷开发区", "value": 10, "rank": 3},
        {"org": "qingshan", "name": "青山区", "value": 9, "rank": 4},
        {"org": "hexi", "name": "禾西区", "value": 6, "rank": 5},
        {"org": "linchuan", "name": "临川县", "value": 6, "rank": 5},
    ]
    out, _ = run("rank", "--period", "2022-03")
    assert "2022年3月 固定资产投资累计增速排名（全市）" in out
    line = next(line for line in out.splitlines() if "临川县" in line)
    assert line.split()[:4] == ["5", "临川县", "6.00", "45,000.00"] and line.endswith("末位")


def test_the_escalation_ladder_is_qinghes(imported):
    # Recorded by the import itself; three months last is 分管市领导约谈 in qinghe (郑州: 市主要领导约谈).
    assert run_json("escalations", "--period", "2022-03") == [
        {"org": "linchuan", "streak": 3, "level": "deputy_talk"},
        {"org": "hexi", "streak": 1, "level": "notice"},
    ]
    assert list(Escalation.objects.order_by("month", "org__sort_order")
                .values_list("month", "org__code", "streak", "level")) == [
        (1, "linchuan", 1, "notice"), (2, "linchuan", 2, "notice"),
        (3, "hexi", 1, "notice"), (3, "linchuan", 3, "deputy_talk")]


def test_evaluate_scores_and_awards_with_qinghes_weights_targets_and_amounts(imported):
    units = imported
    make_project(units["qingshan"], 5000, in_statistics=True)   # 1 of 1 due: 100%
    make_project(units["binhe"], 5000, in_statistics=True)      # 1 of 2 due: 50%
    make_project(units["binhe"], 3000, in_statistics=False)
    make_project(units["binhe"], 800, in_statistics=False)      # under qinghe's 1000万元: not due
    rows = run_json("evaluate", "--quarter", "2022Q1")
    # fai_growth: 50 × min(1, growth / 8) (科技谷 / 12); statistics_inclusion: 5 × rate / 100.
    assert [(r["org"], r["score"], r["rank"], r["award_wan"]) for r in rows] == [
        ("qingshan", 55, 1, 80),      # 9/8 → 50 + 5
        ("binhe", 52.5, 2, 50),       # 15/8 → 50 + 2.5
        ("hedong", 50, 3, 30),        # 12.5/8 → 50, no project due: 0
        ("kegu", 41.67, 4, 30),       # 10/12 = 0.8333 → 41.665 → 41.67
        ("hexi", 37.5, 5, 0),         # 6/8 = 0.75 → 37.5
        ("linchuan", 37.5, 5, 0),
    ]
    kegu = rows[3]["indicators"]
    assert kegu["fai_growth"]["weight"] == 50 and kegu["fai_growth"]["target"] == 12
    assert rows[1]["indicators"]["statistics_inclusion"] == {
        "label": "项目统计入库情况", "weight": 5, "value": 50, "target": 100, "points": 2.5,
        "explanation": "项目统计入库情况 50%，目标 100%，完成率 50.00%，得分 5×50.00%=2.50"}
    evaluation = Evaluation.objects.get()
    assert evaluation.plan_hash == load_plan(QINGHE).hash
    assert AuditEntry.objects.get(object_type="assessment.evaluation").source == "cli"
    out, _ = run("evaluate", "--quarter", "2022Q1", "--dry-run")
    assert "2022年第1季度 扩大有效投资综合评价" in out
    assert "青禾科技谷开发区：固定资产投资增速完成目标情况 10%，目标 12%，完成率 83.33%" in out



def test_one_entry_per_changed_org_and_none_when_nothing_changes(qinghe_dir):
    path = str(qinghe_dir / QINGHE.name)
    run("plan_apply", path)
    entries = AuditEntry.objects.filter(object_type="orgs.org")
    assert entries.count() == 17 and entries.filter(after__name="禾东区", before__isnull=True).count() == 1
    run("plan_apply", path)
    assert entries.count() == 17


def test_an_unknown_unit_in_the_sheet_is_explained_with_qinghes_own_units(applied, tmp_path):
    path = tmp_path / "bad.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("统计数据")
    for c, value in enumerate((*HEADERS, "jinshui", "fai", 1000, 5)):
        sheet.write(c // 4, c % 4, value)
    book.close()
    with pytest.raises(CommandError):
        call_command("import_stats", str(path), "--period", "2022-03", stdout=(out := StringIO()))
    assert "未知的单位代码“jinshui”：应为6个区县（市）/开发区的代码（如 hedong、binhe）或 city（全市）" in out.getvalue()
    assert not OfficialStat.objects.exists()
