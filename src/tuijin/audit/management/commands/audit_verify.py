"""`tuijin audit-verify [--json]`: seal new entries, then walk the hash chain over the audit log."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.chain import seal, verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改或删除的审计条目时以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-seal", action="store_true", help="不先把新条目接入哈希链")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = 0 if options["no_seal"] else seal()
        result = verify()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": result.ok, "checked": result.checked, "sealed": sealed,
                                         "head": result.head, "problems": result.problems}, ensure_ascii=False))
        else:
            self.stdout.write(f"新接入哈希链 {sealed} 条；校验 {result.checked} 条；链头 {result.head[:16]}…")
            for problem in result.problems:
                self.stdout.write(problem)
        if not result.ok:
            raise CommandError(f"审计日志哈希链校验失败：{len(result.problems)} 处问题")
        if not options["json"]:
            self.stdout.write("审计日志完整，未发现修改或删除。")
