"""Writing the change log.

Plain changes of audited models record themselves (:mod:`tuijin.audit.recording`); services add only
the reason (``with audit.reason("…")``) and, for a domain step, the action's name
(``with audit.action("stage")``). :func:`record` is for events that are not a row change: log-ins,
exports, refusals, dry runs, an import's batch summary.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models

from .chain import seal_on_commit
from .context import action, current_context, reason

__all__ = ["action", "build_entry", "coalesced", "object_type_of", "reason", "record", "record_file", "record_many",
           "snapshot"]
from .models import AuditEntry


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of an object's concrete field values (FKs as ids)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        data[f.name] = _json_value(getattr(obj, f.attname))
    return data


@contextmanager
def coalesced() -> Iterator[None]:
    """One entry per row for a change made of several writes (:func:`tuijin.audit.recording.coalesced`)."""
    from .recording import coalesced as _coalesced

    with _coalesced():
        yield


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def build_entry(*, action: str, obj: models.Model | None = None, object_type: str = "", object_id: str = "",
                object_repr: str = "", before: dict | None = None, after: dict | None = None,
                reason: str = "") -> AuditEntry:
    ctx = current_context()
    actor = ctx.resolve_actor()
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    return AuditEntry(
        request_id=ctx.request_id,
        actor=actor,
        actor_name=getattr(actor, "username", "") or ("system" if ctx.source in {"cli", "job", "system"} else ""),
        source=ctx.source,
        ip=ctx.ip,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
        reason=reason or ctx.reason,
    )


def record(**kwargs: Any) -> AuditEntry | None:
    """Append one entry. An update with no change is skipped."""
    before, after = kwargs.get("before"), kwargs.get("after")
    if kwargs.get("action") == "update" and before is not None and before == after:
        return None
    entry = build_entry(**kwargs)
    entry.save()
    seal_on_commit()
    return entry


def record_many(entries: list[AuditEntry]) -> None:
    """Bulk-append entries built with ``build_entry`` (imports, demo, bulk changes)."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    seal_on_commit(len(entries))


def record_file(*, action: str, object_type: str, file_name: str, fileobj: Any, rows: int,
                extra: dict[str, Any] | None = None) -> AuditEntry | None:
    """An export or import as a security event: file name, SHA-256 of the bytes, row count.

    ``fileobj`` is read from the start and left at the start.
    """
    import hashlib

    digest = hashlib.sha256()
    fileobj.seek(0)
    for block in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(block)
    fileobj.seek(0)
    return record(action=action, object_type=object_type, object_repr=file_name[:255],
                  after={"file": file_name, "sha256": digest.hexdigest(), "rows": rows, **(extra or {})})
