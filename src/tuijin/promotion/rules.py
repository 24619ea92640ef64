"""Promotion rules (二(四)10–11; DESIGN §5 "Deal tiers"): pure functions, no ORM.

* Tier bands are exclusive by signed amount in 亿元 (``plan.rules.deal_tiers``): ≥100; 30–100;
  10–30; 5–10 only in a leading-industry chain (min inclusive, max exclusive). A deal below 5亿,
  or of 5–10亿 outside a leading chain, counts in no band (but its amount counts in the signed total).
* A deal moves one stage forward at a time through ``plan.rules.promotion.stages``; the date of a
  move is not in the future and not before the deal's previous move.
* A deal in one of ``stalled_stages`` with no move for ``stalled_after_days`` days is stalled (月督查).
* The annual assessment (年考核) scores each unit out of 100 with ``assessment_weights``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from tuijin.toolkit.ranking import rank

YUAN_PER_YI = 100_000_000
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class BandLike(Protocol):
    code: str
    min_yi: Decimal
    max_yi: Decimal | None
    leading_industry_only: bool


class TiersLike(Protocol):
    bands: Sequence[BandLike]

    def band_for(self, amount_yi: Decimal, *, leading_industry: bool) -> BandLike | None: ...


def amount_yi(amount_yuan: int) -> Decimal:
    return Decimal(amount_yuan) / YUAN_PER_YI


def tier_of(amount_yuan: int, *, leading_industry: bool, tiers: TiersLike) -> str | None:
    """The band code of a signed deal, or None when it counts in no band (二(四)11)."""
    band = tiers.band_for(amount_yi(amount_yuan), leading_industry=leading_industry)
    return band.code if band is not None else None


# --- stages ------------------------------------------------------------------------------------


def next_stage(stage: str, stages: Sequence[str]) -> str | None:
    i = list(stages).index(stage)
    return stages[i + 1] if i + 1 < len(stages) else None


def move_problem(*, stage: str, to_stage: str, last_move_on: dt.date, moved_on: dt.date, today: dt.date,
                 stages: Sequence[str], names: Mapping[str, str]) -> str | None:
    """Why a move is refused (Chinese), or None when it is allowed (二(四)10 转段落地)."""
    if to_stage not in stages:
        return f"未知的阶段“{to_stage}”，应为 {'、'.join(stages)} 之一"
    following = next_stage(stage, stages)
    if following is None:
        return f"项目已{names.get(stage, stage)}，不能再推进"
    if to_stage != following:
        return (f"只能从“{names.get(stage, stage)}”推进到“{names.get(following, following)}”，"
                f"不能直接改为“{names.get(to_stage, to_stage)}”")
    if moved_on > today:
        return "推进日期不能晚于今天"
    if moved_on < last_move_on:
        return f"推进日期不能早于上一次推进的日期（{last_move_on.isoformat()}）"
    return None


def is_stalled(*, stage: str, last_move_on: dt.date, as_of: dt.date, stalled_stages: Iterable[str],
               days: int) -> bool:
    """No move for ``days`` days or more while in one of ``stalled_stages`` (月督查)."""
    return stage in set(stalled_stages) and (as_of - last_move_on).days >= days


# --- weeks -------------------------------------------------------------------------------------


# --- tiers vs targets and the annual assessment -----------------------------------------------------


@dataclass(frozen=True)
class SignedDeal:
    unit: str
    amount_yuan: int
    leading_industry: bool
    stage: str


@dataclass
class Tally:
    counts: dict[str, int]  # band code → deals
    signed_yuan: int = 0
    signed_deals: int = 0
    landed: int = 0


def tally(deals: Iterable[SignedDeal], *, tiers: TiersLike, landed_stages: Iterable[str]) -> dict[str, Tally]:
    """Per unit (and ``"city"``): deals per band, signed amount and deals, landed deals."""
    landed = set(landed_stages)
    out: dict[str, Tally] = {}
    for d in deals:
        band = tier_of(d.amount_yuan, leading_industry=d.leading_industry, tiers=tiers)
        for key in (d.unit, "city"):
            t = out.setdefault(key, Tally(counts={b.code: 0 for b in tiers.bands}))
            if band is not None:
                t.counts[band] += 1
            t.signed_yuan += d.amount_yuan
            t.signed_deals += 1
            t.landed += d.stage in landed
    return out


@dataclass(frozen=True)
class AssessmentScore:
    org: str
    scores: dict[str, Decimal]
    total: Decimal
    rank: int


def _share(value: int, best: int) -> Decimal:
    return Decimal(0) if best <= 0 else Decimal(value) * HUNDRED / Decimal(best)


def annual_assessment(tallies: Mapping[str, Tally], *, weights: Mapping[str, Decimal]) -> list[AssessmentScore]:
    """年考核 (二(四)11): signed amount and tier deals against the best unit, landing rate; ranked.

    ``tallies`` holds the units to score (no ``"city"``). Each part is 0–100; the total is
    Σ weight × part ÷ 100, rounded to 0.01, ranked by competition ranking.
    """
    best_amount = max((t.signed_yuan for t in tallies.values()), default=0)
    best_tiers = max((sum(t.counts.values()) for t in tallies.values()), default=0)
    parts: dict[str, dict[str, Decimal]] = {}
    totals: dict[str, Decimal] = {}
    for org, t in tallies.items():
        p = {
            "signed_amount": _share(t.signed_yuan, best_amount),
            "tier_deals": _share(sum(t.counts.values()), best_tiers),
            "landing": _share(t.landed, t.signed_deals),
        }
        totals[org] = sum((Decimal(weights.get(k, 0)) * v / HUNDRED for k, v in p.items()),
                          Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
        parts[org] = {k: v.quantize(CENT, rounding=ROUND_HALF_UP) for k, v in p.items()}
    return [AssessmentScore(org=r.org, scores=parts[r.org], total=totals[r.org], rank=r.rank)
            for r in rank(totals)]
