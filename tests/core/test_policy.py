"""The one access policy (tuijin.orgs.policy): its registry, SYSTEM, scopes and per-field write rules."""

from __future__ import annotations

import pytest

from tuijin.orgs import policy
from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.errors import PermissionRefused


def test_the_registry_lists_every_predicate_with_a_chinese_refusal():
    assert {"read_business_data", "read_city_wide", "edit_unit", "view_unit", "manage_city_data", "supervise",
            "read_audit_log", "see_job", "act_for_department", "write_business_data"} <= set(policy.PREDICATES)
    for name, rule in policy.PREDICATES.items():
        assert rule.name == name
        message = rule.refusal(SYSTEM)
        assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), name
        assert rule.doc, f"{name} says why"


def test_an_unknown_predicate_is_an_error_not_a_no():
    with pytest.raises(KeyError, match="unknown access predicate"):
        policy.can(SYSTEM, "read_everything")


def test_a_question_without_a_principal_is_an_error():
    with pytest.raises(TypeError):
        policy.can(None, "read_business_data")


def test_system_is_one_city_wide_principal_that_is_never_a_person():
    assert policy.SystemPrincipal() is SYSTEM
    assert SYSTEM.is_authenticated and SYSTEM.pk is None and SYSTEM.reporting_unit is None
    assert str(SYSTEM) == "系统"
    assert policy.can(SYSTEM, "read_business_data") and policy.can(SYSTEM, "read_city_wide")
    assert policy.unit_scope(SYSTEM) is None
    assert not policy.can(SYSTEM, "read_audit_log"), "the system is no audit administrator"


def test_system_reads_every_unit_through_the_scoped_queryset(make_project):
    from tuijin.projects.models import Project

    make_project("jinshui")
    make_project("zhongyuan")
    assert Project.objects.visible_to(SYSTEM).count() == 2
    with pytest.raises(TypeError):
        Project.objects.visible_to(None)


def test_the_scope_is_the_policys(users, orgs):
    assert policy.unit_scope(users["fgw"]) is None
    assert policy.unit_scope(users["leader"]) is None
    assert policy.unit_scope(users["jinshui"]) == orgs["jinshui"]
    assert not policy.can(users["sysadmin"], "read_business_data")
    assert policy.can(users["jinshui"], "view_unit", orgs["jinshui"])
    assert policy.can(users["jinshui"], "view_unit", "jinshui")
    assert not policy.can(users["jinshui"], "view_unit", orgs["zhongyuan"])
    assert policy.can(users["fgw"], "edit_unit", orgs["zhongyuan"])
    assert not policy.can(users["leader"], "edit_unit", orgs["zhongyuan"])


def test_require_raises_with_the_callers_message_or_the_rules(users):
    with pytest.raises(PermissionRefused, match="只有督查室"):
        policy.require(users["jinshui"], "supervise")
    with pytest.raises(PermissionRefused, match="自己的话"):
        policy.require(users["jinshui"], "supervise", message="自己的话")
    policy.require(users["dcs"], "supervise")


def test_an_inactive_user_may_nothing(users):
    user = users["fgw"]
    user.is_active = False
    assert not any(policy.can(user, name, None) for name in
                   ("read_business_data", "manage_city_data", "write_business_data", "supervise"))


# --- per-field write rules: an approval item (联审联批) shared by a unit and a department --------------------------


@pytest.fixture
def approval_item(make_project, orgs):
    from tuijin.projects.models import ApprovalItem

    project = make_project("jinshui")
    return ApprovalItem(project=project, code="x", name="用地预审", department=orgs["gxj"])


def test_the_unit_records_the_application_of_its_own_items(users, approval_item):
    assert policy.writable_fields(users["jinshui"], approval_item) == {"applied_on"}
    assert policy.writable_fields(users["zhongyuan"], approval_item) == set()


def test_the_approving_department_records_the_decision_of_its_own_items(users, orgs, approval_item):
    assert policy.writable_fields(users["gxj"], approval_item) == {"status", "approved_on", "document_no"}
    approval_item.department = orgs["tjj"]
    assert policy.writable_fields(users["gxj"], approval_item) == set(), "another department's item"


def test_the_drc_records_everything_and_readers_nothing(users, approval_item):
    assert policy.writable_fields(users["fgw"], approval_item) == {"applied_on", "status", "approved_on",
                                                                    "document_no"}
    assert policy.writable_fields(SYSTEM, approval_item) == policy.writable_fields(users["fgw"], approval_item)
    assert policy.writable_fields(users["leader"], approval_item) == set()
    assert policy.writable_fields(users["auditor"], approval_item) == set()


def test_a_model_without_field_rules_is_all_or_nothing(users, make_project):
    project = make_project("jinshui")
    assert "name" in policy.writable_fields(users["jinshui"], project)
    assert policy.writable_fields(users["zhongyuan"], project) == set()
    assert policy.writable_fields(users["leader"], project) == set()


@pytest.mark.django_db
def test_the_city_or_a_named_department_may_act_for_it_and_no_one_else(users):
    codes = ("gxj", "czj")
    assert policy.can(users["fgw"], "act_for_city_or_department", codes)  # the city DRC administrator
    assert policy.can(users["gxj"], "act_for_city_or_department", codes)  # one of the named departments
    assert not policy.can(users["gxj"], "act_for_city_or_department", ("czj",))  # not named
    assert not policy.can(users["jinshui"], "act_for_city_or_department", codes)
    assert not policy.can(users["leader"], "act_for_city_or_department", codes)
    assert not policy.can(SYSTEM, "act_for_department", codes)  # the system is no department
