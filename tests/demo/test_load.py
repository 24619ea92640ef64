"""`tuijin demo` loads the full demo into the database: counts, validity, accounts, audit, idempotence."""

from __future__ import annotations

import pytest
from django.db.models import Count, F, Min, Q, Sum
from django.test import Client
from stdnum.cn import uscc as stdnum_uscc

from tuijin.audit.models import AuditEntry
from tuijin.demo.generate import DEMO_AS_OF, DEMO_PASSWORD, DEMO_PROJECTS, demo_plan, facts_from_plan
from tuijin.demo.logins import demo_logins
from tuijin.orgs.models import Org, User
from tuijin.projects.models import AnnualPlan, ApprovalItem, Project, ProjectTag, StageMove
from tuijin.projects.rules import project_code_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(module_db):
    return module_db()


@pytest.fixture(scope="module")
def facts():
    return facts_from_plan(demo_plan())


def test_it_reports_what_it_loaded(loaded):
    assert "演示数据加载完成" in loaded
    assert f"项目 {DEMO_PROJECTS} 个" in loaded
    assert "4,670.00 亿元" in loaded
    assert DEMO_PASSWORD in loaded and "jinshui" in loaded


def test_orgs_come_from_the_plan(loaded, facts):
    assert Org.objects.reporting_units().count() == 16
    assert set(Org.objects.departments().values_list("code", flat=True)) == set(facts.department_codes)
    assert Org.objects.filter(kind="city").count() == 1


def test_project_and_tag_counts(loaded, facts):
    assert Project.objects.count() == DEMO_PROJECTS
    tags = dict(ProjectTag.objects.values_list("tag").annotate(n=Count("id")))
    assert tags["shortfall_982"] == 874
    assert tags["reconstruction"] == 2216
    assert tags["special_bond"] == 142
    assert tags["whitelist"] == 65
    assert tags["land_support"] == 28
    assert tags["provincial_key"] == 250
    assert tags["city_key"] == 700
    assert Project.objects.key_projects().count() >= facts.target("key_projects")
    key_2022 = AnnualPlan.objects.filter(year=2022, project__in=Project.objects.key_projects().values("pk"))
    assert key_2022.aggregate(s=Sum("amount_yuan"))["s"] == 4670 * 100_000_000
    stages = dict(Project.objects.values_list("stage").annotate(n=Count("id")))
    assert stages["construction"] == 2500 and stages["ready"] == 750 and stages["completed"] == 500
    assert stages["reserve"] + stages["cancelled"] == 1250


def test_every_project_code_is_valid_and_unique(loaded):
    codes = list(Project.objects.exclude(project_code=None).values_list("project_code", flat=True))
    assert len(codes) == len(set(codes)) > 4000
    assert [c for c in codes if project_code_problem(c)] == []
    assert not Project.objects.filter(stage__in=["ready", "construction", "completed"], project_code=None).exists()


def test_every_uscc_is_valid(loaded):
    assert all(stdnum_uscc.is_valid(c) for c in Project.objects.values_list("owner_uscc", flat=True))


def test_dates_fit_the_stage(loaded):
    started = Project.objects.filter(stage__in=["construction", "completed"])
    assert not started.filter(actual_start=None).exists()
    assert not started.filter(actual_start__gte=DEMO_AS_OF).exists()
    assert not Project.objects.filter(stage="completed").filter(Q(actual_end=None) | Q(actual_end__lte=F("actual_start"))).exists()
    assert not Project.objects.exclude(stage="completed").exclude(actual_end=None).exists()
    assert not Project.objects.filter(stage__in=["reserve", "ready", "cancelled"]).exclude(actual_start=None).exists()
    assert not Project.objects.filter(actual_end__gte=DEMO_AS_OF).exists()
    assert not ApprovalItem.objects.filter(approved_on__gte=DEMO_AS_OF).exists()
    assert StageMove.objects.order_by("-at").first().at.date() < DEMO_AS_OF
    assert Project.objects.aggregate(m=Min("created_at"))["m"].year >= 2019


def test_annual_plans_never_exceed_the_total(loaded):
    over = (Project.objects.annotate(planned=Sum("annual_plans__amount_yuan"))
            .filter(planned__gt=F("total_investment_yuan")))
    assert not over.exists()
    assert not Project.objects.filter(stage="ready", annual_plans=None).exists()


def test_related_rows_were_written(loaded):
    assert ApprovalItem.objects.count() > 15_000
    assert not ApprovalItem.objects.filter(department=None).exists()
    assert StageMove.objects.count() > 5_000
    assert not StageMove.objects.filter(actor=None).exists()
    assert Project.departments.through.objects.count() >= DEMO_PROJECTS
    assert Project.objects.filter(in_statistics=True).count() > 2_500
    assert Project.objects.filter(green_channel=True).exclude(green_channel_reason="").exists()


def test_users_have_the_right_roles(loaded, facts):
    users = {u.username: u for u in User.objects.select_related("org")}
    assert users["fgw"].roles == ["city_admin"] and users["fgw"].org.code == "fgw"
    assert users["leader"].roles == ["leader"] and users["leader"].org.code == "city"
    assert users["dcs"].roles == ["supervision"] and users["dcs"].org.code == "dcs"
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert users[admin].roles == [admin] and users[admin].org.code in ("fgw", "city")
    for code in facts.department_codes:
        if code not in ("fgw", "dcs"):
            assert users[code].roles == ["department"] and users[code].org.code == code
    for unit in facts.units:
        assert users[unit.code].roles == ["unit"] and users[unit.code].org.code == unit.code
        assert users[unit.code].reporting_unit is not None
    assert set(users) == {x.username for x in demo_logins(facts)}
    assert not User.objects.filter(username__in=["admin", "root"]).exists()
    assert not User.objects.filter(Q(is_superuser=True) | Q(is_staff=True)).exists()
    assert all(u.full_name for u in users.values())


@pytest.mark.parametrize("username", ["fgw", "leader", "auditor", "dcs", "gxj", "tjj", "jinshui", "hangkonggang"])
def test_demo_users_can_log_in(loaded, username):
    assert Client().login(username=username, password=DEMO_PASSWORD)


def test_a_wrong_password_is_refused(loaded):
    assert not Client().login(username="fgw", password="wrong")


def test_each_project_has_a_create_audit_entry_and_the_batch_one(loaded):
    creates = AuditEntry.objects.filter(action="create", object_type="projects.project")
    assert creates.count() == DEMO_PROJECTS
    assert set(creates.values_list("object_id", flat=True)) == {str(pk) for pk in Project.objects.values_list("pk", flat=True)}
    assert creates.filter(source="cli", reason="演示数据").count() == DEMO_PROJECTS
    batch = AuditEntry.objects.get(action="import", object_type="demo")
    assert batch.after["projects"] == DEMO_PROJECTS
    assert batch.after["approval_items"] == ApprovalItem.objects.count()
    assert AuditEntry.objects.filter(action="create", object_type="orgs.user").count() == User.objects.count()
    assert creates.values("request_id").distinct().count() == 1


def test_running_again_without_reset_changes_nothing(loaded, module_db):
    before = (Project.objects.count(), User.objects.count(), Org.objects.count(), AuditEntry.objects.count(),
              ApprovalItem.objects.count(), StageMove.objects.count())
    output = module_db()
    after = (Project.objects.count(), User.objects.count(), Org.objects.count(), AuditEntry.objects.count(),
             ApprovalItem.objects.count(), StageMove.objects.count())
    assert "已加载" in output and "未做任何修改" in output
    assert after == before
