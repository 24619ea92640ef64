"""The domain models that used to be recorded by hand now record themselves (issue 14): a service
change writes exactly one entry per changed row, with the right action, reason, before and after;
a bulk update writes one per changed row; password changes stay events and no snapshot holds a hash."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.audit.recording import AuditedQuerySet
from tuijin.orgs import services as orgs_services
from tuijin.orgs.models import ApiToken, User
from tuijin.projects import services as project_services
from tuijin.projects.models import ApprovalItem, Project
from tuijin.stats import services as stats_services
from tuijin.stats.models import OfficialStat, UnitTarget
from tuijin.toolkit.money import wan_to_yuan

pytestmark = pytest.mark.django_db

def _after_mark() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _entries(object_type: str, mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type, id__gt=mark).order_by("id"))


@pytest.mark.parametrize("label", sorted(label for label in (m._meta.label_lower for m in apps.get_models()
                                                            if getattr(m, "audited", False))))
def test_every_audited_model_records_its_bulk_writes_or_refuses_them(label):
    model = apps.get_model(label)
    queryset = model._default_manager.all()
    if isinstance(queryset, AuditedQuerySet):
        return
    field = next(f.name for f in model._meta.concrete_fields if not f.primary_key)
    for write in (lambda: queryset.update(**{field: None}), lambda: queryset.bulk_update([], [field]),
                  lambda: queryset.delete()):
        with pytest.raises(TypeError, match="审计"):  # a plain queryset would write without an entry
            write()


# -- orgs ---------------------------------------------------------------------------------------------

def test_a_role_change_is_one_role_change_entry_without_the_password(users):
    target = users["jinshui"]
    mark = _after_mark()
    with audit_context(source="web", actor=users["secadmin"]):
        orgs_services.account_update(actor=users["secadmin"], user=target, roles=["unit"], full_name="金水区填报员")
        orgs_services.account_update(actor=users["secadmin"], user=target, roles=["unit"], is_active=False)
    first, second = _entries("orgs.user", mark)
    assert (first.action, first.object_id) == ("update", str(target.pk))
    assert (first.before["full_name"], first.after["full_name"]) == ("jinshui", "金水区填报员")
    assert (second.action, second.before["is_active"], second.after["is_active"]) == ("update", True, False)
    for entry in (first, second):
        assert "password" not in entry.before and "password" not in entry.after
        assert entry.actor == users["secadmin"]


def test_a_change_of_roles_is_named_role_change(users):
    target = users["gxj"]
    mark = _after_mark()
    with audit_context(source="web", actor=users["secadmin"]):
        orgs_services.account_update(actor=users["secadmin"], user=target, roles=["department", "leader"])
    [entry] = _entries("orgs.user", mark)
    assert entry.action == "role_change"
    assert (entry.before["roles"], entry.after["roles"]) == (["department"], ["department", "leader"])


def test_a_password_reset_is_its_event_alone_and_revokes_each_token_with_an_entry(users):
    target = users["jinshui"]
    with audit_context(source="system", reason="fixture"):
        tokens = [orgs_services.api_token_issue(user=target, name=f"t{i}")[0] for i in range(2)]
    mark = _after_mark()
    with audit_context(source="web", actor=users["secadmin"]):
        orgs_services.password_reset(actor=users["secadmin"], user=target)
    [event] = _entries("orgs.user", mark)
    assert (event.action, event.reason, event.before, event.after) == ("password_reset", "安全管理员重置密码", None,
                                                                       None)
    revoked = _entries("orgs.apitoken", mark)
    assert sorted(e.object_id for e in revoked) == sorted(str(t.pk) for t in tokens)
    for entry in revoked:
        assert entry.action == "update" and entry.reason == "安全管理员重置密码，吊销其令牌"
        assert entry.before["revoked_at"] is None and entry.after["revoked_at"] is not None
        assert "digest" not in entry.after and entry.after["user"] == "jinshui"
    target.refresh_from_db()
    assert target.must_change_password


def test_a_password_change_writes_the_event_and_no_row_entry(users):
    target = users["zhongyuan"]
    mark = _after_mark()
    with audit_context(source="web", actor=target):
        orgs_services.password_change(user=target, old_password="Tuijin@2022!", new_password="Zz9!another-Pass")
    assert [e.action for e in _entries("orgs.user", mark)] == ["password_change"]
    assert not AuditEntry.objects.filter(object_type="orgs.user", after__has_key="password").exists()


def test_a_token_revoked_writes_one_entry_with_the_reason(users):
    with audit_context(source="system", reason="fixture"):
        token, _raw = orgs_services.api_token_issue(user=users["fgw"], name="cli")
    [created] = AuditEntry.objects.filter(object_type="orgs.apitoken", object_id=str(token.pk))
    assert created.action == "create" and created.after["name"] == "cli" and created.after["revoked_at"] is None
    mark = _after_mark()
    with audit_context(source="api", actor=users["fgw"]):
        orgs_services.api_token_revoke(user=users["fgw"], token_id=token.pk)
        orgs_services.api_token_revoke(user=users["fgw"], token_id=token.pk)  # already revoked: nothing
    [entry] = _entries("orgs.apitoken", mark)
    assert (entry.action, entry.reason, entry.before["revoked_at"]) == ("update", "吊销令牌", None)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_a_bulk_update_of_users_writes_one_entry_per_changed_row(users):
    with audit_context(source="system", reason="fixture"):
        User.objects.filter(username="leader").update(is_active=False)
    mark = _after_mark()
    with audit_context(source="cli", reason="停用账户"):
        User.objects.filter(username__in=["leader", "dcs", "gxj"]).update(is_active=False)
    entries = _entries("orgs.user", mark)
    assert sorted(e.object_repr for e in entries) == ["dcs", "gxj"]  # leader was inactive already
    assert {(e.action, e.reason, e.before["is_active"], e.after["is_active"]) for e in entries} == {
        ("update", "停用账户", True, False)}


# -- projects -----------------------------------------------------------------------------------------

def test_a_project_change_with_its_tags_is_one_entry(users, make_project):
    project = make_project("jinshui", tags=("provincial_key",))
    mark = _after_mark()
    with audit_context(source="web", actor=users["fgw"]):
        project_services.project_update(actor=users["fgw"], project_id=project.pk, version=project.version,
                                        data={"name": "改过名的项目", "tags": ["city_key"]})
    [entry] = _entries("projects.project", mark)
    assert entry.action == "update" and entry.object_repr == "改过名的项目"
    assert (entry.before["name"], entry.after["name"]) == (project.name, "改过名的项目")
    assert (entry.before["tags"], entry.after["tags"]) == (["provincial_key"], ["city_key"])
    assert (entry.before["unit"], entry.after["version"]) == ("jinshui", project.version + 1)


def test_a_new_project_is_one_create_entry_with_its_relations(users):
    mark = _after_mark()
    with audit_context(source="web", actor=users["fgw"]):
        project = project_services.project_create(actor=users["fgw"], data={
            "name": "新建测试项目", "unit": "jinshui", "category": "industrial", "field": "advanced_manufacturing",
            "total_investment": "5000", "planned_start": "2022-09-01", "planned_end": "2024-12-31",
            "tags": ["city_key"], "annual_plans": {"2022": "800"}})
    [entry] = _entries("projects.project", mark)
    assert (entry.action, entry.object_id, entry.before) == ("create", str(project.pk), None)
    assert entry.after["tags"] == ["city_key"] and entry.after["annual_plans"] == {"2022": wan_to_yuan("800")}
    assert entry.after["total_investment_yuan"] == wan_to_yuan("5000") and entry.after["stage"] == "reserve"


def test_a_stage_move_is_one_stage_entry_with_the_reason(users, make_project):
    project = make_project("jinshui", stage="reserve")
    mark = _after_mark()
    with audit_context(source="web", actor=users["fgw"]):
        project_services.project_advance_stage(actor=users["fgw"], project_id=project.pk, to_stage="cancelled",
                                               reason="项目单位放弃建设")
    [entry] = _entries("projects.project", mark)
    assert (entry.action, entry.reason) == ("stage", "项目单位放弃建设")
    assert (entry.before["stage"], entry.after["stage"]) == ("reserve", "cancelled")
    [move] = _entries("projects.stagemove", mark)
    assert move.action == "create"


def test_an_approval_item_and_a_bulk_update_of_projects_record_each_changed_row(users, make_project):
    a, b, c = (make_project("jinshui") for _ in range(3))
    with audit_context(source="system", reason="fixture"):
        item = ApprovalItem.objects.create(project=a, code="land", name="用地预审")
    mark = _after_mark()
    with audit_context(source="web", actor=users["fgw"]):
        project_services.approval_item_set_status(actor=users["fgw"], item_id=item.pk, status="done",
                                                  approved_on=dt.date(2022, 7, 1))
    [entry] = _entries("projects.approvalitem", mark)
    assert (entry.action, entry.before["status"], entry.after["status"]) == ("update", "pending", "done")
    assert entry.after["approved_on"] == "2022-07-01"
    mark = _after_mark()
    with audit_context(source="cli", reason="纳统"):
        Project.objects.filter(pk__in=[a.pk, b.pk]).update(in_statistics=True)
        Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(in_statistics=True)  # only c changes
    entries = _entries("projects.project", mark)
    assert [e.object_id for e in entries] == [str(a.pk), str(b.pk), str(c.pk)]
    assert {(e.action, e.reason, e.before["in_statistics"], e.after["in_statistics"]) for e in entries} == {
        ("update", "纳统", False, True)}


# -- stats --------------------------------------------------------------------------------------------

def _figure(orgs, unit: str, ytd_wan: str, growth: str, month: int = 6) -> stats_services.Figure:
    org = orgs[unit]
    return stats_services.Figure(org_id=org.pk, org_code=org.code, org_name=org.display_name, indicator="fai",
                                 indicator_name="固定资产投资", year=2022, month=month,
                                 ytd_value_yuan=wan_to_yuan(ytd_wan), yoy_growth=Decimal(growth))


def test_official_figures_write_one_entry_per_new_or_changed_row_and_one_for_the_batch(orgs):
    with audit_context(source="cli", reason="统计导入"):
        first = stats_services.figures_save(figures=[_figure(orgs, "jinshui", "100", "5"),
                                                     _figure(orgs, "zhongyuan", "80", "4")], what="6月")
    created = AuditEntry.objects.filter(object_type="stats.officialstat", action="create")
    assert sorted(e.after["org"] for e in created) == ["jinshui", "zhongyuan"]
    assert all(e.request_id == created[0].request_id and e.reason == "统计导入" for e in created)
    row = OfficialStat.objects.get(org=orgs["jinshui"])
    mark = _after_mark()
    with audit_context(source="cli", reason="统计更正"):
        second = stats_services.figures_save(figures=[_figure(orgs, "jinshui", "120", "6.5"),
                                                      _figure(orgs, "zhongyuan", "80", "4")], what="6月更正")
    [entry] = _entries("stats.officialstat", mark)
    assert (entry.action, entry.object_id, entry.reason) == ("update", str(row.pk), "统计更正")
    assert entry.before == {"org": "jinshui", "indicator": "fai", "period": "2022-06",
                            "ytd_value_yuan": wan_to_yuan("100"), "yoy_growth": "5.00"}
    assert entry.after == {"org": "jinshui", "indicator": "fai", "period": "2022-06",
                           "ytd_value_yuan": wan_to_yuan("120"), "yoy_growth": "6.50"}
    assert "固定资产投资" in entry.object_repr and "2022-06" in entry.object_repr
    [batch] = _entries("stats.statsimport", mark)
    assert batch.action == "import" and batch.object_id == str(second.batch) != str(first.batch)
    assert (batch.after["created"], batch.after["updated"], batch.after["unchanged"]) == (0, 1, 1)


def test_a_unit_target_set_and_cleared_writes_one_entry_each_with_its_reason(users):
    from tuijin.stats.targets import unit_target_clear, unit_target_set

    with audit_context(source="web", actor=users["fgw"]):
        row = unit_target_set(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022, growth_target="9.5")
        unit_target_clear(actor=users["fgw"], unit="jinshui", indicator="fai", year=2022)
    created, deleted = AuditEntry.objects.filter(object_type="stats.unittarget").order_by("id")
    assert created.action == "create" and created.after["growth_target"] == "9.50"
    assert "增长目标" in created.reason and created.reason.startswith("调整")
    assert (deleted.action, deleted.object_id, deleted.after) == ("delete", str(row.pk), None)
    assert deleted.before["growth_target"] == "9.50" and deleted.reason.endswith("恢复为方案默认值")
    assert not UnitTarget.objects.exists()
