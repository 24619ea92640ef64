"""The bond evaluation ranking for the monthly bulletin (二(二)8: 定期进行综合评价并排名通报)."""

from __future__ import annotations

from decimal import Decimal

from tuijin.orgs import policy
from tuijin.toolkit.money import format_yi

from .plan_terms import part_labels, plan_of
from .selectors import evaluation


def bulletin_sections(*, year: int, month: int, quarterly: bool) -> list[dict]:
    """One section: each unit's four scores, total and rank; the talk list below the table."""
    result = evaluation(user=policy.SYSTEM, year=year, month=month)
    if not result.rows:
        return []
    rule = plan_of(year, month).rules.bond_evaluation
    labels = part_labels(year, month)
    headers = ["名次", "单位", "额度（亿元）", "已发行（亿元）", "已支出（亿元）",
               *[f"{labels[k]}（{Decimal(rule.weights[k]):g}%）" for k in labels], "综合得分"]
    rows = [[r.score.rank, r.org.display_name, format_yi(r.quota_yuan), format_yi(r.facts.issued_yuan),
             format_yi(r.facts.spent_yuan), *[float(r.score.scores[k]) for k in labels], float(r.score.total)]
            for r in result.rows]
    talk = [r.org.display_name for r in result.talk_rows]
    issued = sum(r.facts.issued_yuan for r in result.rows)
    spent = sum(r.facts.spent_yuan for r in result.rows)
    paragraphs = [
        f"截至{year}年{month}月底，全市专项债券已发行{format_yi(issued)}亿元，已支出{format_yi(spent)}亿元，"
        f"支出进度{(Decimal(spent) * 100 / issued if issued else Decimal(0)):.1f}%（序时进度{result.time_progress:.1f}%）。",
        f"按债券发行规模、项目报送质量、债券资金支出进度和规范性对{len(result.rows)}个区县（市）进行综合评价排名如下。",
        (f"综合得分低于{Decimal(rule.talk_threshold):g}分、列入约谈名单的单位：{'、'.join(talk)}。" if talk
         else f"本月没有综合得分低于{Decimal(rule.talk_threshold):g}分的单位。"),
    ]
    return [{"order": 300, "title": f"专项债券工作评价（{year}年{month}月）", "paragraphs": paragraphs,
             "tables": [{"caption": "专项债券申报发行使用工作评价排名", "headers": headers, "rows": rows}]}]
