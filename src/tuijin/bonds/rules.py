"""The special-bond evaluation (二(二)8; DESIGN §5 "Bond evaluation"): pure functions, no ORM.

Each unit with a quota in the year gets four scores out of 100 and a weighted total::

    issuance_scale      issued ÷ the highest issued amount of any unit × 100
    submission_quality  applications passing review ÷ applications reviewed × 100
                        (``rule.no_submissions_score`` when none has been reviewed yet)
    spending_progress   min(1, (spent ÷ issued) ÷ time progress) × 100 (0 when nothing is issued; time
                        progress as the exact share month ÷ 12, tuijin.toolkit.periods.year_elapsed, so
                        that the published 2-decimal percentage does not move a score)
    compliance          max(0, 100 − ``rule.violation_deduction`` × recorded violations)
    total               Σ weight × score ÷ 100 (weights from the plan, summing to 100)

Units are ranked on the total rounded to 0.01 (competition ranking,
:func:`tuijin.toolkit.ranking.rank`); a total below ``rule.talk_threshold`` puts the unit on
the talk list (对不担当、不作为的单位约谈).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from tuijin.toolkit.periods import year_elapsed
from tuijin.toolkit.ranking import rank

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PARTS = ("issuance_scale", "submission_quality", "spending_progress", "compliance")


class BondRuleLike(Protocol):
    """``plan.rules.bond_evaluation``."""

    weights: Mapping[str, Decimal]
    talk_threshold: Decimal
    violation_deduction: Decimal
    no_submissions_score: Decimal


@dataclass(frozen=True)
class BondFacts:
    """What the evaluation reads of one unit, as of a month's end (money in yuan)."""

    issued_yuan: int = 0
    spent_yuan: int = 0
    reviewed: int = 0
    passed: int = 0
    violations: int = 0


@dataclass(frozen=True)
class BondScore:
    org: str
    scores: dict[str, Decimal]  # part → score out of 100 (2 decimals)
    total: Decimal  # weighted, 2 decimals
    rank: int
    talk: bool


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def issuance_scale_score(issued_yuan: int, best_issued_yuan: int) -> Decimal:
    """发行规模: the unit's issued amount against the best unit's, × 100 (二(二)8)."""
    if best_issued_yuan <= 0 or issued_yuan <= 0:
        return Decimal(0)
    return min(HUNDRED, Decimal(issued_yuan) * HUNDRED / Decimal(best_issued_yuan))


def submission_quality_score(passed: int, reviewed: int, *, when_none: Decimal) -> Decimal:
    """项目报送质量: share of reviewed supplementary applications that passed, × 100 (二(二)8)."""
    if passed < 0 or reviewed < 0 or passed > reviewed:
        raise ValueError("通过数应在0到已审核数之间")
    if reviewed == 0:
        return Decimal(when_none)
    return Decimal(passed) * HUNDRED / Decimal(reviewed)


def spending_progress_score(spent_yuan: int, issued_yuan: int, month: int) -> Decimal:
    """债券资金支出进度: (spent ÷ issued) against time progress, capped at 100 (二(二)8)."""
    if issued_yuan <= 0:
        return Decimal(0)
    ratio = Decimal(max(spent_yuan, 0)) / Decimal(issued_yuan) / year_elapsed(month)
    return min(HUNDRED, ratio * HUNDRED)


def compliance_score(violations: int, *, deduction: Decimal) -> Decimal:
    """规范性: 100 less a deduction per recorded violation, never below 0 (二(二)8)."""
    if violations < 0:
        raise ValueError("违规起数不能为负数")
    return max(Decimal(0), HUNDRED - Decimal(deduction) * violations)


def bond_evaluation(facts: Mapping[str, BondFacts], *, month: int, rule: BondRuleLike) -> list[BondScore]:
    """Score and rank every unit in ``facts`` (二(二)8); ordered by rank, then unit code."""
    best = max((f.issued_yuan for f in facts.values()), default=0)
    scored: dict[str, tuple[dict[str, Decimal], Decimal]] = {}
    for org, f in facts.items():
        parts = {
            "issuance_scale": issuance_scale_score(f.issued_yuan, best),
            "submission_quality": submission_quality_score(f.passed, f.reviewed, when_none=rule.no_submissions_score),
            "spending_progress": spending_progress_score(f.spent_yuan, f.issued_yuan, month),
            "compliance": compliance_score(f.violations, deduction=rule.violation_deduction),
        }
        total = sum((Decimal(rule.weights.get(k, 0)) * v / HUNDRED for k, v in parts.items()), Decimal(0))
        scored[org] = ({k: _round(v) for k, v in parts.items()}, _round(total))
    ranked = rank({org: total for org, (_parts, total) in scored.items()})
    return [BondScore(org=r.org, scores=scored[r.org][0], total=scored[r.org][1], rank=r.rank,
                      talk=scored[r.org][1] < Decimal(rule.talk_threshold)) for r in ranked]
