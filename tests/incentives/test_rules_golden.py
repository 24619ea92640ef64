"""Golden cases for the incentive rules (二(六)16–18), kept as YAML beside the tests.

Each file under ``golden/`` is a list of ``{name, input, output}``: ``input`` is what the calculator
takes (the CLI flags in snake_case, 万元), ``output`` the pinned JSON plus ``reasons_include``
(texts that must appear among the Chinese reasons). They run against the real plan file, so the
plan's numbers (thresholds, caps, rates) are pinned too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tuijin.incentives import quotes
from tuijin.plan import plan_for

GOLDEN = Path(__file__).parent / "golden"


def cases(name: str) -> list[Any]:
    data = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list) and data
    names = [case["name"] for case in data]
    assert len(names) == len(set(names)), f"{name}.yaml: case names must be unique"
    return [pytest.param(name, case["input"], case["output"], id=f"{name}: {case['name']}") for case in data]


ALL = cases("interest_subsidy") + cases("equipment_award") + cases("reits_subsidy")


@pytest.mark.parametrize(("rule", "given", "expected"), ALL)
def test_golden_case(rule, given, expected):
    result = quotes.quote(rule, given, plan=plan_for(2022)).as_dict()  # the golden cases are the 2022 plan's
    wanted = dict(expected)
    include = wanted.pop("reasons_include")
    got = {k: result[k] for k in wanted}
    assert got == wanted
    for text in include:
        assert any(text in reason for reason in result["reasons"]), (text, result["reasons"])
    if not include:
        assert all("超过" not in r for r in result["reasons"]), result["reasons"]


def test_every_rule_has_boundary_cases():
    names = " ".join(p.id for p in ALL)
    for needle in ("exactly 10亿 and 5亿", "19.99亿", "exactly 2000万", "expansion", "not yet producing",
                   "not in the national reserve", "exactly at the 300万 cap", "exactly at the cap"):
        assert needle in names
