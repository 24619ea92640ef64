"""The problem ledger tells the apps above through a signal, after the commit (DESIGN §9)."""

from __future__ import annotations

import pytest

from tuijin.audit.context import audit_context
from tuijin.problems import services
from tuijin.problems.signals import problem_routed

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(heard_on):
    return heard_on(problem_routed)


def test_raising_and_rerouting_a_problem_announce_its_department(raise_problem, users, heard,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_problem("utilities")
    assert [(c["problem"].pk, c["problem"].department.code, c["actor"], c["rerouted"]) for c in heard] == [
        (problem.pk, "gxj", users["jinshui"], False)]
    with django_capture_on_commit_callbacks(execute=True), audit_context(source="web", actor=users["fgw"]):
        services.problem_reroute(actor=users["fgw"], problem_id=problem.pk, department_code="cjj",
                                 reason="属市政配套问题", today=TODAY)
    assert (heard[-1]["problem"].department.code, heard[-1]["actor"], heard[-1]["rerouted"]) == (
        "cjj", users["fgw"], True)


def test_nothing_is_announced_before_the_commit(raise_problem, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        raise_problem("land")
    assert heard == [] and pending
