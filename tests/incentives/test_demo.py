"""The demo's incentives: the scan finds every planted eligible case and none of the planted ineligible
ones; applications exist in every state; the REITs pipeline has entries in every stage."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from tuijin.audit.context import audit_context
from tuijin.demo.generate import facts_from_plan
from tuijin.demo.steps import generate_all
from tuijin.demo.steps.incentives import EXPECTED, REITS_EXPECTED, planted_expectations
from tuijin.incentives import services
from tuijin.incentives.models import Application, Proposal
from tuijin.plan import plan_for
from tuijin.reits.models import ReitsEntry

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]
#: a demo whose library holds every planted case, the natural interest-subsidy one included
PROJECTS = 1000


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (300 projects) loaded once for the module; the database is emptied afterwards."""
    with django_db_blocker.unblock():
        try:
            call_command("demo", "--projects", str(PROJECTS), "--seed", "2022", stdout=io.StringIO())
            planted = generate_all(facts_from_plan(plan_for(2022)), seed=2022, projects=PROJECTS)["incentives"]
            yield planted_expectations(planted)
        finally:
            call_command("flush", "--noinput", verbosity=0)


def proposed_rules(project_id: int) -> set[str]:
    return set(Proposal.objects.filter(project_id=project_id).values_list("rule", flat=True))


def test_every_planted_case_is_in_the_demo(demo):
    assert set(demo) == set(EXPECTED) | set(REITS_EXPECTED)


def test_the_scan_finds_the_planted_eligible_cases_and_none_of_the_ineligible(demo):
    findings = services.scan_findings(year=2022)  # what a fresh scan sees (pure reads)
    found: dict[int, set[str]] = {}
    for f in findings:
        found.setdefault(f["project"].pk, set()).add(f["rule"])
    for key, (project_id, expected, checked) in demo.items():
        assert found.get(project_id, set()) & checked == expected, key
        assert proposed_rules(project_id) & checked == expected, key  # and what the demo's scan stored
    with audit_context(source="cli"):
        again = services.incentives_scan(actor=None, year=2022)
    assert again["created"] == 0  # re-running never duplicates
    eligible = [k for k, (_p, e, _c) in demo.items() if e]
    ineligible = [k for k, (_p, e, _c) in demo.items() if not e]
    assert len(eligible) == 8 and len(ineligible) == 8


def test_applications_in_every_state_and_reits_in_every_stage(demo):
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted", "reviewed", "approved", "paid",
                                                                         "rejected"}
    stages = Counter(ReitsEntry.objects.values_list("stage", flat=True))
    assert set(stages) == {"planning", "screening", "filing", "issued", "operating"}
    assert stages["issued"] + stages["operating"] <= 3  # Zhengzhou had few REITs in 2022


def test_the_demo_decisions_and_budget(demo):
    from tuijin.incentives import selectors
    from tuijin.orgs.models import User

    assert Proposal.objects.filter(status="rejected").exclude(decision_reason="").exists()
    view = selectors.budget_view(user=User.objects.get(username="czj"), year=2022)
    rules = {r["rule"]: r for r in view["rules"]}
    assert rules["equipment_award"]["paid_wan"] == 150
    assert rules["interest_subsidy"]["committed_wan"] > 0
    from django.db.models import Sum

    from tuijin.assessment.models import EvaluationResult

    awards = EvaluationResult.objects.filter(evaluation__year=2022).aggregate(s=Sum("award_yuan"))["s"]
    assert awards and rules["quarterly_awards"]["committed_wan"] * 10_000 == awards  # Q1 and Q2 (ties share)


def test_the_demo_writes_one_entry_per_row_it_makes_or_decides(demo):
    from django.db.models import Count

    from tuijin.audit.models import AuditEntry

    def per_object(object_type: str, action: str) -> dict[str, int]:
        rows = (AuditEntry.objects.filter(object_type=object_type, action=action).values("object_id")
                .annotate(n=Count("id")).values_list("object_id", "n"))
        return dict(rows)

    created = per_object("incentives.application", "create")
    assert created == {str(pk): 1 for pk in Application.objects.values_list("pk", flat=True)}
    decided = per_object("incentives.proposal", "update")
    assert decided and set(decided.values()) == {1}
    assert set(decided) == {str(pk) for pk in Proposal.objects.exclude(status="proposed").values_list("pk", flat=True)}
    assert set(AuditEntry.objects.filter(object_type="incentives.proposal", action="update")
               .values_list("reason", flat=True)) == {"演示数据：奖补线索处理"}
    assert AuditEntry.objects.filter(object_type="incentives.attachment", action="create").count() == \
        Application.objects.count()
