"""Signals supervision sends; the apps above subscribe in their ``apps.py`` (DESIGN §9).

Sent after the write's transaction commits (:func:`tuijin.toolkit.signals.send_on_commit`).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A supervision task was assigned to an organisation (三(三)): by hand (督查室交办), by a weekly
#: meeting's decision or from a supervision source. Arguments: ``task`` (its ``org``, ``assignee`` and
#: ``deadline``), ``actor`` (None: the system, e.g. the nightly sync).
task_assigned = Signal()
