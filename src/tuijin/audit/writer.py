"""The one bulk writer of audit entries (DESIGN §8): ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Every entry of a row change comes through here: the automatic entries of audited models
(:mod:`tuijin.audit.recording`) and the monthly progress import, which writes one entry per changed
row and may not be slower for it. The who/when/from-where head comes from the current audit context;
each row brings ``(action, object_type, object_id, object_repr, before, after, reason)``. The chain
is sealed after the transaction commits (:func:`tuijin.audit.chain.seal_on_commit`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection

from tuijin.toolkit import clock

from .chain import seal_on_commit
from .context import AuditContext, current_context
from .models import AuditEntry

COLUMNS = ("at", "request_id", "actor_id", "actor_name", "source", "ip", "action", "object_type",
           "object_id", "object_repr", "before", "after", "reason")
_HEAD = 6  # at … ip come from the context

_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class AuditRow(NamedTuple):
    """One entry's own part. ``before``/``after``: JSON-safe dicts (or None), or JSON text already."""

    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any
    reason: str = ""


def _as_json(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else _json(value)


def actor_name(ctx: AuditContext, actor: Any) -> str:
    return getattr(actor, "username", "") or ("system" if ctx.source in {"cli", "job", "system"} else "")


class Head(NamedTuple):
    """The context's part of every entry, prepared for the database."""

    at: Any
    request_id: Any
    actor_id: int | None
    actor_name: str
    source: str
    ip: str
    reason: str

    @classmethod
    def of(cls, ctx: AuditContext | None = None, *, at: dt.datetime | None = None) -> Head:
        ctx = ctx or current_context()  # refuses outside a context
        actor = ctx.resolve_actor()
        at = at or clock.real_now()
        if connection.vendor != "postgresql":
            at = AuditEntry._meta.get_field("at").get_db_prep_save(at, connection)
            request_id = AuditEntry._meta.get_field("request_id").get_db_prep_save(ctx.request_id, connection)
        else:
            request_id = ctx.request_id
        return cls(at, request_id, actor.pk if actor is not None else None, actor_name(ctx, actor), ctx.source,
                   ctx.ip, ctx.reason)


def write(rows: Sequence[AuditRow | tuple], *, at: dt.datetime | None = None, head: Head | None = None) -> int:
    """Append the entries in bulk, inside the caller's transaction; returns how many."""
    if not rows:
        return 0
    head = head or Head.of(at=at)
    first = tuple(head[:_HEAD])
    default_reason = head.reason
    qn = connection.ops.quote_name
    table = qn(AuditEntry._meta.db_table)
    cols = ", ".join(qn(c) for c in COLUMNS)
    values = ((*first, action, object_type, str(object_id), (object_repr or "")[:255], _as_json(before),
               _as_json(after), reason or default_reason)
              for action, object_type, object_id, object_repr, before, after, reason in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({placeholders})", list(values))
    seal_on_commit(len(rows))
    return len(rows)


def write_select(select: str, params: Sequence[Any], *, head: Head) -> int:
    """Append entries the database builds itself: ``select`` yields (action, object_type, object_id,
    object_repr, before, after) per row, after the head's placeholders (``SELECT {head}, …``).

    For the import's created rows, whose entries are one ``INSERT … SELECT`` from the rows just written.
    """
    qn = connection.ops.quote_name
    table = qn(AuditEntry._meta.db_table)
    cols = ", ".join(qn(c) for c in COLUMNS)
    if connection.vendor == "postgresql":
        marks = "%s::timestamptz, %s::uuid, %s::bigint, %s::text, %s::text, %s::text"
    else:
        marks = "%s, %s, %s, %s, %s, %s"
    sql = f"INSERT INTO {table} ({cols}) " + select.replace("{head}", marks)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*head[:_HEAD], *params])
        count = cursor.rowcount
    seal_on_commit(count)
    return count
