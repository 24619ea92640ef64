"""Statistics tell the apps above through a signal (DESIGN §9): stats never imports assessment."""

from __future__ import annotations

import pytest

from tuijin.stats.signals import statistics_imported

from .conftest import month_rows, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(heard_on):
    return heard_on(statistics_imported)


def test_an_import_that_stores_figures_announces_each_month(tjj, xlsx, heard):
    result = run_import(tjj, xlsx(month_rows()))
    assert result.ok and result.batch
    assert [(call["year"], call["month"], call["batch"]) for call in heard] == [(2022, 6, result.batch)]


def test_a_dry_run_or_an_unchanged_file_announces_nothing(tjj, xlsx, heard):
    assert run_import(tjj, xlsx(month_rows()), dry_run=True).ok
    assert heard == []
    assert run_import(tjj, xlsx(month_rows())).ok
    assert run_import(tjj, xlsx(month_rows())).ok  # the same figures again
    assert len(heard) == 1


def test_the_escalations_are_recorded_by_assessments_receiver(tjj, xlsx):
    """Without assessment's receiver an import records no escalation: they come through the signal."""
    from tuijin.assessment import receivers
    from tuijin.assessment.models import Escalation

    assert statistics_imported.disconnect(dispatch_uid="assessment.escalations_after_import")
    try:
        assert run_import(tjj, xlsx(month_rows())).ok
        assert not Escalation.objects.exists()
    finally:
        receivers.connect()
    assert run_import(tjj, xlsx(month_rows(growth=9.0))).ok
    assert Escalation.objects.filter(year=2022, month=6).count() == 1
