"""Audit storage (等保 8.1.4.3 安全审计; ASVS V7): events, the hash chain, the database's refusal, purge."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tuijin.audit import services as audit
from tuijin.audit.chain import purge_before, seal, verify
from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditChainLink, AuditEntry, AuditLogIsAppendOnly
from tuijin.toolkit.logging import SafeFormatter

pytestmark = pytest.mark.django_db


def _entries(n: int) -> None:
    with audit_context(source="system", reason="test"):
        audit.record_many([audit.build_entry(action="other", object_type="test", object_id=str(i),
                                             after={"i": i, "text": f"第{i}条"}) for i in range(n)])


def _raw(sql: str, params: list) -> None:
    """Tamper as an attacker with database access would (bypassing the ORM guard)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser skipping triggers
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_an_untouched_log_verifies(users):
    _entries(50)
    call_command("audit-verify".replace("-", "_"))
    assert verify().ok and AuditChainLink.objects.count() == AuditEntry.objects.count()


def test_audit_verify_detects_a_changed_row(users):
    _entries(20)
    seal()
    victim = AuditEntry.objects.order_by("id")[5]
    _raw("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["nothing happened", victim.pk])
    with pytest.raises(CommandError, match="校验失败"):
        call_command("audit_verify")
    assert any(str(victim.pk) in p and "修改" in p for p in verify().problems)


def test_audit_verify_detects_a_deleted_row(users):
    _entries(20)
    seal()
    victim = AuditEntry.objects.order_by("id")[7]
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    result = verify()
    assert not result.ok and any(str(victim.pk) in p and "删除" in p for p in result.problems)


def test_sealing_is_bulk_not_per_row(users, django_assert_max_num_queries):
    _entries(3000)
    with django_assert_max_num_queries(30):  # 3,000 rows: a handful of bulk statements
        assert seal() >= 3000


def test_the_orm_refuses_update_and_delete(users):
    _entries(1)
    entry = AuditEntry.objects.first()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(reason="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers")
def test_postgresql_refuses_update_and_delete_even_for_the_owner(users):
    _entries(1)
    for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and grants")
def test_the_application_role_lacks_update_and_delete_on_the_audit_log(users):
    from tuijin.audit.management.commands.db_grants import grant_statements

    _entries(1)
    role = "tuijin_app_test"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for sql in grant_statements(role):
            cursor.execute(sql)
        cursor.execute(f"SET ROLE {role}")
        try:
            cursor.execute("SELECT count(*) FROM audit_auditentry")
            for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry",
                        "TRUNCATE audit_auditentry", "UPDATE audit_auditchainlink SET digest = 'x'"):
                with pytest.raises(Exception, match="permission denied"), transaction.atomic():
                    with connection.cursor() as inner:
                        inner.execute(sql)
            cursor.execute("SELECT count(*) FROM projects_project")  # business tables stay usable
        finally:
            cursor.execute("RESET ROLE")


def test_purge_refuses_rows_younger_than_180_days(users):
    _entries(3)
    with audit_context(source="cli"), pytest.raises(Exception, match="180"):
        purge_before(cutoff=timezone.now() - dt.timedelta(days=179))
    with pytest.raises(CommandError, match="180"):
        call_command("audit_purge", "--before", (timezone.localdate() - dt.timedelta(days=30)).isoformat())
    assert AuditEntry.objects.filter(object_type="test").count() == 3


def test_purge_removes_old_rows_and_the_chain_still_verifies(users):
    _entries(5)
    seal()
    old = list(AuditEntry.objects.order_by("id")[:2].values_list("id", flat=True))  # the oldest rows
    _raw(f"UPDATE audit_auditentry SET at = %s WHERE id IN ({old[0]}, {old[1]})",
         [timezone.now() - dt.timedelta(days=400)])
    # The backdated rows no longer hash to their links, so rebuild the test's chain from scratch.
    _raw("DELETE FROM audit_auditchainlink", [])
    seal()
    with audit_context(source="cli"):
        assert purge_before(cutoff=timezone.now() - dt.timedelta(days=365)) == 2
    assert not AuditEntry.objects.filter(id__in=old).exists()
    assert verify().ok
    assert AuditEntry.objects.filter(action="purge").exists()


def test_security_events_reach_the_audit_log(client, users, client_for):
    client.post(reverse("login"), {"username": "jinshui", "password": "bad-password-1"})
    client.post(reverse("login"), {"username": "jinshui", "password": "Tuijin@2022!"})
    client.post(reverse("logout"))
    client_for("jinshui").get(reverse("audit:list"))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"login_failed", "login", "logout", "denied"} <= actions


def test_log_lines_cannot_be_forged():
    record = logging.LogRecord("tuijin", logging.WARNING, __file__, 1, "user %s failed", ("bob\n2026 INFO admin ok",),
                               None)
    line = SafeFormatter("%(message)s").format(record)
    assert "\n" not in line and "bob\\n2026" in line


def test_failed_log_in_names_are_escaped_in_the_log(client, users, caplog):
    with caplog.at_level(logging.WARNING):
        client.post(reverse("login"), {"username": "x\nFAKE LINE", "password": "whatever-123"})
    formatter = SafeFormatter("%(message)s")
    for record in caplog.records:
        assert "\n" not in formatter.format(record)


def test_exports_are_audited_with_file_name_sha256_and_rows(client_for, make_project):
    import hashlib

    make_project("jinshui")
    make_project("jinshui")
    response = client_for("jinshui").get(reverse("projects:export"))
    content = b"".join(response.streaming_content)
    entry = AuditEntry.objects.filter(action="export", object_type="projects.project").latest("id")
    assert entry.actor_name == "jinshui" and entry.after["rows"] == 2
    assert entry.after["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry.after["file"].endswith(".xlsx")


def test_a_large_batch_is_chained_partly_inline_and_the_rest_by_the_worker(users):
    from tuijin.audit.chain import INLINE_SEAL_LIMIT, _seal_quietly

    _entries(INLINE_SEAL_LIMIT * 2 + 7)
    _seal_quietly()  # what runs on commit; the worker (immediate in tests) takes what is left
    assert AuditChainLink.objects.count() == AuditEntry.objects.count()
    assert verify().ok
