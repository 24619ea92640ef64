"""Who is acting: one audit context per request, command or job.

Middleware opens it for every request (with a request id); CLI commands and
background jobs open ``audit_context(actor=…, source="cli", reason=…)``. A write
to an audited model outside any context is an error, not a silent gap.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


class AuditContextMissing(RuntimeError):
    """An audited model was written with no actor context."""


@dataclass
class AuditContext:
    source: str  # web / api / cli / job / system
    actor: Any = None
    request: Any = None
    ip: str = ""
    reason: str = ""
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    #: A domain name for the automatic entries of plain changes: {"update": "stage"} (see :func:`action`).
    actions: dict[str, str] = field(default_factory=dict)

    def resolve_actor(self) -> Any:
        """The acting user; for requests read lazily, after authentication ran."""
        if self.actor is not None:
            return self.actor
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
        return None


_current: ContextVar[AuditContext | None] = ContextVar("tuijin_audit_context", default=None)


def current_context() -> AuditContext:
    ctx = _current.get()
    if ctx is None:
        raise AuditContextMissing(
            "audited write outside audit_context(): open one in the command or job that writes"
        )
    return ctx


def has_context() -> bool:
    return _current.get() is not None


def _child(**changes: Any) -> Iterator[AuditContext]:
    """The current context with some attributes replaced (same actor, source, request id)."""
    ctx = dataclasses.replace(current_context(), **changes)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def reason(text: str) -> Iterator[AuditContext]:
    """The reason the automatic entries written inside carry (``with audit.reason("退回：…")``); an empty
    text keeps the surrounding reason."""
    if not text:
        yield current_context()
        return
    yield from _child(reason=text)


@contextmanager
def action(name: str, *, replaces: str = "update") -> Iterator[AuditContext]:
    """Name the plain changes inside with a domain action (``with audit.action("stage")``).

    Only entries of the action ``replaces`` (an update, by default) are renamed: the rows created
    alongside (a stage move, a history row) stay ``create``.
    """
    yield from _child(actions={**current_context().actions, replaces: name})


@contextmanager
def audit_context(*, source: str = "cli", actor: Any = None, request: Any = None, ip: str = "",
                  reason: str = "", request_id: uuid.UUID | None = None) -> Iterator[AuditContext]:
    ctx = AuditContext(source=source, actor=actor, request=request, ip=ip, reason=reason,
                       request_id=request_id or uuid.uuid4())
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
