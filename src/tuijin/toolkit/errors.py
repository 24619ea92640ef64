"""Errors of the application, raised by services and turned into messages at the doors.

Each carries a Chinese message for the user and, where it applies, the field or
row it is about. The web shows it inline, the API returns 400/404/409 with it,
the CLI prints it and exits non-zero.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refused action. ``message`` is shown to the user as is."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class ValidationFailed(ApplicationError):
    """Input that does not meet a rule; ``errors`` maps field → messages."""


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"


class PermissionRefused(ApplicationError):
    status_code = 403
    code = "permission_denied"


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"


class StaleEdit(Conflict):
    """Optimistic lock: the record changed since the user loaded it."""

    code = "stale"


class StageMoveRefused(Conflict):
    code = "stage_refused"
