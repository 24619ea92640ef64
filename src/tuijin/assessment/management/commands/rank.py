"""`tuijin rank --period YYYY-MM [--indicator fai] [--json]`: units ranked by official cumulative growth.

Prints a Chinese table (名次、单位、累计增速、本年累计) or, with ``--json``, exactly
``[{"org": slug, "name": …, "value": …, "rank": n}]`` (value: growth in percent, null without a
figure). A malformed period or unknown indicator: a Chinese error and exit status 1; a month
without figures: a message (``[]`` with ``--json``) and exit status 0.

The other assessment commands share :func:`number`, :func:`shown` and :func:`refuse` from here (and
:func:`tuijin.toolkit.console.text_table` through it).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.assessment import plan_terms, selectors
from tuijin.orgs import policy
from tuijin.toolkit.console import text_table
from tuijin.toolkit.errors import ApplicationError


def number(value: Decimal | int | None) -> float | int | None:
    """A Decimal as a JSON number (12.3, 150); None stays null."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


def shown(value: Decimal | None, places: int = 2) -> str:
    """A Decimal for a table cell: fixed decimals, thousands separators, '—' for none."""
    return "—" if value is None else f"{Decimal(value):,.{places}f}"


def refuse(exc: ApplicationError) -> CommandError:
    return CommandError(exc.message, returncode=1)


class Command(BaseCommand):
    help = "按统计部门发布的累计增速对各报送单位排名（竞争排名，并列共享名次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="统计期，YYYY-MM（如 2022-06）")
        parser.add_argument("--indicator", default=selectors.FAI,
                            help="指标：fai 固定资产投资（默认）、industrial、infrastructure、real_estate")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, month = selectors.parse_period(options["period"])
            indicator = plan_terms.check_indicator(options["indicator"])
            rows = selectors.unit_growth_ranking(user=policy.SYSTEM, year=year, month=month, indicator=indicator)
        except ApplicationError as exc:
            raise refuse(exc) from exc
        name = dict(plan_terms.indicator_choices())[indicator]
        if options["json"]:
            body = [{"org": r["org"], "name": r["name"], "value": number(r["value"]), "rank": r["rank"]}
                    for r in rows]
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            if not rows:
                self.stderr.write(f"{selectors.period_label(year, month)}尚无{name}的官方统计数据")
            return
        if not rows:
            self.stdout.write(f"{selectors.period_label(year, month)}尚无{name}的官方统计数据，"
                              "请先导入统计部门发布的数据（tuijin import-stats）")
            return
        groups = list(dict.fromkeys(r["group"] for r in rows))
        for group in groups:
            self.stdout.write(f"{selectors.period_label(year, month)} {name}累计增速排名（{group}）")
            table = [(r["rank"], r["name"], shown(r["value"]), shown(r["ytd_wan"]),
                      "末位" if r["last_place"] else "") for r in rows if r["group"] == group]
            for line in text_table(["名次", "单位", "累计增速（%）", "本年累计（万元）", ""], table, right=(0, 2, 3)):
                self.stdout.write(line)
