"""Guard and recorder: a write to an audited model outside any audit context is an error, and a write
inside one records itself (:mod:`tuijin.audit.recording`)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from tuijin.toolkit.signals import access_denied

from . import recording
from .context import current_context

BOOKKEEPING_FIELDS = frozenset({"last_login", "password", "password_changed_at", "must_change_password"})


def _bookkeeping(kwargs) -> bool:
    # Log-in bookkeeping (last_login, a rehashed password) and the password flows (a reset or a change sets
    # the password and its must-change flag) are recorded as security events instead (login,
    # password_reset, password_change), never as row changes: the hash is in no snapshot.
    update_fields = kwargs.get("update_fields")
    return bool(update_fields) and set(update_fields) <= BOOKKEEPING_FIELDS


def record_save_before(sender, instance, **kwargs):
    """The guard, then the row as it was (the entry is written by :func:`record_save`)."""
    if _bookkeeping(kwargs):
        instance._audit_skip = True
        return
    instance._audit_skip = False
    current_context()
    recording.before_save(sender, instance, **kwargs)


def record_save(sender, instance, **kwargs):
    if not getattr(instance, "_audit_skip", False):
        recording.after_save(sender, instance, **kwargs)


def record_delete_before(sender, instance, **kwargs):
    current_context()
    recording.before_delete(sender, instance, **kwargs)


def _security_event(action: str, request, username: str = "", reason: str = "") -> None:
    from .chain import seal_on_commit
    from .context import has_context
    from .models import AuditEntry
    from .services import build_entry

    if not has_context():
        return
    entry = build_entry(action=action, object_type="orgs.user", object_repr=username[:150], reason=reason)
    if not entry.actor_name:
        entry.actor_name = username[:150]
    AuditEntry.objects.bulk_create([entry])
    seal_on_commit()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    _security_event("login", request, user.username)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    # The absolute session lifetime counts from here (tuijin.orgs.middleware.SessionLimitsMiddleware).
    import time

    if request is not None and hasattr(request, "session"):
        request.session["tj_login_at"] = time.time()


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    _security_event("logout", request, getattr(user, "username", "") or "")


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    _security_event("login_failed", request, str(credentials.get("username", ""))[:150], reason="用户名或密码错误")


def connect_audit_guards() -> None:
    """Connect the guard to audited models only, so other models' bulk deletes stay cheap."""
    from django.apps import apps

    connect_security_signals()
    access_denied.connect(record_access_denied, dispatch_uid="audit-access-denied")
    for model in apps.get_models():
        if not getattr(model, "audited", False):
            continue
        label = model._meta.label
        pre_save.connect(record_save_before, sender=model, dispatch_uid=f"audit-guard-save-{label}")
        post_save.connect(record_save, sender=model, dispatch_uid=f"audit-record-save-{label}")
        pre_delete.connect(record_delete_before, sender=model, dispatch_uid=f"audit-guard-delete-{label}")
        post_delete.connect(recording.after_delete, sender=model, dispatch_uid=f"audit-record-delete-{label}")


def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    _security_event("lockout", request, str(username or "")[:150],
                    reason="连续登录失败，账户或地址已被锁定")


def connect_security_signals() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(audit_lockout, dispatch_uid="tuijin-audit-lockout")


def record_access_denied(sender, request, message: str, **kwargs) -> None:
    """An access refused by the application (a toolkit signal) is a security event (等保 安全审计)."""
    from .context import has_context
    from .services import record

    if has_context():
        record(action="denied", object_type="", object_repr=request.path[:255],
               reason=f"{request.method} {request.path[:200]}：{message}"[:1000])
