"""Helpers for plan tests: the real plan file, and broken copies of it made by targeted edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuijin.plan.loader import PlanError, parse_plan

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml"


def plan_text() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


def edited(*replacements: tuple[str, str]) -> str:
    """The real plan text with each ``old`` replaced by ``new``; each ``old`` must occur exactly once."""
    text = plan_text()
    for old, new in replacements:
        assert text.count(old) == 1, f"edit target not found exactly once: {old!r}"
        text = text.replace(old, new)
    return text


def errors_of(text: str) -> dict[str, str]:
    """Parse ``text`` expecting failure; return {path: message} of every issue."""
    with pytest.raises(PlanError) as caught:
        parse_plan(text, source="test.yaml")
    return {issue.path: issue.message for issue in caught.value.errors}
