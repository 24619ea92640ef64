"""The pure demo generator: deterministic, at the plan's scale, internally consistent. No database."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from collections import Counter

import pytest
from stdnum.cn import uscc as stdnum_uscc

from tuijin.demo import vocabulary
from tuijin.demo.generate import (
    CITY_ORG,
    DEMO_AS_OF,
    DEMO_PROJECTS,
    DEMO_SEED,
    FLOOD_DAY,
    ProjectSpec,
    demo_plan,
    facts_from_plan,
    generate,
    make_uscc,
    organisation_code,
    rng_for,
    tag_counts,
)
from tuijin.orgs.roles import role_conflicts
from tuijin.orgs.services import CITY_CODE
from tuijin.projects.rules import StageFacts, project_code_problem, stage_move_problems


@pytest.fixture(scope="module")
def facts():
    return facts_from_plan(demo_plan())


@pytest.fixture(scope="module")
def data(facts):
    return generate(facts)


@pytest.fixture(scope="module")
def projects(data) -> tuple[ProjectSpec, ...]:
    return data.projects


def started(p: ProjectSpec) -> bool:
    return p.stage in ("construction", "completed")


# --- determinism -----------------------------------------------------------------------


def test_the_same_seed_gives_identical_data(facts, data):
    again = generate(facts)
    assert again == data
    assert [p.name for p in again.projects] == [p.name for p in data.projects]


def test_another_seed_gives_other_data(facts, data):
    other = generate(facts, seed=DEMO_SEED + 1, projects=DEMO_PROJECTS)
    assert [p.name for p in other.projects] != [p.name for p in data.projects]


def test_a_smaller_demo_is_deterministic_too(facts):
    assert generate(facts, projects=300) == generate(facts, projects=300)


def test_another_process_generates_the_same_data(facts):
    """No set or hash order leaks into the data: another interpreter with another hash seed agrees."""
    script = (
        "import django, hashlib; django.setup()\n"
        "from tuijin.demo.generate import demo_plan, facts_from_plan, generate\n"
        "data = generate(facts_from_plan(demo_plan()), projects=300)\n"
        "print(hashlib.sha256(repr(data).encode()).hexdigest())\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tuijin.settings_test", "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == hashlib.sha256(repr(generate(facts, projects=300)).encode()).hexdigest()


# --- the plan's scale -------------------------------------------------------------------


def test_it_makes_the_full_number_of_projects(projects):
    assert len(projects) == DEMO_PROJECTS
    assert [p.ref for p in projects] == list(range(DEMO_PROJECTS))


def test_tag_counts_follow_the_plan(facts, projects):
    counts = tag_counts(projects)
    assert counts["shortfall_982"] == int(facts.target("shortfall_982_projects")) == 874
    assert counts["reconstruction"] == int(facts.target("reconstruction_projects")) == 2216
    assert counts["special_bond"] == int(facts.target("bond_projects")) == 142
    assert counts["whitelist"] == int(facts.target("whitelist_projects")) == 65
    assert counts["land_support"] == int(facts.target("land_support_projects")) == 28
    assert counts["provincial_key"] == 250
    assert counts["city_key"] == 700
    assert 10 <= counts["reits"] <= 15
    assert 130 <= counts["promotion"] <= 170


def test_key_projects_meet_the_plan(facts, projects):
    key = [p for p in projects if p.is_key]
    assert len(key) >= facts.target("key_projects")
    assert not [p for p in key if "provincial_key" in p.tags and "city_key" in p.tags]
    # 二(二)5: ≥4,670亿 of investment in the key projects this year (in 万元).
    assert sum(p.plan_for(2022) for p in key) == int(facts.target("key_project_investment")) * 10_000
    assert all(p.leader for p in key)
    assert all(p.leader in vocabulary.CITY_LEADERS for p in key)
    assert not [p for p in projects if p.leader and not p.is_key]
    assert all(p.stage in ("ready", "construction", "completed") for p in key)


def test_stages_have_the_intended_shares(projects):
    stages = Counter(p.stage for p in projects)
    n = len(projects)
    assert abs(stages["reserve"] + stages["cancelled"] - 0.25 * n) <= 0.01 * n
    assert abs(stages["ready"] - 0.15 * n) <= 0.01 * n
    assert abs(stages["construction"] - 0.50 * n) <= 0.01 * n
    assert abs(stages["completed"] - 0.10 * n) <= 0.01 * n
    assert 5 <= stages["cancelled"] <= 40


def test_total_investment_is_skewed(projects):
    totals = sorted(p.total_investment_wan for p in projects)
    in_band = sum(5_000 <= t <= 200_000 for t in totals)
    assert in_band > 0.6 * len(totals)
    assert 3 <= sum(t > 1_000_000 for t in totals) <= 30
    assert all(t > 0 for t in totals)


def test_big_units_and_zones_carry_more_projects(projects):
    per_unit = Counter(p.unit_code for p in projects)
    top = {code for code, _n in per_unit.most_common(5)}
    assert {"hangkonggang", "jinshui", "zhengdong"} <= top
    assert per_unit["hangkonggang"] > 2 * per_unit["shangjie"]
    assert len(per_unit) == 16


def test_every_field_and_category_is_used(facts, projects):
    assert {p.field for p in projects} == set(facts.fields)
    assert {p.category for p in projects} == set(facts.categories)
    industrial = [p for p in projects if p.category == "industrial"]
    assert sum(bool(p.leading_industry) for p in industrial) > 0.7 * len(industrial)
    assert {p.leading_industry for p in industrial} - {""} <= set(facts.leading_industries)


def test_a_smaller_demo_scales_the_counts(facts):
    small = generate(facts, projects=500)
    counts = tag_counts(small.projects)
    assert len(small.projects) == 500
    assert counts["shortfall_982"] == round(874 / 10)
    assert counts["special_bond"] == round(142 / 10)
    assert counts["reconstruction"] == round(2216 / 10)


# --- codes and names ----------------------------------------------------------------------


def test_project_codes_are_valid_and_unique(facts, projects):
    codes = [p.project_code for p in projects if p.project_code]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if project_code_problem(c)] == []
    for p in projects:
        if not p.project_code:
            continue
        year, division, _industry, kind, _serial = p.project_code.split("-")
        assert 2019 <= int(year) <= 2022
        assert division == (facts.unit(p.unit_code).division_code or "410100")
        assert kind == ("01" if p.investment_type == "government" else kind)
        assert kind in ("01", "02", "03")


def test_a_project_code_is_required_from_ready_on(projects):
    assert all(p.project_code for p in projects if p.stage in ("ready", "construction", "completed"))
    reserve = [p for p in projects if p.stage == "reserve"]
    assert 0.3 * len(reserve) < sum(bool(p.project_code) for p in reserve) < 0.7 * len(reserve)


def test_usccs_are_valid_and_one_per_owner(projects):
    assert all(stdnum_uscc.is_valid(p.owner_uscc) for p in projects)
    by_owner: dict[str, set[str]] = {}
    for p in projects:
        by_owner.setdefault(p.owner_name, set()).add(p.owner_uscc)
    assert all(len(codes) == 1 for codes in by_owner.values())
    assert len({p.owner_uscc for p in projects}) == len(by_owner)
    prefixes = Counter(p.owner_uscc[:2] for p in projects)
    assert set(prefixes) <= {"91", "11", "12"}
    assert prefixes["91"] > prefixes["11"] > 0


def test_a_uscc_carries_a_valid_organisation_code():
    rng = rng_for(1, "uscc-test")
    for _ in range(500):
        code = make_uscc(rng, "91", "410105")
        assert stdnum_uscc.validate(code) == code
        assert code[2:8] == "410105"
        assert organisation_code(code[8:16]) == code[8:17]
    assert organisation_code("D2143569") == "D2143569X"  # GB 11714 worked example: check 10 → X


def test_names_are_unique_and_chinese(projects):
    names = [p.name for p in projects]
    assert len(set(names)) == len(names)
    assert all(n.endswith(("项目", "工程")) for n in names)
    assert all(not n.isascii() for n in names)
    assert "郑州地铁6号线一期工程" in names
    assert "兴港新能源产业园项目" in names


def test_addresses_and_positions_are_in_the_unit(facts, projects):
    for p in projects:
        unit = facts.unit(p.unit_code)
        assert unit.name in p.address
        assert abs(p.lon - unit.lon) < 0.5 and abs(p.lat - unit.lat) < 0.5


def test_responsible_departments_fit_the_category(facts, projects):
    known = set(facts.department_codes)
    assert all(1 <= len(p.departments) <= 2 and set(p.departments) <= known for p in projects)
    industrial = [p for p in projects if p.category == "industrial"]
    assert sum("gxj" in p.departments for p in industrial) > 0.9 * len(industrial)
    reconstruction = [p for p in projects if "reconstruction" in p.tags]
    assert all("cjb" in p.departments for p in reconstruction)
    real_estate = [p for p in projects if p.category == "real_estate"]
    assert all("zfbzj" in p.departments for p in real_estate)


# --- dates, plans, history ------------------------------------------------------------------


def test_dates_fit_the_stage(projects):
    for p in projects:
        assert p.planned_start and p.planned_end and p.planned_start < p.planned_end, p.name
        assert p.registered_on < DEMO_AS_OF
        if started(p):
            assert p.actual_start and p.actual_start < DEMO_AS_OF
            assert p.registered_on <= p.actual_start
        else:
            assert p.actual_start is None
        if p.stage == "completed":
            assert p.actual_end and p.actual_start < p.actual_end < DEMO_AS_OF
        else:
            assert p.actual_end is None
        if "reconstruction" in p.tags and not p.flagship:
            assert p.registered_on > FLOOD_DAY


def test_annual_plans_never_exceed_the_total(projects):
    for p in projects:
        years = [y for y, _a in p.annual_plans]
        assert set(years) <= {2021, 2022}
        assert all(a > 0 for _y, a in p.annual_plans)
        assert sum(a for _y, a in p.annual_plans) <= p.total_investment_wan, p.name
    assert all(p.plan_for(2022) for p in projects if p.stage == "ready")
    assert not [p for p in projects if p.stage == "reserve" and p.annual_plans]


def test_stage_history_replays_through_the_stage_rules(facts, projects):
    """Each recorded move would have been allowed by the stage machine at its time."""
    for p in projects:
        catalogue = facts.approvals.get(p.category, ())
        stage = "reserve"
        for move in p.moves:
            assert move.from_stage == stage
            assert move.at.date() < DEMO_AS_OF
            day = move.at.date()
            done = frozenset(a.code for a in p.approvals if a.approved_on and a.approved_on <= day)
            state = StageFacts(
                stage=stage, project_code=p.project_code, has_annual_plan=bool(p.annual_plans),
                actual_start=p.actual_start if p.actual_start and p.actual_start <= day else None,
                actual_end=p.actual_end if p.actual_end and p.actual_end <= day else None,
                required_approvals=tuple(a.code for a in catalogue), done_approvals=done,
                green_channel=p.green_channel,
            )
            assert stage_move_problems(state, move.to_stage) == [], (p.name, move)
            stage = move.to_stage
        assert stage == p.stage
        assert list(p.moves) == sorted(p.moves, key=lambda m: m.at)
        assert all(m.actor in (p.unit_code, "fgw") for m in p.moves)


def test_approvals_follow_the_catalogue(facts, projects):
    for p in projects:
        if p.stage == "reserve":
            assert p.approvals == ()
            continue
        if p.stage == "cancelled" and not p.approvals:
            continue
        assert [a.code for a in p.approvals] == [a.code for a in facts.approvals[p.category]]
        for a in p.approvals:
            assert (a.status == "done") == (a.approved_on is not None)
            assert a.approved_on is None or a.approved_on < DEMO_AS_OF
        if started(p) and not p.green_channel:
            assert all(a.status == "done" and a.approved_on <= p.actual_start for a in p.approvals)
    green = [p for p in projects if p.green_channel]
    assert green and all("reconstruction" in p.tags and p.green_channel_reason for p in green)
    assert all(any(a.status != "done" for a in p.approvals) for p in green)
    ready = [a for p in projects if p.stage == "ready" for a in p.approvals]
    statuses = Counter(a.status for a in ready)
    assert statuses["done"] and statuses["in_progress"] and statuses["pending"]
    overdue = [a for a in ready if a.status != "done" and a.due_date < DEMO_AS_OF]
    assert 0 < len(overdue) < len([a for a in ready if a.status != "done"])


def test_most_started_projects_are_in_the_statistics(facts, projects):
    due = [p for p in projects if started(p) and p.total_investment_wan >= facts.statistics_threshold_wan]
    missing = [p for p in due if not p.in_statistics]
    assert 0.02 * len(due) <= len(missing) <= 0.04 * len(due)
    assert not [p for p in projects if p.in_statistics and not started(p)]
    for p in projects:
        if p.in_statistics:
            assert p.actual_start <= p.statistics_date < DEMO_AS_OF


# --- accounts ---------------------------------------------------------------------------------


def test_accounts_cover_every_department_and_unit(facts, data):
    users = {u.username: u for u in data.users}
    assert set(facts.department_codes) <= set(users)
    assert {u.code for u in facts.units} <= set(users)
    assert users["fgw"].roles == ("city_admin",) and users["fgw"].org_code == "fgw"
    assert users["leader"].roles == ("leader",) and users["leader"].org_code == CITY_ORG
    assert users["dcs"].roles == ("supervision",)
    assert users["gxj"].roles == ("department",)
    assert users["jinshui"].roles == ("unit",) and users["jinshui"].org_code == "jinshui"
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert users[admin].roles == (admin,) and users[admin].org_code in ("fgw", CITY_ORG)
    assert not {"admin", "root"} & set(users)
    assert all(role_conflicts(list(u.roles)) is None for u in data.users)
    assert all(u.full_name and not u.full_name.isascii() for u in data.users)
    assert len({u.full_name for u in data.users}) == len(data.users)


def test_the_city_org_code_matches_the_orgs_service():
    assert CITY_ORG == CITY_CODE


def test_history_is_all_before_the_demo_date(projects):
    last = dt.datetime.combine(DEMO_AS_OF, dt.time(0, 0), tzinfo=projects[0].created_at.tzinfo)
    assert all(p.created_at < last and p.updated_at < last for p in projects)
