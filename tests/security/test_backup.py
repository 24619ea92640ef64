"""Backup and restore (等保 8.1.4.9 数据备份恢复): round trip on both databases, corrupted files refused."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tuijin.audit.chain import seal, verify
from tuijin.backup.services import table_counts


def wipe_database() -> None:
    """Everything gone: every table dropped."""
    connection.close()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                          "AND name NOT LIKE 'sqlite_%'").fetchall():
                cursor.execute(f'DROP TABLE "{name}"')
    assert "projects_project" not in connection.introspection.table_names()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_every_row_and_a_verified_audit_chain(users, make_project, tmp_path,
                                                                              settings):
    settings.TUIJIN_BACKUP_KEY = Fernet.generate_key().decode()
    for unit in ("jinshui", "zhongyuan", "erqi"):
        make_project(unit)
    seal()
    path = tmp_path / "tuijin.backup"
    out = io.StringIO()
    call_command("backup", "-o", str(path), "--json", stdout=out)
    made = json.loads(out.getvalue())
    assert made["encrypted"] and path.read_bytes().startswith(b"TUIJIN-BACKUP 1\n")
    body = path.read_bytes().split(b"\n", 2)[2]
    assert b"projects_project" not in body and b"CREATE TABLE" not in body  # encrypted
    seal()
    before = table_counts()

    wipe_database()
    out = io.StringIO()
    call_command("restore", str(path), "--yes", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["restored"] and result["audit_chain_ok"]
    after = table_counts()
    # The backup's own audit entry came after the dump; the restore's entry takes its place.
    assert after == before
    assert after["projects_project"] == 3 and after["orgs_user"] == len(users)
    seal()
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_corrupted_or_tampered_backup_is_refused(users, tmp_path, settings):
    settings.TUIJIN_BACKUP_KEY = ""
    path = tmp_path / "b.backup"
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    broken = tmp_path / "broken.backup"
    broken.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(broken), "--yes", stdout=io.StringIO())
    truncated = tmp_path / "short.backup"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore", str(truncated), "--yes", stdout=io.StringIO())
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    with pytest.raises(CommandError, match="不是 tuijin 备份文件"):
        call_command("restore", str(junk), "--yes", stdout=io.StringIO())
    assert "projects_project" in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_backup_needs_its_key(users, tmp_path, settings):
    settings.TUIJIN_BACKUP_KEY = Fernet.generate_key().decode()
    path = tmp_path / "enc.backup"
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    settings.TUIJIN_BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="无法解密"):
        call_command("restore", str(path), "--yes", stdout=io.StringIO())
    settings.TUIJIN_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="TUIJIN_BACKUP_KEY"):
        call_command("restore", str(path), "--check", stdout=io.StringIO())
