"""What the audit tests of several apps share: an API client for a user, and the entries written since a mark."""

from __future__ import annotations

from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def mark() -> int:
    """The newest entry's id now (0 when there is none)."""
    last = AuditEntry.objects.order_by("-id").first()
    return last.id if last else 0


def since(start: int) -> list[AuditEntry]:
    """The entries written after ``mark()`` gave ``start``, oldest first."""
    return list(AuditEntry.objects.filter(id__gt=start).order_by("id"))
