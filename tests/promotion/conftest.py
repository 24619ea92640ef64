"""Deals for the promotion tests, created directly (the services are under test elsewhere)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from tests.supervision.conftest import two_year_plans  # noqa: F401  (shared fixture)

from tuijin.audit.context import audit_context

YI = 100_000_000
STAGES = ["negotiating", "signed", "registered", "started", "producing"]
DATE_FIELDS = ["negotiating_since", "signed_on", "registered_on", "started_on", "producing_on"]


@pytest.fixture
def make_deal(orgs, users) -> Callable[..., Any]:
    """A deal at ``stage`` whose stages were reached on ``dates`` (one per stage, from negotiating)."""
    from tuijin.promotion.models import Deal, DealMove

    def make(unit: str = "jinshui", *, amount_yi: float = 20, leading_industry: str = "electronic_information",
             dates: list[dt.date] | None = None, **fields: Any) -> Deal:
        dates = dates or [dt.date(2022, 3, 1)]
        stage = STAGES[len(dates) - 1]
        values = {f: d for f, d in zip(DATE_FIELDS, dates, strict=False)}
        with audit_context(source="system", reason="test fixture"):
            deal = Deal.objects.create(unit=orgs[unit], name=fields.pop("name", f"{unit}招商项目{amount_yi}亿"),
                                       investor=fields.pop("investor", "某某科技股份有限公司"),
                                       amount_yuan=int(round(amount_yi * YI)), leading_industry=leading_industry,
                                       stage=stage, last_move_on=dates[-1], **values, **fields)
            previous = ""
            for s, d in zip(STAGES, dates, strict=False):
                DealMove.objects.create(deal=deal, from_stage=previous, to_stage=s, moved_on=d)
                previous = s
        return deal

    return make
