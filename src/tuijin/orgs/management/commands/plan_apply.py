"""`tuijin plan-apply FILE [--dry-run] [--json]`: the organisation tree from a plan file (issue 15).

Creates or updates the city, its departments and its reporting units from the plan file, audited
(source ``cli``), idempotent; prints how many of each kind were created, updated and left unchanged,
and the orgs the plan no longer lists ("不在方案中": kept, never deleted). ``--dry-run`` writes
nothing and says what would change. A file that does not pass ``tuijin plan-check``: its errors
(as plan-check prints them) and exit status 1, nothing written; so is a plan of another city than
the platform's (``TUIJIN_CITY`` / ``TUIJIN_PLANS_DIR``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.orgs.plan_apply import plan_apply
from tuijin.plan.loader import PlanError, load_plan
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "按方案文件创建或更新组织机构（城市、市直部门、报送单位），记录审计日志"
    # The plans directory may not yet hold the city's file: explain, do not stop at the system check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="方案文件路径（如 plans/zhengzhou-2022.yaml）")
        parser.add_argument("--dry-run", action="store_true", help="试运行：只报告将发生的变化，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            plan = load_plan(path)
        except PlanError as exc:
            if options["json"]:
                self.stdout.write(json.dumps({"valid": False, "file": str(path), "errors": [
                    {"path": i.path, "message": i.message, "line": i.line, "column": i.column} for i in exc.errors
                ]}, ensure_ascii=False, indent=2))
            else:
                for issue in exc.errors:
                    self.stderr.write(str(issue))
            raise CommandError(f"方案文件 {path} 校验未通过：共 {len(exc.errors)} 处错误，组织机构未更改",
                               returncode=1) from None
        try:
            if options["dry_run"]:
                report = plan_apply(plan=plan, dry_run=True)
            else:
                with audit_context(source="cli", reason=f"按方案 {plan.meta.id} 更新组织机构（{path.name}）"):
                    report = plan_apply(plan=plan)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(report.report_lines()))
