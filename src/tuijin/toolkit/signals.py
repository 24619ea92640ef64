"""Signals the toolkit sends; the apps above subscribe in their ``apps.py``."""

from __future__ import annotations

from django.dispatch import Signal

#: An access refused by the application (a 403 page or API answer): ``request``, ``message``.
#: The audit app records it as a security event (等保 安全审计).
access_denied = Signal()
