"""Reading the audit log: auditors only; the newest entry's id (a version number of the data) any principal.

The audit app refers to users through ``settings.AUTH_USER_MODEL`` and never imports orgs (orgs
imports audit): whether a user reads the log is the user model's ``reads_audit_log``; the system
principal (``policy.SYSTEM``) answers the same attributes as a user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from tuijin.toolkit.errors import PermissionRefused, ValidationFailed

from .models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as User


def _as_datetime(value: str, *, end: bool) -> dt.datetime:
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed("时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM", field="until" if end else "since") from exc
    if not 1900 <= moment.year <= 2999:
        raise ValidationFailed("日期应在1900年至2999年之间", field="until" if end else "since")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def audit_entries(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, filtered by object, user and time."""
    if not getattr(user, "reads_audit_log", False):  # the access policy's read_audit_log
        raise PermissionRefused("只有审计管理员可以查看审计日志")
    filters = filters or {}
    qs = AuditEntry.objects.all()
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=str(filters["object_id"]))
    if filters.get("user"):
        qs = qs.filter(actor_name=filters["user"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("request_id"):
        qs = qs.filter(request_id=filters["request_id"])
    if filters.get("since"):
        qs = qs.filter(at__gte=_as_datetime(str(filters["since"]), end=False))
    if filters.get("until"):
        qs = qs.filter(at__lte=_as_datetime(str(filters["until"]), end=True))
    return qs.order_by("-at", "-id")


def newest_entry_id(*, user: Any) -> int:
    """The newest audit entry's id, 0 for none (one index look-up): a version number of the data, since
    every write to an audited model leaves an entry (the cockpit keeps computed figures under it, asking
    as ``policy.SYSTEM``). It tells nothing of an entry, so any signed-in principal may ask; no one else."""
    if user is None:
        raise TypeError("an access question needs a principal (a user or policy.SYSTEM), not None")
    if not getattr(user, "is_authenticated", False):
        raise PermissionRefused("请先登录")
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
