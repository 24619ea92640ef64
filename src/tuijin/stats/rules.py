"""Formulas of official statistics over values passed in (no rows read)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PERCENT_QUANT = Decimal("0.01")


def coverage_percent(project_yuan: int | None, official_yuan: int | None) -> Decimal | None:
    """Project-based sum as a percent of the official figure (2 decimals), None when either is missing."""
    if project_yuan is None or not official_yuan:
        return None
    return (Decimal(project_yuan) * 100 / Decimal(official_yuan)).quantize(PERCENT_QUANT, ROUND_HALF_UP)
