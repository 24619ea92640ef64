"""Each kind of malformed plan is refused with the path of the problem (STYLE: OpenFisca)."""

from __future__ import annotations

import pytest
import yaml

from tuijin.plan.loader import DuplicateKeyError, PlanError, PlanIssue, PlanLoader, load_plan, parse_plan

from .support import edited, errors_of


def test_duplicate_key_is_refused_with_path_and_both_lines():
    text = edited(("      bond_spending: 10\n", "      bond_spending: 10\n      start_rate: 10\n"))
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    [issue] = caught.value.errors
    assert issue.path == "rules.evaluation.weights.start_rate"
    assert "键重复" in issue.message and "duplicate key" in issue.message
    first_line = text.splitlines().index("      start_rate: 10") + 1
    assert f"第一次出现在第 {first_line} 行" in issue.message
    assert issue.line == text.splitlines().index("      bond_spending: 10") + 2


def test_duplicate_top_level_key_is_refused():
    text = edited(("unit_overrides: {}", "unit_overrides: {}\nunit_overrides: {}"))
    assert "unit_overrides" in errors_of(text)


def test_unknown_key_is_refused_and_a_close_key_suggested():
    errors = errors_of(edited(("    period: quarter\n", "    period: quarter\n    perod: month\n")))
    message = errors["rules.evaluation.perod"]
    assert "未知的键" in message and "unknown key" in message
    assert "'period'" in message


def test_unknown_key_in_a_list_item_is_refused():
    errors = errors_of(
        edited(("{code: fgw, name: 市发展改革委}", "{code: fgw, name: 市发展改革委, colour: red}"))
    )
    assert "departments[0].colour" in errors


def test_missing_key_is_refused():
    errors = errors_of(edited(("    talk_threshold: 60\n", "")))
    assert errors == {"rules.bond_evaluation.talk_threshold": "缺少必填项（required key is missing）"}


def test_missing_required_target_is_refused():
    errors = errors_of(
        edited(
            (
                '  real_estate_growth: {value: 8, unit: percent, label: 全市房地产开发投资同比增长, source: "二(一)4"}\n',
                "",
            )
        )
    )
    assert "targets.real_estate_growth" in errors
    assert "indicators[3].growth_target" in errors


def test_wrong_type_is_refused_and_says_what_is_wanted():
    errors = errors_of(edited(("  fai_growth: {value: 10,", "  fai_growth: {value: ten,")))
    assert errors["targets.fai_growth.value"] == "应为数字（expected a number），实际为 'ten'"


@pytest.mark.parametrize(
    ("old", "new", "path", "wanted"),
    [
        (
            "new_starts: {value: 214",
            'new_starts: {value: "214"',
            "targets.new_starts.value",
            "expected a number",
        ),
        (
            "new_starts: {value: 214",
            "new_starts: {value: 214.5",
            "targets.new_starts.value",
            "expected a whole number",
        ),
        (
            "q1_start_rate: {value: 40",
            "q1_start_rate: {value: 140",
            "targets.q1_start_rate.value",
            "0 to 100",
        ),
        ('division_code: "410102"', "division_code: 410102", "units[0].division_code", "expected text"),
        ('division_code: "410103"', 'division_code: "41010"', "units[1].division_code", "6 digits"),
        (
            "kind: zone, division_code: null",
            "kind: zon, division_code: null",
            "units[12].kind",
            "'district'、'zone'",
        ),
        (
            "{code: jtj, name: 市交通局}",
            "{code: JTJ, name: 市交通局}",
            "departments[3].code",
            "expected a code",
        ),
        ("  issued: 2022-04-01", "  issued: April", "meta.issued", "expected a date"),
        (
            "    manufacturing_only: true",
            "    manufacturing_only: 1",
            "rules.interest_subsidy.manufacturing_only",
            "true or false",
        ),
        (
            "    subsidy_share_percent: 30",
            "    subsidy_share_percent: 130",
            "rules.interest_subsidy.subsidy_share_percent",
            "≤ 100",
        ),
        (
            "years: 2, cap_wan: 4000",
            "years: 1.5, cap_wan: 4000",
            "rules.interest_subsidy.tiers[1].years",
            "whole number",
        ),
        (
            "    deadline_working_day: 5",
            "    deadline_working_day: 0",
            "rules.reporting_calendar.deadline_working_day",
            "≥ 1",
        ),
        (
            "    natures: [new]",
            "    natures: [brand_new]",
            "rules.equipment_award.natures[0]",
            "'new'、'expansion'、'renovation'",
        ),
        (
            "centre: [113.613, 34.748]",
            "centre: [34.748, 113.613]",
            "units[0].centre",
            "[longitude, latitude]",
        ),
        ('source: "二(六)17"', 'source: "第17条"', "rules.equipment_award.source", "clauses of the seed"),
    ],
)
def test_wrong_values_are_refused_at_their_path(old, new, path, wanted):
    errors = errors_of(edited((old, new)))
    assert path in errors, errors
    assert wanted in errors[path]


