"""`tuijin calc RULE …`: the incentive calculator (二(六)16–18).

::

    tuijin calc interest-subsidy --total 万元 --first-year 万元 --loan 万元 [--rate 4.35] [--not-manufacturing] [--json]
    tuijin calc equipment-award --total 万元 --equipment 万元 [--other-industry] [--nature new|expansion|renovation]
                                [--not-producing] [--json]
    tuijin calc reits-subsidy --pre-expenses 万元 [--not-in-reserve] [--not-local] [--issued] [--json]

``--json`` prints exactly ``{"eligible", "amount_wan", "cap_wan", "years", "clause", "reasons"}``; bad
input: a Chinese message per field and exit status 1. Reads nothing but the plan file.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.incentives import quotes, rules
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "奖补测算：贴息（interest-subsidy）、设备投资奖励（equipment-award）、REITs补助（reits-subsidy）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="rule", required=True, title="规则")
        interest = sub.add_parser("interest-subsidy", help="制造业重大项目贴息（二(六)16）")
        interest.add_argument("--total", required=True, help="总投资（万元）")
        interest.add_argument("--first-year", required=True, help="开工后一年内实际固定资产投资（万元）")
        interest.add_argument("--loan", required=True, help="贷款本金（万元）")
        interest.add_argument("--rate", default=None, help="同期银行贷款基准利率（%%），默认取方案文件")
        interest.add_argument("--not-manufacturing", action="store_true", help="非制造业项目")
        equipment = sub.add_parser("equipment-award", help="工业投资项目设备投资奖励（二(六)17）")
        equipment.add_argument("--total", required=True, help="总投资（万元）")
        equipment.add_argument("--equipment", required=True, help="生产和技术设备投资（万元）")
        equipment.add_argument("--other-industry", action="store_true", help="非主导产业")
        equipment.add_argument("--nature", default="new", help="项目性质：new 新建（默认）/ expansion 扩建 / renovation 改建")
        equipment.add_argument("--not-producing", action="store_true", help="尚未完成投产")
        reits = sub.add_parser("reits-subsidy", help="基础设施REITs前期经费补助和发行奖励（二(六)18）")
        reits.add_argument("--pre-expenses", required=True, help="前期经费实际支出（万元）")
        reits.add_argument("--not-in-reserve", action="store_true", help="未纳入国家发展改革委REITs储备项目库")
        reits.add_argument("--not-local", action="store_true", help="原始权益人注册地不在本市")
        reits.add_argument("--issued", action="store_true", help="已成功发行REITs产品")
        for p in (interest, equipment, reits):
            p.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        rule = options["rule"].replace("-", "_")
        names = [*quotes.AMOUNTS[rule], *quotes.FLAGS[rule]]
        if rule == rules.INTEREST_SUBSIDY:
            names.append("rate")
        if rule == rules.EQUIPMENT_AWARD:
            names.append("nature")
        data = {name: options.get(name) for name in names}
        try:
            result = quotes.quote(rule, data)
        except ApplicationError as exc:
            lines = [msg for messages in exc.errors.values() for msg in messages] or [exc.message]
            raise CommandError("\n".join(lines), returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{quotes.QUOTE_RULES[rule]}")
        self.stdout.write(f"是否符合条件：{'是' if result.eligible else '否'}")
        self.stdout.write(f"奖补金额：{rules.fmt(result.amount_wan)} 万元（上限 {rules.fmt(result.cap_wan)} 万元）")
        if result.years is not None:
            self.stdout.write(f"贴息年限：{result.years} 年")
        self.stdout.write(f"依据条款：{result.clause}")
        for reason in result.reasons:
            self.stdout.write(f"  · {reason}")
