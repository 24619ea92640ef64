"""What the management commands share about users: the account a command acts as (``--as USER``)."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import User
from .policy import SYSTEM, SystemPrincipal


def acting_user(username: str) -> User | None:
    """``--as USER`` (None: the system, which reads city-wide)."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).select_related("org").first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用", returncode=1)
    return user


def acting_principal(username: str) -> User | SystemPrincipal:
    """The principal of a command: ``--as USER``, else :data:`~tuijin.orgs.policy.SYSTEM` (city-wide)."""
    return acting_user(username) or SYSTEM
