"""Programme rules: statistics inclusion (应统尽统, 二(七)19), financing needs (二(五)12) and
the open-data export.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, StrictBool

from .base import Amount, Period, Rule, Slug, Text


class StatisticsInclusionRule(Rule):
    """应统尽统 (二(七)19): started projects ≥ threshold must be in the FAI statistics."""

    threshold_wan: Amount
    bulletin_period: Period
    suspend_annual_plan: StrictBool


class FinancingNeedsRule(Rule):
    """The fund sources whose gap (planned − in place) is a financing need for bank matching (二(五)12)."""

    sources: tuple[Slug, ...] = Field(min_length=1)
    min_gap_wan: Amount = Decimal(0)
    key_projects_only: StrictBool = False


class OpenDataRule(Rule):
    """What the OC4IDS export publishes (beyond the seed): the publisher and the fields marked public."""

    publisher: Text
    uri: Text
    public_fields: tuple[Slug, ...] = Field(min_length=1)
