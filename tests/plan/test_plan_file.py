"""The real plan file (plans/zhengzhou-2022.yaml) carries the seed's numbers and rules."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
import yaml
from pydantic import ValidationError

from tuijin.plan.loader import PlanLoader, load_plan, parse_plan

from .support import PLAN_FILE, edited


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_FILE)


def test_it_loads_the_document_identity(plan):
    assert plan.meta.id == "zhengzhou-2022"
    assert plan.meta.year == 2022
    assert plan.meta.city == "郑州市"
    assert plan.meta.document_number == "郑政办〔2022〕34号"
    assert plan.meta.issued.isoformat() == "2022-04-01"


def test_it_lists_the_16_reporting_units_in_table_order(plan):
    assert plan.unit_codes() == (
        "zhongyuan", "erqi", "guancheng", "jinshui", "shangjie", "huiji", "zhongmou", "gongyi",
        "xingyang", "xinmi", "xinzheng", "dengfeng", "zhengdong", "jingkai", "gaoxin", "hangkonggang",
    )  # fmt: skip
    assert [unit.kind for unit in plan.units].count("district") == 12
    assert [unit.kind for unit in plan.units].count("zone") == 4
    assert plan.unit("guancheng").name == "管城回族区"
    assert plan.unit("guancheng").short_name == "管城区"
    assert plan.unit("jinshui").division_code == "410105"
    assert plan.unit("zhengdong").division_code is None
    assert plan.unit("hangkonggang").division_code == "410173"
    assert plan.unit("zhongyuan").centre == (113.613, 34.748)


def test_it_lists_the_20_departments(plan):
    assert len(plan.departments) == 20
    assert plan.department("fgw").name == "市发展改革委"
    assert plan.department("dcs").name == "市政府督查室"
    with pytest.raises(KeyError):
        plan.department("nope")


def test_every_department_is_responsible_for_some_clause(plan):
    responsible = {code for clause in plan.clauses for code in clause.departments}
    assert responsible == set(plan.department_codes())


def test_it_has_the_reference_lists(plan):
    assert [f.code for f in plan.fields] == [
        "advanced_manufacturing", "innovation", "modern_services", "ecology",
        "new_infrastructure", "new_urbanisation", "major_infrastructure", "livelihood",
    ]  # fmt: skip
    assert plan.field_name("livelihood") == "民生和社会事业"
    assert [(c.code, c.name) for c in plan.categories] == [
        ("industrial", "工业"), ("infrastructure", "基础设施"), ("real_estate", "房地产开发"),
        ("social", "社会民生"), ("other", "其他"),
    ]  # fmt: skip
    assert plan.category_name("real_estate") == "房地产开发"
    assert len(plan.leading_industries) == 6
    assert plan.leading_industry_name("electronic_information") == "电子信息"
    assert [(i.code, i.name) for i in plan.indicators] == [
        ("fai", "固定资产投资"), ("industrial", "工业投资"), ("infrastructure", "基础设施投资"),
        ("real_estate", "房地产开发投资"),
    ]  # fmt: skip
    assert plan.indicator_name("fai") == "固定资产投资"


# Every number of the seed, as written there.
SEED_TARGETS = {
    "fai_growth": ("10", "percent"),
    "unit_fai_growth": ("10", "percent"),
    "industrial_growth": ("15", "percent"),
    "infrastructure_growth": ("18", "percent"),
    "real_estate_growth": ("8", "percent"),
    "major_industrial_projects": ("900", "count"),
    "key_projects": ("900", "count"),
    "key_project_investment": ("4670", "yi"),
    "new_starts": ("214", "count"),
    "approval_items": ("1278", "count"),
    "q1_investment": ("900", "yi"),
    "q1_approval_rate": ("80", "percent"),
    "q1_start_rate": ("40", "percent"),
    "shortfall_982_projects": ("874", "count"),
    "shortfall_982_investment": ("2395", "yi"),
    "batch_number": ("4", "count"),
    "reconstruction_projects": ("2216", "count"),
    "reconstruction_reservoirs": ("143", "count"),
    "bond_batches": ("2", "count"),
    "bond_projects": ("142", "count"),
    "bond_amount": ("111.1", "yi"),
    "reserve_projects": ("2020", "count"),
    "reserve_investment": ("5839.9", "yi"),
    "deals_100yi": ("16", "count"),
    "deals_30yi": ("8", "count"),
    "deals_10yi": ("24", "count"),
    "deals_5yi": ("56", "count"),
    "deal_signed_amount": ("6500", "yi"),
    "whitelist_projects": ("65", "count"),
    "land_support_projects": ("28", "count"),
}


@pytest.mark.parametrize(("name", "expected"), SEED_TARGETS.items())
def test_it_carries_the_seed_target(plan, name, expected):
    value, unit = expected
    target = plan.targets[name]
    assert target.value == Decimal(value)
    assert isinstance(target.value, Decimal)
    assert target.unit == unit
    assert target.label


def test_decimal_amounts_stay_exact(plan):
    assert plan.targets["bond_amount"].value == Decimal("111.1")
    assert str(plan.targets["bond_amount"].value) == "111.1"
    assert str(plan.targets["reserve_investment"].value) == "5839.9"
    assert plan.rules.interest_subsidy.benchmark_rate_percent == Decimal("4.35")


def test_every_target_and_rule_names_an_existing_source_clause(plan):
    sources = [(f"targets.{name}", target.source) for name, target in plan.targets.items()]
    sources += [(f"rules.{name}", rule.source) for name, rule in plan.rules]
    assert len(sources) == len(plan.targets) + len(list(plan.rules))
    for where, source in sources:
        assert source.strip(), where
        for ref in source.split("、"):
            assert plan.clause(ref).title, (where, ref)


def test_clauses_follow_the_seed_numbering(plan):
    assert plan.clause("二(六)16").title == "实施项目贴息支持"
    assert plan.clause("二（六）16").departments == ("gxj", "czj")  # full-width brackets accepted
    assert plan.clause("三(三)").departments == ("dcs",)
    measures = [c.clause for c in plan.clauses if c.clause[-1].isdigit()]
    assert [int(m.split(")")[1]) for m in measures] == list(range(1, 22))


def test_target_lookup_is_override_aware():
    plan = parse_plan(
        edited(("unit_overrides: {}", "unit_overrides:\n  hangkonggang: {unit_fai_growth: 12.5}"))
    )
    assert plan.target("unit_fai_growth") == Decimal("10")
    assert plan.target("unit_fai_growth", unit="jinshui") == Decimal("10")
    assert plan.target("unit_fai_growth", unit="hangkonggang") == Decimal("12.5")
    with pytest.raises(KeyError):
        plan.target("unit_fai_growth", unit="atlantis")
    with pytest.raises(KeyError):
        plan.target("no_such_target")


def test_ranking_defaults_to_one_group_of_all_units(plan):
    ranking = plan.rules.ranking
    assert ranking.method == "competition"
    assert len(ranking.groups) == 1
    assert ranking.groups[0].units == plan.unit_codes()
    assert ranking.group_of("dengfeng").name == "全市"


def test_escalation_ladder(plan):
    escalation = plan.rules.escalation
    assert escalation.source == "三(三)"
    assert escalation.indicator == "fai"
    assert [(s.streak, s.level, s.label) for s in escalation.ladder] == [
        (1, "notice", "通报批评"),
        (2, "deputy_talk", "分管市领导约谈"),
        (3, "mayor_talk", "市主要领导约谈"),
    ]
    assert escalation.level_for(0) is None
    assert escalation.level_for(2).level == "deputy_talk"
    assert escalation.level_for(7).level == "mayor_talk"


def test_quarterly_awards(plan):
    awards = plan.rules.quarterly_awards
    assert awards.source == "二(六)15"
    assert [awards.amount_for(rank) for rank in range(1, 8)] == [
        Decimal(n) for n in (150, 100, 100, 50, 50, 50, 0)
    ]


def test_evaluation_weights(plan):
    weights = plan.rules.evaluation.weights
    assert weights == {
        "fai_growth": 40,
        "key_project_completion": 20,
        "start_rate": 10,
        "approval_rate": 10,
        "bond_spending": 10,
        "statistics_inclusion": 10,
    }
    assert sum(weights.values()) == 100
    assert sum(plan.rules.bond_evaluation.weights.values()) == 100
    assert set(plan.rules.bond_evaluation.weights) == {
        "issuance_scale",
        "submission_quality",
        "spending_progress",
        "compliance",
    }


def test_interest_subsidy(plan):
    rule = plan.rules.interest_subsidy
    assert rule.source == "二(六)16"
    assert rule.manufacturing_only is True
    assert rule.subsidy_share_percent == 30
    assert [(t.min_total_wan, t.min_first_year_wan, t.years, t.cap_wan) for t in rule.tiers] == [
        (100000, 50000, 1, 1000),
        (200000, 100000, 2, 4000),
    ]
    assert rule.tier_for(total_wan=Decimal(99999), first_year_wan=Decimal(60000)) is None
    assert rule.tier_for(total_wan=Decimal(250000), first_year_wan=Decimal(60000)).years == 1
    assert rule.tier_for(total_wan=Decimal(200000), first_year_wan=Decimal(100000)).cap_wan == 4000


def test_equipment_award_reits_and_early_start(plan):
    equipment = plan.rules.equipment_award
    assert (equipment.min_total_wan, equipment.cap_wan, equipment.natures) == (2000, 1000, ("new",))
    assert equipment.rate_for(leading_industry=True) == 10
    assert equipment.rate_for(leading_industry=False) == 5
    assert equipment.case_by_case_allowed is True
    reits = plan.rules.reits
    assert (reits.pre_expense_share_percent, reits.pre_expense_cap_wan, reits.issuance_award_wan) == (
        50,
        300,
        400,
    )
    assert (plan.rules.early_start.from_year, plan.rules.early_start.to_year) == (2023, 2022)
    assert plan.rules.statistics_inclusion.threshold_wan == 500


def test_deal_bands(plan):
    tiers = plan.rules.deal_tiers
    assert [(b.code, b.min_yi, b.max_yi, b.target) for b in tiers.bands] == [
        ("yi100", 100, None, "deals_100yi"),
        ("yi30", 30, 100, "deals_30yi"),
        ("yi10", 10, 30, "deals_10yi"),
        ("yi5", 5, 10, "deals_5yi"),
    ]
    band = tiers.band_for
    assert band(Decimal(100), leading_industry=False).code == "yi100"
    assert band(Decimal("99.99"), leading_industry=False).code == "yi30"
    assert band(Decimal(10), leading_industry=False).code == "yi10"
    assert band(Decimal(6), leading_industry=True).code == "yi5"
    assert band(Decimal(6), leading_industry=False) is None
    assert band(Decimal(4), leading_industry=True) is None


def test_calendar_problems_and_catalogue(plan):
    calendar = plan.rules.reporting_calendar
    assert (calendar.period_opens_day, calendar.deadline_working_day, calendar.reminder_days_before) == (
        1,
        5,
        2,
    )
    assert plan.rules.promotion.stalled_after_days == 30
    assert {c.code for c in plan.rules.problem_deadlines.categories} == {
        "land", "funds", "approvals", "demolition", "municipal", "environment", "utilities", "other",
    }  # fmt: skip
    assert plan.rules.problem_deadlines.working_days("land") > 0
    catalogue = plan.rules.approval_catalogue
    assert set(catalogue.required) == {c.code for c in plan.categories}
    industrial = {item.code: item.department for item in catalogue.items_for("industrial")}
    assert industrial["project_approval"] == "fgw"
    assert industrial["eia"] == "sthjj"
    assert industrial["construction_permit"] == "cjj"
    assert "energy_review" not in {item.code for item in catalogue.items_for("real_estate")}
    assert plan.rules.fund_sources.codes() == (
        "central_budget", "special_bond", "fiscal", "bank_loan", "intl_loan", "reits", "private",
    )  # fmt: skip
    assert plan.rules.reconstruction_categories.codes() == (
        "reservoir",
        "river",
        "transport",
        "housing",
        "municipal",
        "other",
    )
    assert plan.rules.maturity_levels.codes() == ("concept", "feasibility", "approvals", "ready")
    assert plan.rules.fund_sources.name("intl_loan").startswith("国际金融组织贷款")


def test_hash_and_source_path_come_from_the_file(plan):
    assert plan.hash == hashlib.sha256(PLAN_FILE.read_bytes()).hexdigest()
    assert plan.source_path == PLAN_FILE
    text_plan = parse_plan(PLAN_FILE.read_text(encoding="utf-8"))
    assert text_plan.hash == plan.hash
    assert text_plan.source_path is None


def test_the_plan_is_frozen(plan):
    with pytest.raises(ValidationError):
        plan.meta.year = 2023
    with pytest.raises(ValidationError):
        plan.targets["fai_growth"].value = Decimal(1)
    with pytest.raises(AttributeError):
        plan.units.append(None)  # tuples: no in-place changes


def test_yaml_numbers_are_read_as_exact_decimals():
    assert yaml.load("a: 0.1\nb: 1_000.25\nc: 7", Loader=PlanLoader) == {
        "a": Decimal("0.1"),
        "b": Decimal("1000.25"),
        "c": 7,
    }
    # More digits than a float holds survive unchanged.
    plan = parse_plan(edited(("value: 5839.9,", "value: 5839.900000000000000001,")))
    assert plan.targets["reserve_investment"].value == Decimal("5839.900000000000000001")
