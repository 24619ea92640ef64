"""Backups of the whole database (等保 8.1.4.9 数据备份恢复): a checksummed, optionally encrypted file.

File layout: the line ``TUIJIN-BACKUP 1``, one line of JSON (engine, time, row counts per table,
SHA-256 of the stored body and of the plain dump, whether encrypted), then the body. The body is an
SQLite database made with SQLite's online backup API, or a ``pg_dump --format=custom`` archive;
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) when ``TUIJIN_BACKUP_KEY`` is set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed

MAGIC = b"TUIJIN-BACKUP 1\n"


class BackupRefused(ValidationFailed):
    """A backup file that is corrupted, tampered with, or cannot be decrypted."""


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore must give back)."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy})
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def _fernet(key: str | None):
    from cryptography.fernet import Fernet

    key = key if key is not None else settings.TUIJIN_BACKUP_KEY
    if not key:
        return None
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise BackupRefused("TUIJIN_BACKUP_KEY 无效：应为 Fernet 密钥（32字节的 URL 安全 Base64）") from exc


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return args, env


def _dump() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "backup.sqlite3"
            dst = sqlite3.connect(target)
            try:
                connection.connection.backup(dst)  # the online backup API: consistent while others write
            finally:
                dst.close()
            return target.read_bytes()
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args],
                                capture_output=True, env=env, timeout=3600, check=False)
        if result.returncode != 0:
            raise ValidationFailed(f"pg_dump 失败：{result.stderr.decode(errors='replace')[-500:]}")
        return result.stdout
    raise ValidationFailed(f"不支持的数据库：{connection.vendor}")


@dataclass
class BackupResult:
    path: str
    engine: str
    size: int
    sha256: str
    encrypted: bool
    counts: dict[str, int]


def backup_to(path: Path, *, key: str | None = None) -> BackupResult:
    """Write a backup of the whole database to ``path`` (atomically: a temporary file, then renamed)."""
    counts = table_counts()
    plain = _dump()
    fernet = _fernet(key)
    body = fernet.encrypt(plain) if fernet else plain
    header = {
        "engine": connection.vendor,
        "created": clock.real_now().astimezone(dt.UTC).isoformat(),
        "counts": counts,
        "plain_sha256": hashlib.sha256(plain).hexdigest(),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "encrypted": fernet is not None,
        "size": len(body),
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        out.write(MAGIC)
        out.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
        out.write(body)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return BackupResult(str(path), header["engine"], len(body), header["body_sha256"], header["encrypted"], counts)


def read_backup(path: Path, *, key: str | None = None) -> tuple[dict[str, Any], bytes]:
    """The header and the plain dump of a backup file, refusing anything corrupted or tampered with."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupRefused(f"无法读取备份文件：{exc.strerror}") from exc
    if not data.startswith(MAGIC):
        raise BackupRefused("不是 tuijin 备份文件（文件头不符）")
    rest = data[len(MAGIC):]
    line, _, body = rest.partition(b"\n")
    try:
        header = json.loads(line)
        expected_body, expected_plain = header["body_sha256"], header["plain_sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupRefused("备份文件头已损坏") from exc
    if len(body) != header.get("size") or hashlib.sha256(body).hexdigest() != expected_body:
        raise BackupRefused("备份文件已损坏：校验和不符")
    if header.get("encrypted"):
        from cryptography.fernet import InvalidToken

        fernet = _fernet(key)
        if fernet is None:
            raise BackupRefused("备份文件已加密：请设置 TUIJIN_BACKUP_KEY")
        try:
            plain = fernet.decrypt(body)
        except InvalidToken as exc:
            raise BackupRefused("无法解密备份文件：密钥不符或文件被篡改") from exc
    else:
        plain = body
    if hashlib.sha256(plain).hexdigest() != expected_plain:
        raise BackupRefused("备份文件已损坏：内容校验和不符")
    if header.get("engine") != connection.vendor:
        raise BackupRefused(f"备份来自 {header.get('engine')} 数据库，当前为 {connection.vendor}")
    return header, plain


def restore_from(path: Path, *, key: str | None = None) -> dict[str, Any]:
    """Replace the whole database with a backup's content; returns the header (with its row counts)."""
    header, plain = read_backup(path, key=key)
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            source_path = Path(tmp) / "restore.sqlite3"
            source_path.write_bytes(plain)
            source = sqlite3.connect(source_path)
            try:
                if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupRefused("备份中的 SQLite 数据库未通过完整性检查")
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
    else:
        connection.close()
        args, env = _pg_env()
        with tempfile.NamedTemporaryFile(suffix=".dump") as dump:
            dump.write(plain)
            dump.flush()
            result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                     "--single-transaction", "--exit-on-error", *args, dump.name],
                                    capture_output=True, env=env, timeout=3600, check=False)
        if result.returncode != 0:
            raise BackupRefused(f"pg_restore 失败：{result.stderr.decode(errors='replace')[-500:]}")
    return header
