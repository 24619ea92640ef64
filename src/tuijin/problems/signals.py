"""Signals the problem ledger sends; the apps above subscribe in their ``apps.py`` (DESIGN §9).

Sent after the write's transaction commits (:func:`tuijin.toolkit.signals.send_on_commit`).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A problem was routed to a department (二(五)14): when raised (by the plan's routing of its category)
#: and when the city administrator reroutes it. Arguments: ``problem`` (its ``department`` and
#: ``deadline``), ``actor``, ``rerouted`` (False for the first routing).
problem_routed = Signal()
