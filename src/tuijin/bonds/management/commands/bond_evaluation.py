"""`tuijin bond-evaluation --year 2022 [--month M] [--json] [--as USER]`: the special-bond evaluation (二(二)8).

Prints each unit's four scores, the weighted total, the rank and whether it is on the talk list;
``--json`` prints ``{"year", "month", "time_progress", "plan_hash", "clause", "results": [...]}``
(the API's body). Bad year or month: a Chinese error and exit status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.bonds import plan_terms, selectors
from tuijin.bonds.api import evaluation_json
from tuijin.orgs import policy
from tuijin.orgs.commands import acting_user
from tuijin.toolkit.console import text_table
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "专项债券申报发行使用工作评价：各单位四项得分、综合得分、排名和约谈名单（二(二)8）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="年度，如 2022")
        parser.add_argument("--month", default=None, help="截至月份 1–12（省略：往年为12月）")
        parser.add_argument("--as", dest="username", default="", help="以该用户的身份和权限范围查看")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["username"])
        try:
            principal = policy.acting(user)
            year, month = selectors.check_year_month(user=principal, year=options["year"], month=options["month"])
            result = selectors.evaluation(user=principal, year=year, month=month)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(evaluation_json(result), ensure_ascii=False, indent=2))
            return
        if not result.rows:
            self.stdout.write(f"{year}年尚无专项债券额度数据")
            return
        labels = plan_terms.part_labels(year, month)
        self.stdout.write(f"{year}年{month}月专项债券工作评价（序时进度{result.time_progress}%）")
        table = [(r.score.rank, r.org.display_name, *[r.score.scores[k] for k in labels], r.score.total,
                  "约谈" if r.score.talk else "") for r in result.rows]
        for line in text_table(["名次", "单位", *labels.values(), "综合得分", ""], table, right=(0, 2, 3, 4, 5, 6)):
            self.stdout.write(line)
        talk = [r.org.display_name for r in result.talk_rows]
        self.stdout.write(f"约谈名单（不担当、不作为）：{'、'.join(talk) if talk else '无'}")
