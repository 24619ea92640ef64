"""Project code, USCC and stage-machine rules (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from tuijin.projects import rules


@pytest.mark.parametrize(
    ("code", "segment"),
    [
        ("2022-410105-35-03-00001", "24位"),
        ("2022/410105-35-03-000001", "格式"),
        ("1899-410105-35-03-000001", "第1段"),
        ("2022-990105-35-03-000001", "第2段"),
        ("2022-41010X-35-03-000001", "第2段"),
        ("2022-410105-00-03-000001", "第3段"),
        ("2022-410105-35-09-000001", "第4段"),
        ("2022-410105-35-03-000000", "第5段"),
        ("", "不能为空"),
    ],
)
def test_it_names_the_wrong_segment_of_a_project_code(code, segment):
    problem = rules.project_code_problem(code)
    assert problem is not None and segment in problem


def test_it_accepts_a_well_formed_project_code():
    assert rules.project_code_problem("2022-410105-35-03-012345") is None


@given(
    year=st.integers(1990, 2099),
    division=st.sampled_from(["410102", "410185", "110101", "440300"]),
    industry=st.integers(1, 99),
    kind=st.sampled_from(["01", "02", "03"]),
    serial=st.integers(1, 999_999),
)
def test_every_code_built_from_valid_segments_is_accepted(year, division, industry, kind, serial):
    code = f"{year}-{division}-{industry:02d}-{kind}-{serial:06d}"
    assert rules.project_code_problem(code) is None


@given(st.text(max_size=30))
def test_random_text_never_crashes_the_code_check(text):
    assert rules.project_code_problem(text) is None or isinstance(rules.project_code_problem(text), str)


def valid_uscc(body: str = "91410100MA44B0AA1") -> str:
    return body + uscc.calc_check_digit(body)


def test_uscc_with_right_check_character_is_accepted():
    assert rules.uscc_problem(valid_uscc()) is None


def test_uscc_with_wrong_check_character_or_length_is_refused():
    good = valid_uscc()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "校验位" in rules.uscc_problem(wrong)
    assert "18位" in rules.uscc_problem(good[:-1])


def facts(**kw):
    base = dict(stage="reserve", project_code="2022-410105-35-03-000001", has_annual_plan=True, actual_start=None,
                actual_end=None, required_approvals=("eia", "construction_permit"), done_approvals=frozenset(),
                green_channel=False, approval_names={"eia": "环评", "construction_permit": "施工许可"})
    base.update(kw)
    return rules.StageFacts(**base)


def test_reserve_to_ready_needs_code_and_annual_plan():
    problems = rules.stage_move_problems(facts(project_code=None, has_annual_plan=False), "ready")
    assert len(problems) == 2
    assert "项目代码" in problems[0] and "年度计划" in problems[1]
    assert rules.stage_move_problems(facts(), "ready") == []


def test_ready_to_construction_needs_start_date_and_approvals_or_green_channel():
    problems = rules.stage_move_problems(facts(stage="ready"), "construction")
    assert any("实际开工日期" in p for p in problems)
    assert any("环评" in p and "施工许可" in p for p in problems)
    started = facts(stage="ready", actual_start=dt.date(2022, 3, 1))
    assert any("施工许可" in p for p in rules.stage_move_problems(started, "construction"))
    done = facts(stage="ready", actual_start=dt.date(2022, 3, 1), done_approvals=frozenset({"eia", "construction_permit"}))
    assert rules.stage_move_problems(done, "construction") == []
    green = facts(stage="ready", actual_start=dt.date(2022, 3, 1), green_channel=True)
    assert rules.stage_move_problems(green, "construction") == []


def test_construction_to_completed_needs_end_date():
    assert "实际竣工日期" in rules.stage_move_problems(facts(stage="construction"), "completed")[0]
    assert rules.stage_move_problems(facts(stage="construction", actual_end=dt.date(2022, 5, 1)), "completed") == []


@pytest.mark.parametrize(
    ("stage", "to"),
    [("reserve", "construction"), ("reserve", "completed"), ("ready", "reserve"), ("construction", "ready"),
     ("completed", "cancelled"), ("cancelled", "reserve"), ("reserve", "reserve")],
)
def test_stages_only_move_one_step_forward_or_to_cancelled(stage, to):
    problems = rules.stage_move_problems(facts(stage=stage), to)
    assert problems and ("顺序" in problems[0] or "不能再移动" in problems[0])


def test_unknown_target_stage_is_named():
    assert "未知的目标阶段" in rules.stage_move_problems(facts(), "moon")[0]


@given(st.sampled_from(list(rules.STAGE_LABELS)), st.sampled_from(list(rules.STAGE_LABELS)))
def test_a_move_is_allowed_only_to_an_allowed_target(stage, to):
    complete = facts(stage=stage, actual_start=dt.date(2022, 1, 1), actual_end=dt.date(2022, 6, 1), green_channel=True)
    allowed = rules.stage_move_problems(complete, to) == []
    assert allowed == (to in rules.allowed_targets(stage))
