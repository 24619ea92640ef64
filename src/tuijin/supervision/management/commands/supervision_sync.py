"""`tuijin supervision-sync [--today DATE] [--json]`: turn every supervision source's items into tasks,
each (kind, key) exactly once (三(三))."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.supervision import services, sources
from tuijin.toolkit.console import parse_today
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "从各来源（末位约谈、逾期问题、债券约谈、招商停滞等）生成督办任务，每个来源事项只生成一次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="按该日期运行，YYYY-MM-DD（省略时为今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_today(options["today"])
        try:
            with audit_context(source="cli", reason=f"生成督办任务 {today.isoformat()}"):
                result = services.tasks_sync(today=today)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None
        body = {"today": today.isoformat(), **result.as_dict()}
        if options["json"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        for kind, n in sorted(result.created.items()):
            self.stdout.write(f"{sources.kind_label(kind)}：新生成 {n} 项，已有 {result.existing.get(kind, 0)} 项")
        for error in result.errors:
            self.stderr.write(error)
