"""Golden cases of the overdue ladder from YAML, and properties of the supervision overdue rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tuijin.plan import plan_for
from tuijin.problems import rules
from tuijin.supervision import rules as supervision_rules

CASES = yaml.safe_load((Path(__file__).parent / "golden_ladder.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['deadline']}→{c['today']}" for c in CASES])
def test_the_ladder_golden_cases(case):
    ladder = [(s.overdue_working_days, s.level) for s in plan_for(2022).problems.escalation]
    assert rules.escalation_level(deadline=case["deadline"], today=case["today"], ladder=ladder) == case["level"]


@given(st.sampled_from(["open", "closed"]), st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2022, 12, 31)),
       st.integers(min_value=-90, max_value=90), st.integers(min_value=0, max_value=3),
       st.integers(min_value=1, max_value=60))
def test_supervision_overdue_state_is_consistent(status, deadline, offset, extensions, cycle):
    today = deadline + dt.timedelta(days=offset)
    state = supervision_rules.overdue_state(status=status, deadline=deadline, today=today, extensions=extensions,
                                            cycle_days=cycle)
    if status == "closed" or today <= deadline:
        assert state == ""
    else:
        assert state in ("overdue", "repeated")
        assert (state == "repeated") == (extensions > 0 or offset > cycle)