def test_weights_not_summing_to_100_are_refused():
    errors = errors_of(edited(("      fai_growth: 40\n", "      fai_growth: 30\n")))
    assert errors == {"rules.evaluation.weights": "权重合计应为 100（weights must sum to 100），实际为 90"}


def test_bond_evaluation_weights_must_sum_to_100_and_have_labels():
    errors = errors_of(
        edited(("      compliance: 20\n    labels:", "      compliance: 25\n      speed: 0\n    labels:"))
    )
    assert "实际为 105" in errors["rules.bond_evaluation.weights"]
    assert "rules.bond_evaluation.labels.speed" in errors


def test_interest_tiers_not_ascending_are_refused():
    errors = errors_of(
        edited(
            (
                "{min_total_wan: 200000, min_first_year_wan: 100000",
                "{min_total_wan: 100000, min_first_year_wan: 100000",
            )
        )
    )
    assert list(errors) == ["rules.interest_subsidy.tiers[1].min_total_wan"]
    assert "tiers must ascend" in errors["rules.interest_subsidy.tiers[1].min_total_wan"]


def test_interest_tier_giving_less_at_a_higher_tier_is_refused():
    errors = errors_of(edited(("years: 2, cap_wan: 4000", "years: 2, cap_wan: 900")))
    assert "rules.interest_subsidy.tiers[1].cap_wan" in errors


def test_unknown_unit_or_target_in_overrides_is_refused():
    errors = errors_of(
        edited(
            ("unit_overrides: {}", "unit_overrides:\n  jinshu: {unit_fai_growth: 12}\n  erqi: {fai_grwth: 3}")
        )
    )
    assert "unknown unit" in errors["unit_overrides.jinshu"]
    assert "unknown target" in errors["unit_overrides.erqi.fai_grwth"]


def test_override_must_be_a_number():
    errors = errors_of(edited(("unit_overrides: {}", "unit_overrides:\n  erqi: {unit_fai_growth: high}")))
    assert "expected a number" in errors["unit_overrides.erqi.unit_fai_growth"]


def test_award_ranks_with_a_gap_are_refused():
    errors = errors_of(edited(("{from_rank: 4, to_rank: 6", "{from_rank: 5, to_rank: 6")))
    assert list(errors) == ["rules.quarterly_awards.tiers[2].from_rank"]
    assert "contiguous from 1" in errors["rules.quarterly_awards.tiers[2].from_rank"]


def test_award_ranks_overlapping_or_backwards_are_refused():
    errors = errors_of(edited(("{from_rank: 2, to_rank: 3", "{from_rank: 2, to_rank: 1")))
    assert "rules.quarterly_awards.tiers[1].to_rank" in errors


def test_awards_rising_with_rank_are_refused():
    errors = errors_of(edited(("to_rank: 6, amount_wan: 50}", "to_rank: 6, amount_wan: 120}")))
    assert "rules.quarterly_awards.tiers[2].amount_wan" in errors


def test_escalation_ladder_must_climb_from_one():
    errors = errors_of(edited(("{streak: 1, level: notice", "{streak: 2, level: notice")))
    assert "rules.escalation.ladder[0].streak" in errors
    assert "rules.escalation.ladder[1].streak" in errors


def test_escalation_indicator_must_exist():
    errors = errors_of(edited(("    indicator: fai\n", "    indicator: gdp\n")))
    assert "rules.escalation.indicator" in errors


def test_deal_bands_must_be_contiguous():
    errors = errors_of(edited(("min_yi: 10, max_yi: 30", "min_yi: 10, max_yi: 25")))
    assert list(errors) == ["rules.deal_tiers.bands[2].max_yi"]


def test_deal_band_target_must_exist():
    errors = errors_of(edited(("target: deals_5yi}", "target: deals_5}")))
    assert "rules.deal_tiers.bands[3].target" in errors


def test_unknown_department_in_approval_catalogue_is_refused():
    errors = errors_of(edited(("name: 节能审查, department: fgw", "name: 节能审查, department: fgx")))
    assert list(errors) == ["rules.approval_catalogue.items[6].department"]
    assert "unknown department" in errors["rules.approval_catalogue.items[6].department"]


def test_unknown_approval_item_in_catalogue_is_refused():
    errors = errors_of(
        edited(
            (
                "      other: [project_approval, planning_permit, construction_permit]",
                "      other: [project_approval, permit]",
            )
        )
    )
    assert list(errors) == ["rules.approval_catalogue.required.other[1]"]
    assert "unknown approval item" in errors["rules.approval_catalogue.required.other[1]"]


