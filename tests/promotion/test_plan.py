"""The plan-file sections this issue added: each malformed case is an error naming its path."""

from __future__ import annotations

from tests.plan.support import edited, errors_of


def test_stalled_stages_must_be_known_stages():
    errors = errors_of(edited(("stalled_stages: [signed, registered, started]",
                               "stalled_stages: [signed, paused]")))
    assert "rules.promotion.stalled_stages[1]" in errors
    assert "未知的阶段 'paused'" in errors["rules.promotion.stalled_stages[1]"]


def test_landed_stages_must_be_known_stages():
    errors = errors_of(edited(("landed_stages: [started, producing]", "landed_stages: [built]")))
    assert "rules.promotion.landed_stages[0]" in errors


def test_assessment_weights_must_sum_to_100():
    errors = errors_of(edited(("      landing: 30\n    assessment_labels:", "      landing: 40\n    assessment_labels:")))
    assert "实际为 110" in errors["rules.promotion.assessment_weights"]


def test_violation_deduction_is_a_percentage():
    errors = errors_of(edited(("violation_deduction: 25", "violation_deduction: 250")))
    assert list(errors) == ["rules.bond_evaluation.violation_deduction"]
