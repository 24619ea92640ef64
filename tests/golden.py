"""Golden cases kept as YAML beside the tests (OpenFisca style), shared by every rule's golden tests.

Each file is a list of ``{name, input, output}``, read with the plan's strict loader (duplicate keys
are errors, decimals stay exact); the real plan file is loaded once.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tuijin.plan.loader import PlanLoader, load_plan
from tuijin.plan.schema import Plan

PLAN_FILE = Path(__file__).resolve().parents[1] / "plans" / "zhengzhou-2022.yaml"


@cache
def real_plan() -> Plan:
    return load_plan(PLAN_FILE)


def golden_cases(folder: Path, name: str) -> list[Any]:
    """The cases of ``folder/<name>.yaml`` as pytest params named after each case."""
    data = yaml.load((folder / f"{name}.yaml").read_text(encoding="utf-8"), Loader=PlanLoader)
    assert isinstance(data, list) and data, f"{name}.yaml: expected a non-empty list of cases"
    names = [case["name"] for case in data]
    assert len(names) == len(set(names)), f"{name}.yaml: case names must be unique"
    for case in data:
        assert set(case) == {"name", "input", "output"}, f"{name}.yaml: {case['name']}: keys"
    return [pytest.param(case["input"], case["output"], id=case["name"]) for case in data]


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def decimals(mapping: dict[str, Any]) -> dict[str, Decimal | None]:
    return {key: dec(value) for key, value in mapping.items()}
