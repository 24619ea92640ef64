"""`tuijin incentives-scan --year 2022 [--json]`: the eligibility scan (免申即享, 二(六)15–18).

Walks the project library, the approved monthly reports and the REITs pipeline, and stores every
award the data supports as a proposal (one per project and rule: re-running never duplicates),
as the system (audited). Prints the proposals found, with the facts used, in Chinese, or with
``--json`` ``{"year", "found", "created", "updated", "unchanged", "decided_kept", "by_rule",
"proposals": [{"id", "project", "project_name", "unit", "rule", "status", "amount_wan", "cap_wan", "years",
"clause", "facts": [{"label", "value", "link"}], "reasons"}]}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.incentives import rules, services
from tuijin.incentives.models import Proposal
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "免申即享：按项目库、已审核月报和REITs项目库筛查符合条件的奖补线索"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，如 2022")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        try:
            with audit_context(source="cli", reason=f"{year}年奖补筛查（免申即享）"):
                result = services.incentives_scan(actor=None, year=year)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        proposals = (Proposal.objects.filter(year=year).select_related("project", "unit")
                     .order_by("unit__sort_order", "rule", "project_id"))
        rows = [{"id": p.pk, "project": p.project_id, "project_name": p.project.name, "unit": p.unit.code,
                 "rule": p.rule, "status": p.status, "amount_wan": rules.number(p.amount_wan),
                 "cap_wan": rules.number(p.cap_wan), "years": p.years, "clause": p.clause,
                 "facts": (p.facts or {}).get("items", []), "reasons": p.reasons} for p in proposals]
        if options["json"]:
            self.stdout.write(json.dumps({**result, "proposals": rows}, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{year}年奖补筛查（免申即享）：发现{result['found']}条线索，新增{result['created']}条，"
                          f"更新{result['updated']}条，未变{result['unchanged']}条，已处理保留{result['decided_kept']}条")
        for r in rows:
            amount = "待核定" if r["amount_wan"] is None else f"{r['amount_wan']}万元"
            self.stdout.write(f"[{services.RULE_NAMES[r['rule']]}] {r['unit']} {r['project_name']}（#{r['project']}）"
                              f" 金额：{amount} 上限：{r['cap_wan']}万元 依据：{r['clause']}")
            for f in r["facts"]:
                self.stdout.write(f"    {f['label']}：{f['value']}")
