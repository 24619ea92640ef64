"""`tuijin forecast --period YYYY-MM [--json]`: each unit's projected year-end FAI growth and gap to target.

Year-end = year-to-date ÷ the share of the year usually reached by this month (earlier years'
official monthly figures); the gap to the unit's growth target and the amount each remaining
month must add are shown, units likely to miss first. The text output ends with the back-test
of the method on the previous year. ``--json`` prints the rows: ``[{"org", "name", "ytd_wan",
"last_year_total_wan", "projected_growth", "target", "gap_points", "needed_per_month_wan",
"likely_miss"}]``. A malformed period: a Chinese error and exit status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuijin.assessment import selectors
from tuijin.orgs import policy
from tuijin.toolkit.errors import ApplicationError

from .rank import number, refuse, shown, text_table

KEYS = ("ytd_wan", "last_year_total_wan", "projected_growth", "target", "gap_points", "needed_per_month_wan")


class Command(BaseCommand):
    help = "预测预警：各单位全年固定资产投资增速预测、与目标的差距和后续每月需完成的投资"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="统计期，YYYY-MM（如 2022-06）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, month = selectors.parse_period(options["period"])
            rows = selectors.forecast_rows(user=policy.SYSTEM, year=year, month=month)
            backtest = selectors.forecast_backtest(user=policy.SYSTEM, year=year - 1)
        except ApplicationError as exc:
            raise refuse(exc) from exc
        if options["json"]:
            body = [{"org": r["org"], "name": r["name"], **{k: number(r[k]) for k in KEYS},
                     "likely_miss": r["likely_miss"]} for r in rows]
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        if all(r["projected_growth"] is None for r in rows):
            self.stdout.write(f"{selectors.period_label(year, month)}尚无可用于预测的官方统计数据"
                              "（需要本年累计值和上年全年累计值）")
            return
        self.stdout.write(f"{selectors.period_label(year, month)} 全年固定资产投资增速预测（可能完不成目标的单位在前）")
        table = [(r["name"], shown(r["growth"]), shown(r["projected_growth"]), shown(r["target"]),
                  shown(r["gap_points"]), shown(r["needed_per_month_wan"]), "可能完不成" if r["likely_miss"] else "")
                 for r in rows]
        headers = ["单位", "当前增速（%）", "预计全年增速（%）", "目标（%）", "差距（百分点）", "后续月均需完成（万元）", ""]
        for line in text_table(headers, table, right=(1, 2, 3, 4, 5)):
            self.stdout.write(line)
        if backtest:
            self.stdout.write(f"回测：用{backtest['year']}年数据检验该方法，{backtest['units_tested']}个单位逐月预测全年增速，"
                              f"平均绝对误差 {shown(backtest['mean_abs_error_points'])} 个百分点")
