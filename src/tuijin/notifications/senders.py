"""Senders: how a notification leaves the platform besides the in-app inbox.

``settings.TUIJIN_NOTIFICATION_SENDERS`` lists sender classes by dotted path (default: e-mail only).
A sender has a ``name`` and ``send(notification) -> bool`` (True when it delivered); a WeCom (企业微信)
or SMS sender is one more class and one more line in that setting::

    TUIJIN_NOTIFICATION_SENDERS = ["tuijin.notifications.senders.EmailSender", "myorg.wecom.WeComSender"]

E-mail goes out only when SMTP is configured (``EMAIL_HOST`` from the environment) and the recipient
has an address.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
DEFAULT_SENDERS = ("tuijin.notifications.senders.EmailSender",)


class Sender(Protocol):
    name: str

    def send(self, notification) -> bool: ...


class EmailSender:
    name = "email"

    def configured(self) -> bool:
        return bool(settings.EMAIL_HOST) or settings.EMAIL_BACKEND != \
            "django.core.mail.backends.smtp.EmailBackend"

    def send(self, notification) -> bool:
        address = getattr(notification.recipient, "email", "")
        if not address or not self.configured():
            return False
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{notification.link}"
        send_mail(f"【推进】{notification.title}", body, None, [address], fail_silently=False)
        return True


def configured_senders() -> list[Sender]:
    paths = getattr(settings, "TUIJIN_NOTIFICATION_SENDERS", DEFAULT_SENDERS)
    return [import_string(path)() for path in paths]
