from __future__ import annotations

import datetime as dt

import pytest
from tests.problems.conftest import dept_user, raise_problem  # noqa: F401  (shared fixtures)

TODAY = dt.date(2022, 6, 1)


@pytest.fixture
def fake_sources(settings):
    """Install the fake source module (kinds "bond_talk", "stalled_deal", "missing_from_statistics",
    "overdue_approval", as the other apps will provide) through the discovery setting."""
    from . import fake_sources as module

    module.reset()
    settings.TUIJIN_SUPERVISION_SOURCE_MODULES = [module.__name__]
    return module
