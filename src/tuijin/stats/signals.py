"""Signals the statistics app sends; the apps above subscribe in their ``apps.py`` (DESIGN §9).

Stats sits below assessment: it tells, it never calls up.
"""

from __future__ import annotations

from django.dispatch import Signal

#: New or changed official figures of a month were stored by an import (sent after the import's
#: transaction, once per month the file held, in order; not for a dry run nor for a file that
#: changed nothing). Arguments: ``year``, ``month`` and ``batch`` (the import batch id). Sent inside
#: the import's audit context, so what the receivers write is audited under the same request id;
#: a receiver's error reaches the importer.
statistics_imported = Signal()
