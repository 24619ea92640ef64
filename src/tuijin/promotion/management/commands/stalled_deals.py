"""`tuijin stalled-deals [--as-of DATE] [--unit CODE] [--as USER] [--json]`: the monthly review (月督查).

Signed deals not yet producing with no move for the plan's ``rules.promotion.stalled_after_days``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.orgs.commands import acting_principal
from tuijin.plan import plan_on
from tuijin.promotion import selectors
from tuijin.promotion.reports import stalled_json
from tuijin.toolkit import clock
from tuijin.toolkit.console import text_table
from tuijin.toolkit.errors import ApplicationError
from tuijin.toolkit.money import format_yi


class Command(BaseCommand):
    help = "招商引资月督查：超过规定天数无进展的签约项目（二(四)11）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", default=None, help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--unit", default=None, help="只看一个报送单位")
        parser.add_argument("--as", dest="username", default="", help="以该用户的身份和权限范围查看")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_principal(options["username"])
        try:
            as_of = selectors.parse_day(options["as_of"]) if options["as_of"] else clock.today()
            days = plan_on(as_of).rules.promotion.stalled_after_days
            rows = selectors.stalled(user=user, as_of=as_of, unit=options["unit"])
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(stalled_json(rows, as_of=as_of, days=days), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"截至{as_of.isoformat()}，{days}天以上无进展的招商项目 {len(rows)} 个")
        table = [(r["deal"].unit.display_name, r["deal"].name, format_yi(r["deal"].amount_yuan), r["stage"],
                  r["deal"].last_move_on.isoformat(), r["days"]) for r in rows]
        if table:
            for line in text_table(["单位", "项目名称", "金额（亿元）", "阶段", "最近推进", "天数"], table, right=(2, 5)):
                self.stdout.write(line)
