"""How pages, exports and the API show a deal: the band (分档) it counts in."""

from __future__ import annotations

from tuijin.plan import current_plan, plan_for, plan_on, plan_years

from . import rules
from .models import Deal, DealStage


def deal_tier(deal: Deal) -> str | None:
    """The code of the band a signed deal counts in (二(四)11), by the plan of the day it was signed; None
    under negotiation or in none."""
    if deal.stage == DealStage.NEGOTIATING:
        return None
    return rules.tier_of(deal.amount_yuan, leading_industry=bool(deal.leading_industry),
                         tiers=plan_on(deal.signed_on).rules.deal_tiers if deal.signed_on else
                         current_plan().rules.deal_tiers)

def tier_codes() -> list[str]:
    """The deal tiers' band codes of every year's plan (for the API's schema)."""
    return sorted({band.code for year in plan_years() for band in plan_for(year).rules.deal_tiers.bands})
