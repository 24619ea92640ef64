from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
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


#: The 2023 variant supervision and promotion test against: a shorter follow-up cycle (10 days) and
#: default deadline (20 days); deals stall after 45 days.
SUPERVISION_2023 = {"  follow_up_cycle_days: 30\n": "  follow_up_cycle_days: 10\n",
                    "  default_deadline_days: 30\n": "  default_deadline_days: 20\n",
                    "    stalled_after_days: 30\n": "    stalled_after_days: 45\n"}


@pytest.fixture
def two_year_plans(tmp_path):
    """The plans directory holds the 2022 plan and its 2023 variant (:data:`SUPERVISION_2023`), through the
    shared ``plan_years`` helper; gives the directory."""
    from plan_years import PLAN_2022, variant_2023
    from tuijin.plan import reset_plans

    folder = tmp_path / "plans"
    folder.mkdir()
    text = PLAN_2022.read_text(encoding="utf-8")
    (folder / "zhengzhou-2022.yaml").write_text(text, encoding="utf-8")
    (folder / "zhengzhou-2023.yaml").write_text(variant_2023(text, SUPERVISION_2023), encoding="utf-8")
    with override_settings(TUIJIN_PLANS_DIR=folder):
        reset_plans()
        yield folder
    reset_plans()
