"""Roles, 三员分立, log-in/out, the audit log page, and the URL walk that finds unscoped views."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tuijin.audit.models import AuditEntry, AuditLogIsAppendOnly
from tuijin.orgs.roles import role_conflicts

pytestmark = pytest.mark.django_db

#: Views anyone may open without logging in. Every other view must refuse an anonymous user.
PUBLIC = {"login", "logout", "api-schema", "api-docs"}


def test_administrator_roles_are_mutually_exclusive():
    assert role_conflicts(["sysadmin", "auditor"]) is not None
    assert role_conflicts(["secadmin", "city_admin"]) is not None
    assert role_conflicts(["auditor"]) is None
    assert role_conflicts(["city_admin", "supervision"]) is None
    assert "未知角色" in role_conflicts(["root"])


def test_the_plan_gives_sixteen_reporting_units_with_their_slugs(orgs):
    from tuijin.orgs.models import Org

    slugs = set(Org.objects.reporting_units().values_list("code", flat=True))
    assert len(slugs) == 16
    assert {"zhongyuan", "jinshui", "dengfeng", "zhengdong", "hangkonggang"} <= slugs
    assert Org.objects.get(code="guancheng").name == "管城回族区"
    assert Org.objects.get(code="fgw").kind == "department"


def test_logging_in_and_out_is_audited(client, users):
    assert client.post(reverse("login"), {"username": "jinshui", "password": "wrong"}).status_code == 200
    response = client.post(reverse("login"), {"username": "jinshui", "password": "Tuijin@2022!"})
    assert response.status_code == 302
    client.post(reverse("logout"))
    actions = list(AuditEntry.objects.filter(action__in=["login", "logout", "login_failed"]).order_by("id")
                   .values_list("action", "actor_name"))
    assert actions == [("login_failed", "jinshui"), ("login", "jinshui"), ("logout", "jinshui")]


def test_a_disabled_account_cannot_log_in(client, users, system_context):
    users["jinshui"].is_active = False
    users["jinshui"].save()
    response = client.post(reverse("login"), {"username": "jinshui", "password": "Tuijin@2022!"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_sessions_expire_after_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_only_auditors_read_the_audit_page(client_for):
    assert client_for("auditor").get(reverse("audit:list")).status_code == 200
    for name in ("fgw", "jinshui", "sysadmin", "secadmin", "leader"):
        assert client_for(name).get(reverse("audit:list")).status_code == 403


def test_the_audit_page_filters_by_object_and_user(client_for, users, make_project):
    from tuijin.audit.context import audit_context
    from tuijin.projects import services

    project = make_project("jinshui")
    with audit_context(source="web", actor=users["jinshui"]):
        services.project_update(actor=users["jinshui"], project_id=project.pk, version=1, data={"leader": "甲"})
    page = client_for("auditor").get(reverse("audit:list"), {"object_type": "projects.project",
                                                             "object_id": project.pk, "user": "jinshui"})
    entries = list(page.context["page"].object_list)
    assert len(entries) == 1 and entries[0].after["leader"] == "甲"


def test_the_audit_log_is_append_only(users):
    entry = AuditEntry.objects.first() or None
    from tuijin.audit.context import audit_context
    from tuijin.audit.services import record

    with audit_context(source="system"):
        entry = record(action="other", object_type="test", object_repr="x")
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_view_refuses_anonymous_users_unless_listed_public(client, orgs):
    """A new view that forgets log-in (and so scoping) fails here."""
    import re

    opened = []
    for route, pattern in _walk(get_resolver()):
        if pattern.name in PUBLIC or route.startswith("static"):
            continue
        if "format" in route:
            continue  # DRF's format-suffix twins of routes already walked
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "1", path).replace("^", "").replace("$", "").replace("\\", "")
        response = client.get(path)
        if response.status_code not in (302, 401, 403, 404, 405):
            opened.append((path, response.status_code))
        elif response.status_code == 302 and "/login/" not in response["Location"]:
            opened.append((path, response.status_code))
    assert opened == []
