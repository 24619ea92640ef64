"""三员分立 (等保 8.1.4.2 访问控制, 8.1.10 集中管控; ASVS V4): the three administrators, no escalation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import User

pytestmark = pytest.mark.django_db


def test_the_system_administrator_cannot_read_the_audit_log(client_for, api):
    assert client_for("sysadmin").get(reverse("audit:list")).status_code == 403
    assert api("sysadmin").get("/api/v1/audit/").status_code == 403
    assert AuditEntry.objects.filter(action="denied", actor_name="sysadmin").count() == 2


def test_the_auditor_only_reads_the_audit_log(api, users):
    auditor = api("auditor")
    assert auditor.get("/api/v1/audit/").status_code == 200
    assert auditor.post("/api/v1/audit/", {}, format="json").status_code == 405
    entry = AuditEntry.objects.first()
    assert auditor.patch(f"/api/v1/audit/{entry.pk}/", {"reason": "x"}, format="json").status_code == 405
    assert auditor.delete(f"/api/v1/audit/{entry.pk}/").status_code == 405
    assert auditor.get("/api/v1/users/").status_code == 403
    assert auditor.get("/api/v1/projects/").json()["count"] == 0


def test_nobody_else_manages_accounts(api, client_for, users):
    for name in ("fgw", "sysadmin", "auditor", "jinshui"):
        assert api(name).post("/api/v1/users/", {"username": "x1", "roles": ["unit"], "org": "jinshui"},
                              format="json").status_code == 403
        assert client_for(name).get(reverse("orgs:account-new")).status_code == 403
    assert not User.objects.filter(username="x1").exists()


def test_the_security_administrator_opens_an_account_with_a_one_time_password(api, users):
    response = api("secadmin").post("/api/v1/users/", {"username": "jinshui2", "roles": ["unit"], "org": "jinshui"},
                                    format="json")
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="jinshui2")
    assert user.must_change_password and user.check_password(body["password"])
    entry = AuditEntry.objects.get(action="create", object_type="orgs.user", object_id=str(user.pk))
    assert entry.actor_name == "secadmin" and body["password"] not in str(entry.after)


@pytest.mark.parametrize(("target", "body"), [
    ("secadmin", {"roles": ["auditor"]}),          # makes itself auditor
    ("secadmin", {"roles": ["city_admin"]}),       # changes its own roles
    ("jinshui", {"roles": ["sysadmin"]}),          # grants an administrator role
    ("jinshui", {"roles": ["secadmin"]}),
    ("auditor", {"is_active": False}),             # touches another administrator
    ("sysadmin", {"roles": ["city_admin"]}),
])
def test_privilege_escalation_by_api_is_refused_and_audited(api, users, target, body):
    before = list(User.objects.get(username=target).roles)
    response = api("secadmin").patch(f"/api/v1/users/{users[target].pk}/", body, format="json")
    assert response.status_code == 403
    user = User.objects.get(username=target)
    assert user.roles == before and user.is_active
    assert AuditEntry.objects.filter(action="denied", object_id=str(user.pk), actor_name="secadmin").exists()


def test_creating_an_administrator_by_api_is_refused(api, users):
    for role in ("sysadmin", "secadmin", "auditor"):
        response = api("secadmin").post("/api/v1/users/", {"username": f"new{role}", "roles": [role],
                                                           "org": "fgw"}, format="json")
        assert response.status_code == 403
    assert not User.objects.filter(username__startswith="new").exists()


def test_privilege_escalation_by_page_is_refused(client_for, users):
    secadmin = client_for("secadmin")
    own = secadmin.post(reverse("orgs:account-edit", args=[users["secadmin"].pk]),
                        {"roles": ["auditor"], "org": "fgw", "is_active": "on"})
    assert own.status_code == 403
    grant = secadmin.post(reverse("orgs:account-edit", args=[users["jinshui"].pk]),
                          {"roles": ["sysadmin"], "org": "jinshui", "is_active": "on"})
    assert grant.status_code == 403
    new_admin = secadmin.post(reverse("orgs:account-new"), {"username": "evil", "roles": ["auditor"], "org": "fgw"})
    assert new_admin.status_code == 403
    assert User.objects.get(pk=users["secadmin"].pk).roles == ["secadmin"]
    assert User.objects.get(pk=users["jinshui"].pk).roles == ["unit"]
    assert not User.objects.filter(username="evil").exists()


def test_a_unit_security_administrator_stays_inside_its_unit(api, users, orgs, system_context):
    local = User(username="jinshui-sec", org=orgs["jinshui"], roles=["secadmin"])
    local.set_password("Tuijin@2022!")
    local.save()
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(local)
    wider_role = client.patch(f"/api/v1/users/{users['jinshui'].pk}/", {"roles": ["city_admin"]}, format="json")
    other_unit = client.patch(f"/api/v1/users/{users['zhongyuan'].pk}/", {"is_active": False}, format="json")
    move_out = client.post("/api/v1/users/", {"username": "zy2", "roles": ["unit"], "org": "zhongyuan"},
                           format="json")
    assert (wider_role.status_code, other_unit.status_code, move_out.status_code) == (403, 403, 403)
    ok = client.post("/api/v1/users/", {"username": "js3", "roles": ["unit"], "org": "jinshui"}, format="json")
    assert ok.status_code == 201


def test_role_changes_are_audited_with_before_and_after(api, users):
    response = api("secadmin").patch(f"/api/v1/users/{users['gxj'].pk}/", {"roles": ["leader"], "org": "city"},
                                     format="json")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="role_change", object_id=str(users["gxj"].pk))
    assert entry.before["roles"] == ["department"] and entry.after["roles"] == ["leader"]
    assert entry.actor_name == "secadmin"


def test_the_page_shows_a_reset_password_once(client_for, users):
    response = client_for("secadmin").post(reverse("orgs:account-reset-password", args=[users["jinshui"].pk]))
    assert response.status_code == 200
    password = response.context["password"]
    assert User.objects.get(pk=users["jinshui"].pk).check_password(password)
    assert password not in client_for("secadmin").get(reverse("orgs:account-edit",
                                                              args=[users["jinshui"].pk])).content.decode()


def test_production_settings_have_no_superuser_door():
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_auditor_exports_the_log_and_the_export_is_audited(client_for):
    import io

    from openpyxl import load_workbook

    client_for("jinshui").get(reverse("audit:list"))  # something to export: a denied access
    response = client_for("auditor").get(reverse("audit:export") + "?action=denied")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) >= 2 and all(r[5] == "denied" for r in rows[1:])
    entry = AuditEntry.objects.filter(action="export", object_type="audit.auditentry").latest("id")
    assert entry.actor_name == "auditor" and entry.after["rows"] == len(rows) - 1 and len(entry.after["sha256"]) == 64
    for name in ("sysadmin", "secadmin", "fgw"):
        assert client_for(name).get(reverse("audit:export")).status_code == 403
