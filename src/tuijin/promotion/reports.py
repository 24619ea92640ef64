"""JSON shapes shared by the API and the CLI (``--json``)."""

from __future__ import annotations

from typing import Any

from tuijin.toolkit.money import yuan_to_yi


def yi(amount_yuan: int) -> str:
    """亿元 as a decimal string with 4 places (1万元)."""
    return f"{yuan_to_yi(amount_yuan):.4f}"


def weekly_json(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "week": report["week"], "start": report["start"].isoformat(), "end": report["end"].isoformat(),
        "unit": report["unit"],
        "moves": [{"date": m["moved_on"].isoformat(), "unit": m["unit"].code, "deal_id": m["deal"].pk,
                   "deal": m["deal"].name, "investor": m["deal"].investor, "amount_yi": yi(m["deal"].amount_yuan),
                   "from": m["from"], "to": m["to"], "to_stage": m["to_code"], "note": m["note"]}
                  for m in report["moves"]],
        "counts": report["counts"], "new_deals": report["new_deals"],
        "signed_count": report["signed_count"], "signed_amount_yi": yi(report["signed_yuan"]),
        "year_signed_count": report["year_signed_count"], "year_signed_amount_yi": yi(report["year_signed_yuan"]),
    }


def stalled_json(rows: list[dict[str, Any]], *, as_of: Any, days: int) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(), "stalled_after_days": days,
        "results": [{"deal_id": r["deal"].pk, "deal": r["deal"].name, "unit": r["deal"].unit.code,
                     "stage": r["deal"].stage, "stage_name": r["stage"], "last_move_on": r["deal"].last_move_on.isoformat(),
                     "days": r["days"], "amount_yi": yi(r["deal"].amount_yuan)} for r in rows],
    }


def tiers_json(summary: Any) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any]:
        return {"org": r.org, "name": r.name, "counts": r.tally.counts, "signed_deals": r.tally.signed_deals,
                "signed_amount_yi": yi(r.tally.signed_yuan), "landed": r.tally.landed}

    return {"year": summary.year, "bands": summary.bands,
            "signed_amount_target_yi": str(summary.signed_target_yi) if summary.signed_target_yi is not None else None,
            "city": row(summary.city), "units": [row(r) for r in summary.units]}


def assessment_json(year: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"year": year, "results": [{
        "org": r["org"], "name": r["name"], "rank": r["rank"], "scores": {k: str(v) for k, v in r["scores"].items()},
        "total": str(r["total"]), "signed_deals": r["signed_deals"], "signed_amount_yi": yi(r["signed_yuan"]),
        "tier_deals": r["tier_deals"], "landed": r["landed"]} for r in rows]}
