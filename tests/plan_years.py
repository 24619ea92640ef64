"""A plans directory with two years (import the fixture into an app's conftest):
``plans/zhengzhou-2022.yaml`` as it is and a 2023 variant of it.

The 2023 file is the 2022 file with ``meta.id: zhengzhou-2023``, ``year: 2023``, ``issued: 2023-02-01``
the year-bound rules moved on a year (early starts, the budget year), and the changes a test asks for: ``two_year_plans({"ahead_margin_points: 10": "ahead_margin_points: 6"})``
replaces each text once in the 2023 file (the default changes the city's FAI growth target 10 → 12).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tuijin.plan import reset_plans

PLAN_2022 = Path(__file__).resolve().parents[1] / "plans" / "zhengzhou-2022.yaml"
FAI_2023 = {"fai_growth: {value: 10,": "fai_growth: {value: 12,"}


def variant_2023(text: str, changes: dict[str, str]) -> str:
    for old, new in {"id: zhengzhou-2022": "id: zhengzhou-2023", "  year: 2022\n": "  year: 2023\n",
                     "issued: 2022-04-01": "issued: 2023-02-01", "    from_year: 2023\n": "    from_year: 2024\n",
                     "    to_year: 2022\n": "    to_year: 2023\n", "    budget_year: 2022\n": "    budget_year: 2023\n",
                     **changes}.items():
        assert old in text, f"not in the 2022 plan: {old!r}"
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def two_year_plans(tmp_path):
    """Call with the 2023 file's changes; the plans directory then holds 2022 and 2023 until the test ends."""
    stack = []

    def make(changes: dict[str, str] | None = None) -> Path:
        directory = tmp_path / "plans"
        directory.mkdir(exist_ok=True)
        text = PLAN_2022.read_text(encoding="utf-8")
        (directory / "zhengzhou-2022.yaml").write_text(text, encoding="utf-8")
        (directory / "zhengzhou-2023.yaml").write_text(variant_2023(text, FAI_2023 if changes is None else changes),
                                                       encoding="utf-8")
        if not stack:
            settings = override_settings(TUIJIN_PLANS_DIR=directory)
            settings.enable()
            stack.append(settings)
        reset_plans()
        return directory

    yield make
    for settings in stack:
        settings.disable()
    reset_plans()
