"""`tuijin promotion-assessment --year 2022 [--json]`: tiers against targets and the annual assessment (年考核)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.orgs.policy import SYSTEM
from tuijin.promotion import selectors
from tuijin.promotion.reports import assessment_json, tiers_json
from tuijin.toolkit.console import text_table
from tuijin.toolkit.money import format_yi


class Command(BaseCommand):
    help = "招商引资分档完成情况与年度考核得分排名（二(四)11）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int, help="年度，如 2022")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"年份超出范围：{year}", returncode=1)
        summary = selectors.tier_summary(user=SYSTEM, year=year)
        rows = selectors.annual_assessment(user=SYSTEM, year=year)
        if options["json"]:
            self.stdout.write(json.dumps({"tiers": tiers_json(summary), "assessment": assessment_json(year, rows)},
                                         ensure_ascii=False, indent=2))
            return
        c = summary.city.tally
        self.stdout.write(f"{year}年全市签约{c.signed_deals}个，签约金额{format_yi(c.signed_yuan)}亿元"
                          f"（目标{summary.signed_target_yi}亿元）")
        for b in summary.bands:
            self.stdout.write(f"  {b['label']}：{c.counts[b['code']]}个（目标{b['target']}个）")
        table = [(r["rank"], r["name"], *r["scores"].values(), r["total"]) for r in rows]
        for line in text_table(["名次", "单位", "签约金额", "分档项目数", "转段落地率", "综合得分"], table,
                               right=(0, 2, 3, 4, 5)):
            self.stdout.write(line)
