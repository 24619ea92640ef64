"""How pages, exports and the API show a deal: the band (分档) it counts in."""

from __future__ import annotations

from tuijin.plan import active_plan

from . import rules
from .models import Deal, DealStage


def deal_tier(deal: Deal) -> str | None:
    """The code of the plan's band a signed deal counts in (二(四)11); None under negotiation or in none."""
    if deal.stage == DealStage.NEGOTIATING:
        return None
    return rules.tier_of(deal.amount_yuan, leading_industry=bool(deal.leading_industry),
                         tiers=active_plan().rules.deal_tiers)
