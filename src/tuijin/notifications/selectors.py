"""Reads of the inbox: a user's own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from tuijin.orgs.models import User

from .models import Notification


def inbox(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.visible_to(user)
    return qs.unread() if unread_only else qs


def unread_count(*, user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()
