"""The hash chain over the audit log: sealing new entries, verifying, and the guarded purge.

等保 8.1.4.3 安全审计 (c): audit records are protected against deletion, modification and
overwriting. The entries stay append-only (ORM guard, PostgreSQL trigger, grant script); the
chain makes any change or deletion that bypasses them visible to ``tuijin audit-verify``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tuijin.toolkit import clock
from tuijin.toolkit.errors import ValidationFailed

from .models import AuditChainLink, AuditEntry

GENESIS = "0" * 64
FIELDS = ("id", "at", "request_id", "actor_id", "actor_name", "source", "ip", "action", "object_type",
          "object_id", "object_repr", "before", "after", "reason")


def canonical(row: dict[str, Any]) -> bytes:
    """The entry as canonical JSON (sorted keys, UTC time, ids as text)."""
    values = dict(row)
    at = values["at"]
    if isinstance(at, dt.datetime):
        values["at"] = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    values["request_id"] = str(values["request_id"])
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def link_digest(prev: str, row: dict[str, Any]) -> str:
    return hashlib.sha256(prev.encode() + canonical(row)).hexdigest()


def _lock_chain() -> None:
    """Serialise sealers (SQLite's IMMEDIATE transactions already do)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x7475696A])  # "tuij"


def seal(batch: int = 5000, *, max_rows: int | None = None) -> int:
    """Chain every committed entry that has no link yet, in id order; returns how many were sealed.

    ``max_rows`` stops after about that many (the caller hands the rest to the background worker).
    """
    sealed = 0
    if max_rows is not None:
        batch = min(batch, max_rows)
    while max_rows is None or sealed < max_rows:
        with transaction.atomic():
            _lock_chain()
            last = AuditChainLink.objects.order_by("-seq").values_list("seq", "digest").first()
            seq, prev = last if last else (0, GENESIS)
            floor = (AuditChainLink.objects.order_by("-seq").values_list("entry_id", flat=True).first() or 0)
            # Entries committed late (a long import) may have ids below the last sealed one.
            linked = AuditChainLink.objects.filter(entry_id__gt=floor - 100_000).values_list("entry_id", flat=True)
            rows = list(AuditEntry.objects.filter(id__gt=floor - 100_000).exclude(id__in=linked)
                        .order_by("id").values(*FIELDS)[:batch])
            if not rows:
                return sealed
            links = []
            for row in rows:
                seq += 1
                digest = link_digest(prev, row)
                links.append(AuditChainLink(seq=seq, entry_id=row["id"], prev_digest=prev, digest=digest))
                prev = digest
            AuditChainLink.objects.bulk_create(links, batch_size=1000)
            sealed += len(links)
    return sealed


#: Batches larger than this are sealed by the background worker, so that an import's request does not
#: wait for thousands of hashes (the periodic task and ``tuijin audit-verify`` seal whatever is left).
INLINE_SEAL_LIMIT = 500


def seal_on_commit(count: int = 1) -> None:
    """Seal after the current transaction commits (or now, outside one); once per transaction."""
    if connection.in_atomic_block and any(item[1] is _seal_quietly for item in connection.run_on_commit):
        return
    transaction.on_commit(_seal_quietly)


def _seal_in_background() -> None:
    try:
        from .tasks import seal_audit_chain

        seal_audit_chain()
    except Exception:  # the queue is down: the periodic task or audit-verify will seal
        import logging

        logging.getLogger("tuijin.audit").warning("audit chain sealing left to the periodic task")


def _seal_quietly() -> None:
    try:
        if seal(max_rows=INLINE_SEAL_LIMIT) >= INLINE_SEAL_LIMIT:
            _seal_in_background()  # a bulk import: the worker chains the rest
    except Exception:  # sealing is retried by the next writer and by audit-verify
        import logging

        logging.getLogger("tuijin.audit").warning("audit chain sealing deferred", exc_info=True)


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, chunk: int = 5000) -> Verification:
    """Walk the chain: every link's entry must exist and hash to the link; links must follow on."""
    result = Verification()
    prev: str | None = None
    last_seq = 0
    expected_seq: int | None = None
    while True:
        links = list(AuditChainLink.objects.filter(seq__gt=last_seq).order_by("seq")[:chunk])
        if not links:
            break
        entries = {r["id"]: r for r in AuditEntry.objects.filter(id__in=[x.entry_id for x in links]).values(*FIELDS)}
        for link in links:
            if expected_seq is not None and link.seq != expected_seq:
                result.problems.append(f"哈希链第{expected_seq}至{link.seq - 1}环缺失")
            if prev is not None and link.prev_digest != prev:
                result.problems.append(f"哈希链第{link.seq}环与前一环不相连")
            row = entries.get(link.entry_id)
            if row is None:
                result.problems.append(f"审计条目 {link.entry_id} 已被删除（哈希链第{link.seq}环）")
            elif link_digest(link.prev_digest, row) != link.digest:
                result.problems.append(f"审计条目 {link.entry_id} 已被修改（哈希链第{link.seq}环）")
            prev, expected_seq, last_seq = link.digest, link.seq + 1, link.seq
            result.checked += 1
    result.head = prev or GENESIS
    return result


def purge_before(*, cutoff: dt.datetime) -> int:
    """Delete entries (and their links) older than ``cutoff``; refuses anything inside the retention."""
    from . import services

    limit = clock.real_now() - dt.timedelta(days=settings.TUIJIN_AUDIT_RETENTION_DAYS)
    if cutoff > limit:
        raise ValidationFailed(f"审计日志至少保存{settings.TUIJIN_AUDIT_RETENTION_DAYS}天（网络安全法第二十一条），"
                               f"只能清理 {timezone.localtime(limit):%Y-%m-%d} 之前的记录", field="before")
    with transaction.atomic():
        ids = list(AuditEntry.objects.filter(at__lt=cutoff).values_list("id", flat=True))
        if ids:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL tuijin.audit_purge = 'on'")
                for start in range(0, len(ids), 1000):
                    part = ids[start:start + 1000]
                    marks = ",".join(["%s"] * len(part))
                    cursor.execute(f"DELETE FROM audit_auditchainlink WHERE entry_id IN ({marks})", part)
                    cursor.execute(f"DELETE FROM audit_auditentry WHERE id IN ({marks})", part)
        services.record(action="purge", object_type="audit.auditentry",
                        reason=f"清理 {cutoff:%Y-%m-%d} 之前的审计日志 {len(ids)} 条")
    return len(ids)
