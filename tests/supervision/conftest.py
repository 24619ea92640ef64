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


def write_two_year_plans(folder):
    """``plans/zhengzhou-2022.yaml`` and a 2023 variant of it (its own id, year and issue date; a shorter
    follow-up cycle, 10 days, and default deadline, 20 days; deals stall after 45 days) in ``folder``."""
    from pathlib import Path

    from django.conf import settings

    source = (Path(settings.PROJECT_DIR) / "plans" / "zhengzhou-2022.yaml").read_text(encoding="utf-8")
    variant = (source.replace("  id: zhengzhou-2022\n  year: 2022\n", "  id: zhengzhou-2023\n  year: 2023\n", 1)
               .replace("  issued: 2022-04-01\n", "  issued: 2023-02-01\n", 1)
               .replace("    from_year: 2023\n    to_year: 2022\n", "    from_year: 2024\n    to_year: 2023\n", 1)
               .replace("  follow_up_cycle_days: 30\n", "  follow_up_cycle_days: 10\n", 1)
               .replace("  default_deadline_days: 30\n", "  default_deadline_days: 20\n", 1)
               .replace("    stalled_after_days: 30\n", "    stalled_after_days: 45\n", 1))
    assert variant.count("zhengzhou-2023") and "follow_up_cycle_days: 10" in variant
    (folder / "zhengzhou-2022.yaml").write_text(source, encoding="utf-8")
    (folder / "zhengzhou-2023.yaml").write_text(variant, encoding="utf-8")
    return folder


@pytest.fixture
def two_year_plans(tmp_path, settings):
    """The plans directory holds the 2022 plan and a 2023 variant (see :func:`write_two_year_plans`)."""
    from tuijin.plan import reset_plans

    folder = tmp_path / "plans"
    folder.mkdir()
    settings.TUIJIN_PLANS_DIR = write_two_year_plans(folder)
    reset_plans()
    yield folder
    reset_plans()
