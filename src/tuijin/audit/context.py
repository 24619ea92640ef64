"""Who is acting: one audit context per request, command or job.

Middleware opens it for every request (with a request id); CLI commands and
background jobs open ``audit_context(actor=…, source="cli", reason=…)``. A write
to an audited model outside any context is an error, not a silent gap.
"""

from __future__ import annotations

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
