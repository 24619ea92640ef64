"""What assessment does when the apps below tell it something (their signals, DESIGN §9).

Connected in :meth:`tuijin.assessment.apps.AssessmentConfig.ready`.
"""

from __future__ import annotations

from typing import Any

from tuijin.stats.signals import statistics_imported

from . import services


def escalations_after_import(sender: Any, *, year: int, month: int, **kwargs: Any) -> None:
    """New official figures decide who is last (三(三)): record the month's escalations for the
    supervision office at once, instead of waiting for someone to press the button. As the system
    (the importer's permission was checked by the import), in the import's audit context."""
    services.escalations_record(actor=None, year=year, month=month)


def connect() -> None:
    statistics_imported.connect(escalations_after_import, dispatch_uid="assessment.escalations_after_import")
