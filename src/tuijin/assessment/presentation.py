"""Display helpers of monitoring and assessment over values the selectors return (no rows read)."""

from __future__ import annotations

from typing import Any

from tuijin.toolkit.money import yuan_to_wan

from .models import Evaluation


def evaluation_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """A stored evaluation's results as rows: org, name, score, rank, award_wan, indicators, explanation."""
    rows = []
    for result in evaluation.results.all():
        indicators = result.indicators or {}
        explanation = "；".join(part.get("explanation", "") for part in indicators.values())
        rows.append({
            "org": result.org.code, "name": result.org.name, "short_name": result.org.display_name,
            "score": result.score, "rank": result.rank, "award_wan": yuan_to_wan(result.award_yuan),
            "indicators": indicators, "explanation": f"{explanation}；合计 {result.score} 分",
        })
    return rows
