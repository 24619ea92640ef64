"""Signals the toolkit sends (the apps above subscribe in their ``apps.py``), and how every app sends its
own after a commit (:func:`send_on_commit`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

#: An access refused by the application (a 403 page or API answer): ``request``, ``message``.
#: The audit app records it as a security event (等保 安全审计).
access_denied = Signal()


def send_on_commit(signal: Signal, *, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` when the current transaction commits (at once outside a transaction): receivers
    see the committed data, and a write that is rolled back tells nobody. A receiver's error reaches
    the caller, after the commit."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
