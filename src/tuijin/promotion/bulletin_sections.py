"""The promotion section of the quarterly bulletin (二(四)11 季通报): tiers against targets per unit."""

from __future__ import annotations

from decimal import Decimal

from tuijin.orgs.policy import SYSTEM
from tuijin.toolkit.money import format_yi
from tuijin.toolkit.periods import month_end

from .selectors import stalled, tier_summary


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict]:
    """Only in the quarterly bulletin: deals per tier and signed amount per unit and for the city."""
    if not quarterly:
        return []
    until = month_end(year, month)
    summary = tier_summary(user=SYSTEM, year=year, until=until)
    bands = summary.bands
    headers = ["单位", *[b["label"] for b in bands], "签约项目数", "签约金额（亿元）", "已开工或投产"]

    def row(r) -> list:
        return [r.name, *[r.tally.counts[b["code"]] for b in bands], r.tally.signed_deals,
                format_yi(r.tally.signed_yuan), r.tally.landed]

    rows = [row(r) for r in summary.units] + [row(summary.city)]
    targets = [*["目标"] + [b["target"] if b["target"] is not None else "" for b in bands], "",
               f"{summary.signed_target_yi:g}" if summary.signed_target_yi is not None else "", ""]
    rows.append(targets)
    c = summary.city.tally
    parts = "，".join(f"{b['label']}{c.counts[b['code']]}个（目标{b['target']}个）" for b in bands)
    share = f"，完成目标的{summary.signed_share}%" if summary.signed_share is not None else ""
    stalled_deals = stalled(user=SYSTEM, as_of=until)
    paragraphs = [
        f"截至{year}年{month}月底，全市签约招商项目{c.signed_deals}个，签约金额{format_yi(c.signed_yuan)}亿元"
        f"（目标{Decimal(summary.signed_target_yi or 0):g}亿元{share}）；其中{parts}。",
        f"已开工或投产的签约项目{c.landed}个；超过规定天数无进展的项目{len(stalled_deals)}个。",
    ]
    return [{"order": 310, "title": f"招商引资推进情况（{year}年第{(month - 1) // 3 + 1}季度）",
             "paragraphs": paragraphs,
             "tables": [{"caption": "招商引资分档项目完成情况", "headers": headers, "rows": rows}]}]
