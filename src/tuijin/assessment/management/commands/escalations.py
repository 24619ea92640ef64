"""`tuijin escalations --period YYYY-MM [--record] [--json]`: units in last place and their escalation (三(三)).

Computed from the stored monthly official figures (cumulative FAI growth): every unit tied at
last place is escalated; consecutive months climb the plan's ladder (通报批评 → 分管市领导约谈
→ 市主要领导约谈); leaving last place resets the streak. Prints a Chinese table or, with
``--json``, exactly ``[{"org": slug, "streak": n, "level": "notice"|"deputy_talk"|"mayor_talk"}]``.
``--record`` also stores them as escalation records for the supervision office (idempotent,
audited). A malformed period: a Chinese error and exit status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuijin.assessment import selectors, services
from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.toolkit.errors import ApplicationError

from .rank import refuse, shown, text_table


class Command(BaseCommand):
    help = "末位增速约谈：列出本月处于末位的单位、连续末位月数和约谈级别"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="统计期，YYYY-MM（如 2022-06）")
        parser.add_argument("--record", action="store_true", help="同时生成约谈记录，交市政府督查室跟进")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, month = selectors.parse_period(options["period"])
            rows = selectors.escalation_list(user=policy.SYSTEM, year=year, month=month)
            if options["record"]:
                with audit_context(source="cli", reason=f"生成{selectors.period_label(year, month)}末位约谈记录"):
                    services.escalations_record(actor=None, year=year, month=month)
        except ApplicationError as exc:
            raise refuse(exc) from exc
        label = selectors.period_label(year, month)
        if options["json"]:
            body = [{"org": r["org"], "streak": r["streak"], "level": r["level"]} for r in rows]
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            if not rows:
                self.stderr.write(f"{label}没有处于末位的单位（或尚无官方统计数据）")
            return
        if not rows:
            self.stdout.write(f"{label}没有处于末位的单位（或尚无官方统计数据）")
            return
        self.stdout.write(f"{label} 末位增速约谈（累计增速排名倒数第一）")
        table = [(r["name"], r["streak"], r["label"], shown(r["value"])) for r in rows]
        for line in text_table(["单位", "连续末位月数", "约谈级别", "累计增速（%）"], table, right=(1, 3)):
            self.stdout.write(line)
        if options["record"]:
            self.stdout.write(f"已生成 {len(rows)} 条约谈记录，交市政府督查室跟进")
