"""`tuijin evaluate --quarter YYYYQn [--dry-run] [--json]`: the quarter's composite evaluation and awards.

Scores each reporting unit on the plan's weighted indicators (二(七)21), ranks them (ties share
the better rank) and gives the plan's award tiers by rank (二(六)15); stores the result with the
plan file's hash (audited, as the system), unless ``--dry-run``. Prints a Chinese table with each
unit's explanation or, with ``--json``, exactly ``[{"org": slug, "score": …, "rank": n,
"award_wan": …, "indicators": {code: {label, weight, value, target, points, explanation}}}]``.
A malformed quarter or a quarter without official statistics: a Chinese error and exit status 1.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuijin.assessment import presentation, selectors, services
from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.toolkit.errors import ApplicationError

from .rank import number, refuse, shown, text_table


def _num(text: str | None) -> float | int | None:
    return None if text is None else number(Decimal(text))


class Command(BaseCommand):
    help = "季度综合评价和奖励：计算各单位得分、排名和奖励资金，并保存（附方案文件哈希）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help="季度，YYYYQn（如 2022Q1）")
        parser.add_argument("--dry-run", action="store_true", help="只计算，不保存")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, quarter = selectors.parse_quarter(options["quarter"])
            if options["dry_run"]:
                rows = selectors.evaluation_compute(user=policy.SYSTEM, year=year, quarter=quarter)
                evaluation = None
            else:
                reason = f"{selectors.quarter_label(year, quarter)}综合评价"
                with audit_context(source="cli", reason=reason):
                    evaluation = services.evaluation_run(actor=None, year=year, quarter=quarter)
                rows = presentation.evaluation_rows(evaluation)
        except ApplicationError as exc:
            raise refuse(exc) from exc
        if options["json"]:
            body = [{
                "org": r["org"], "score": number(r["score"]), "rank": r["rank"], "award_wan": number(r["award_wan"]),
                "indicators": {code: {"label": p["label"], "weight": _num(p["weight"]), "value": _num(p["value"]),
                                      "target": _num(p["target"]), "points": _num(p["points"]),
                                      "explanation": p["explanation"]}
                               for code, p in r["indicators"].items()},
            } for r in rows]
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{selectors.quarter_label(year, quarter)} 扩大有效投资综合评价")
        table = [(r["rank"], r["name"], shown(r["score"]), shown(r["award_wan"], 0)) for r in rows]
        for line in text_table(["名次", "单位", "得分", "奖励（万元）"], table, right=(0, 2, 3)):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("得分说明：")
        for r in rows:
            self.stdout.write(f"{r['name']}：{r['explanation']}")
        if evaluation is None:
            self.stdout.write("（试算，未保存）")
        else:
            self.stdout.write(f"已保存评价结果，方案文件哈希 {evaluation.plan_hash[:12]}…")
