"""Project services: validation, stage moves, optimistic locking and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from tuijin.audit.context import AuditContextMissing, audit_context
from tuijin.audit.models import AuditEntry
from tuijin.plan import plan_for
from tuijin.projects import services
from tuijin.projects.models import ApprovalItem, ApprovalStatus, Project, StageMove
from tuijin.toolkit.errors import NotFound, PermissionRefused, StageMoveRefused, StaleEdit, ValidationFailed

pytestmark = pytest.mark.django_db


def valid_data(**overrides):
    body = "91410105MA44B0AA1"
    data = {
        "name": "金水区智能传感器产业园项目",
        "unit": "jinshui",
        "category": "industrial",
        "field": "advanced_manufacturing",
        "total_investment": "120000",
        "project_code": "2022-410105-35-03-000777",
        "owner_uscc": body + uscc.calc_check_digit(body),
        "annual_plans": {2022: "30000"},
        "tags": ["city_key"],
        "departments": ["gxj"],
    }
    data.update(overrides)
    return data


def create(user, **overrides):
    with audit_context(source="web", actor=user):
        return services.project_create(actor=user, data=valid_data(**overrides))


def test_a_unit_user_creates_a_project_in_its_unit_and_it_is_audited(users):
    project = create(users["jinshui"])
    assert project.stage == "reserve" and project.unit.code == "jinshui"
    assert project.total_investment_yuan == 120000 * 10_000
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(project.pk))
    assert entry.action == "create" and entry.actor == users["jinshui"] and entry.source == "web"
    assert entry.after["tags"] == ["city_key"] and entry.after["annual_plans"] == {"2022": 300_000_000}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"project_code": "2022-410105-35-3-000777"}, "project_code", "格式"),
        ({"owner_uscc": "91410105MA44B0AA1X"}, "owner_uscc", "校验位"),
        ({"total_investment": "-5"}, "total_investment", "负数"),
        ({"total_investment": "900000000"}, "total_investment", "合理范围"),
        ({"total_investment": "abc"}, "total_investment", "数字"),
        ({"planned_start": "2022-05-01", "planned_end": "2022-04-01"}, "planned_end", "早于"),
        ({"unit": "atlantis"}, "unit", "未知的报送单位"),
        ({"category": "mining"}, "category", "无效的取值"),
        ({"tags": ["vip"]}, "tags", "未知的标签"),
        ({"annual_plans": {2022: "200000"}}, "annual_plans", "不能超过总投资"),
        ({"planned_start": "2022-13-01"}, "planned_start", "YYYY-MM-DD"),
        ({"name": ""}, "name", "必填"),
        ({"green_channel": True}, "green_channel_reason", "理由"),
    ],
)
def test_bad_input_is_refused_naming_the_field(users, overrides, field, words):
    with pytest.raises(ValidationFailed) as caught:
        create(users["fgw"], **overrides)
    assert field in caught.value.errors, caught.value.errors
    assert any(words in m for m in caught.value.errors[field])
    assert not Project.objects.exists()


def test_every_problem_is_reported_at_once(users):
    with pytest.raises(ValidationFailed) as caught:
        create(users["fgw"], project_code="bad", owner_uscc="123", total_investment="-1")
    assert {"project_code", "owner_uscc", "total_investment"} <= set(caught.value.errors)


def test_a_duplicate_project_code_is_refused_even_across_units(users):
    create(users["jinshui"])
    with pytest.raises(ValidationFailed) as caught:
        create(users["fgw"], unit="zhongyuan", name="另一个项目")
    assert "已被其他项目使用" in caught.value.errors["project_code"][0]


def test_a_unit_user_cannot_create_for_another_unit(users):
    with pytest.raises(ValidationFailed) as caught:
        create(users["jinshui"], unit="zhongyuan")
    assert "本单位" in caught.value.errors["unit"][0]


def test_read_only_roles_cannot_create(users):
    for name in ("leader", "gxj", "dcs", "auditor"):
        with pytest.raises(PermissionRefused):
            create(users[name])


def test_a_stale_edit_is_refused_and_nothing_is_lost(users):
    project = create(users["jinshui"])
    with audit_context(source="web", actor=users["fgw"]):
        services.project_update(actor=users["fgw"], project_id=project.pk, version=1, data={"leader": "王志强（副市长）"})
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(StaleEdit) as caught:
        services.project_update(actor=users["jinshui"], project_id=project.pk, version=1, data={"leader": "李"})
    assert caught.value.status_code == 409
    assert caught.value.extra["current"]["leader"] == "王志强（副市长）"
    project.refresh_from_db()
    assert project.leader == "王志强（副市长）" and project.version == 2


def test_an_update_records_before_and_after(users):
    project = create(users["jinshui"])
    with audit_context(source="api", actor=users["jinshui"]):
        services.project_update(actor=users["jinshui"], project_id=project.pk, version=1,
                                data={"total_investment": "130000", "tags": ["city_key", "whitelist"]})
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before["total_investment_yuan"] == 1_200_000_000
    assert entry.after["total_investment_yuan"] == 1_300_000_000
    assert entry.after["tags"] == ["city_key", "whitelist"] and entry.source == "api"


def test_out_of_scope_edits_are_not_found_and_read_only_is_refused(users, make_project):
    project = make_project("zhongyuan")
    with audit_context(source="web", actor=users["jinshui"]), pytest.raises(NotFound):
        services.project_update(actor=users["jinshui"], project_id=project.pk, version=1, data={"leader": "x"})
    with audit_context(source="web", actor=users["leader"]), pytest.raises(PermissionRefused):
        services.project_update(actor=users["leader"], project_id=project.pk, version=1, data={"leader": "x"})


def advance(user, project, to, reason=""):
    with audit_context(source="web", actor=user):
        return services.project_advance_stage(actor=user, project_id=project.pk, to_stage=to, reason=reason)


def test_the_full_lifecycle_records_each_move(users, make_project):
    project = make_project("jinshui", stage="reserve", category="other")
    advance(users["jinshui"], project, "ready")
    with audit_context(source="system"):
        Project.objects.filter(pk=project.pk).update(actual_start=dt.date(2022, 3, 1))
        for item in plan_for(2022).rules.approval_catalogue.items_for("other"):
            ApprovalItem.objects.create(project=project, code=item.code, name=item.name, status=ApprovalStatus.DONE)
    advance(users["jinshui"], project, "construction", "集中开工")
    with audit_context(source="system"):
        Project.objects.filter(pk=project.pk).update(actual_end=dt.date(2022, 6, 30))
    project = advance(users["fgw"], project, "completed")
    moves = list(StageMove.objects.filter(project=project).values_list("from_stage", "to_stage"))
    assert moves == [("reserve", "ready"), ("ready", "construction"), ("construction", "completed")]
    assert AuditEntry.objects.filter(action="stage", object_id=str(project.pk)).count() == 3
    assert project.version == 4


def test_a_refused_move_names_the_unmet_check_and_changes_nothing(users, make_project):
    project = make_project("jinshui", stage="ready")
    with pytest.raises(StageMoveRefused) as caught:
        advance(users["jinshui"], project, "construction")
    message = caught.value.message
    assert "实际开工日期" in message and "施工许可" in message
    project.refresh_from_db()
    assert project.stage == "ready" and not StageMove.objects.exists()


def test_cancelling_needs_a_reason(users, make_project):
    project = make_project("jinshui")
    with pytest.raises(StageMoveRefused, match="原因"):
        advance(users["jinshui"], project, "cancelled")
    assert advance(users["jinshui"], project, "cancelled", "项目单位放弃").stage == "cancelled"


def test_writes_outside_an_audit_context_are_refused(make_project, orgs):
    project = make_project("jinshui")
    project.name = "无人认领的修改"
    with pytest.raises(AuditContextMissing):
        project.save()


def test_an_actual_start_after_the_business_date_is_refused(users, business_date):
    business_date("2022-07-15")
    with pytest.raises(ValidationFailed) as refused:
        create(users["jinshui"], actual_start="2022-08-01")
    assert "晚于今天" in refused.value.errors["actual_start"][0]
    business_date("2022-09-01")
    assert create(users["jinshui"], actual_start="2022-08-01").actual_start == dt.date(2022, 8, 1)


def test_a_stage_move_is_stamped_at_the_business_date(users, make_project, business_date):
    business_date("2022-07-15")
    project = make_project("jinshui", stage="reserve")
    advance(users["jinshui"], project, "ready")
    move = StageMove.objects.get(project=project)
    assert timezone.localtime(move.at).date() == dt.date(2022, 7, 15)