def test_catalogue_must_cover_exactly_the_known_categories():
    errors = errors_of(edited(("      other: [project_approval,", "      others: [project_approval,")))
    assert "rules.approval_catalogue.required.others" in errors  # unknown category
    assert "'other'" in errors["rules.approval_catalogue.required"]  # 'other' now has no list


def test_unknown_department_in_a_clause_is_refused():
    errors = errors_of(
        edited(
            (
                '{clause: "二(一)1", title: 分解落实投资任务, departments: [fgw]}',
                '{clause: "二(一)1", title: 分解落实投资任务, departments: [fgw, xyz]}',
            )
        )
    )
    assert "clauses[3].departments[1]" in errors


def test_source_must_name_a_listed_clause():
    errors = errors_of(edited(('source: "二(六)16"', 'source: "二(五)16"')))
    assert "rules.interest_subsidy.source" in errors
    assert "unknown clause" in errors["rules.interest_subsidy.source"]


def test_a_unit_may_not_be_ranked_in_two_groups():
    errors = errors_of(
        edited((" gaoxin, hangkonggang]", " gaoxin, hangkonggang]\n      - {name: 开发区, units: [gaoxin]}"))
    )
    assert list(errors) == ["rules.ranking.groups[1].units[0]"]


def test_ranking_groups_must_name_known_units_and_cover_them_all():
    errors = errors_of(edited((" gaoxin, hangkonggang]", " gaoxin, atlantis]")))
    assert "unknown unit" in errors["rules.ranking.groups[0].units[15]"]
    assert "hangkonggang" in errors["rules.ranking.groups"]


def test_repeated_unit_code_is_refused():
    errors = errors_of(edited(("{code: erqi, name: 二七区", "{code: zhongyuan, name: 二七区")))
    assert "units[0].code" in errors and "units[1].code" in errors


def test_early_start_must_move_to_the_plan_year():
    errors = errors_of(edited(("    to_year: 2022\n", "    to_year: 2021\n")))
    assert "rules.early_start.to_year" in errors


def test_bad_yaml_syntax_gives_one_error_with_line_and_column():
    text = edited(("    label: 区县（市）排名\n", "    label: [区县（市）排名\n"))
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    [issue] = caught.value.errors
    assert issue.path == ""
    assert "YAML 语法错误" in issue.message
    assert issue.line is not None and issue.column is not None
    assert f"第 {issue.line} 行第 {issue.column} 列" in str(issue)


def test_all_errors_are_reported_together_with_lines():
    text = edited(
        ("  fai_growth: {value: 10,", "  fai_growth: {value: ten,"),
        ("      fai_growth: 40\n", "      fai_growth: 30\n"),
        ("    stalled_after_days: 30\n", ""),
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text, source="broken.yaml")
    issues = caught.value.errors
    assert {issue.path for issue in issues} == {
        "targets.fai_growth.value",
        "rules.evaluation.weights",
        "rules.promotion.stalled_after_days",
    }
    by_path = {issue.path: issue for issue in issues}
    assert (
        by_path["targets.fai_growth.value"].line
        == text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith("  fai_growth:"))
        )
        + 1
    )
    assert [issue.line for issue in issues] == sorted(issue.line for issue in issues)
    assert "broken.yaml" in str(caught.value)
    assert "targets.fai_growth.value: 应为数字" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("", "方案文件为空"),
        ("- a\n- b\n", "顶层应为键值映射"),
        ("a: 1\n---\nb: 2\n", "YAML 语法错误"),
    ],
)
def test_degenerate_files_are_refused(text, wanted):
    with pytest.raises(PlanError) as caught:
        parse_plan(text)
    assert wanted in caught.value.errors[0].message


def test_missing_file_is_a_plan_error(tmp_path):
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "nowhere.yaml")
    assert "找不到方案文件" in caught.value.errors[0].message


def test_non_utf8_file_is_a_plan_error(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("城市: 郑州".encode("gbk"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert "UTF-8" in caught.value.errors[0].message


def test_issue_renders_as_path_and_message():
    assert (
        str(PlanIssue("targets.x.value", "应为数字（expected a number）", 3))
        == "targets.x.value: 应为数字（expected a number）（第 3 行）"
    )
    assert str(PlanIssue("", "方案文件为空")) == "方案文件为空"


def test_the_loader_alone_rejects_duplicate_keys_in_any_mapping():
    with pytest.raises(DuplicateKeyError) as caught:
        yaml.load("a:\n  - {x: 1, x: 2}\n", Loader=PlanLoader)
    [issue] = caught.value.issues
    assert (issue.path, issue.line) == ("a[0].x", 2)
