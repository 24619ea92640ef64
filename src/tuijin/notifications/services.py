"""Writes of the inbox: marking notifications read (one's own only)."""

from __future__ import annotations

from tuijin.orgs.models import User
from tuijin.toolkit import clock
from tuijin.toolkit.errors import NotFound

from .models import Notification


def notification_read(*, actor: User, notification_id: int) -> Notification:
    notification = Notification.objects.visible_to(actor).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("消息不存在")
    if notification.read_at is None:
        notification.read_at = clock.real_now()  # bookkeeping: when the user read it
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.visible_to(actor).unread().update(read_at=clock.real_now())
