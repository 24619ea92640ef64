"""Signals monthly reporting sends; the apps above subscribe in their ``apps.py`` (DESIGN §9).

Each is sent after the write's transaction commits (:func:`tuijin.toolkit.signals.send_on_commit`), with
the unit's submission record (``unit_period``: its unit, period, status and reasons) and the ``actor``.
Notifications will subscribe (tell the city a unit submitted, tell the unit its month was returned or
approved); reporting itself needs none of them (approval refreshes the unit's summary in its own
transaction).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A unit submitted its month as a whole (二(七)20): ``unit_period``, ``actor``.
period_submitted = Signal()
#: The city returned a submitted month to the unit: ``unit_period`` (its ``return_reason``), ``actor``,
#: ``project_ids`` (the projects returned, each with its reason on its row; empty: the whole month).
period_returned = Signal()
#: The city approved a submitted month, which locks its rows: ``unit_period``, ``actor``.
period_approved = Signal()
#: A year was opened (``tuijin year-open``, issue 15): ``year``, ``plan`` (the year's plan), ``reporting_year``
#: (the record), ``actor``. Apps whose work is per year start it from the new plan here.
year_opened = Signal()
