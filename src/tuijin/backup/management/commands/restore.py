"""`tuijin restore FILE [--yes] [--json]`: replace the database with a backup; refuses a corrupted file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit import services as audit
from tuijin.audit.chain import verify
from tuijin.audit.context import audit_context
from tuijin.backup.services import read_backup, restore_from, table_counts
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "从备份文件恢复整个数据库（覆盖现有数据）；文件损坏、被篡改或密钥不符时拒绝恢复。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--check", action="store_true", help="只校验文件，不恢复")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据（不加此项只校验）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if options["check"] or not options["yes"]:
                header, _ = read_backup(path)
                self._out(options, {"restored": False, "checked": True, "counts": header["counts"]},
                          f"备份文件完好（{header['engine']}，{header['created']}）。加 --yes 以覆盖现有数据并恢复。")
                return
            header = restore_from(path)
            counts = table_counts()
            chain = verify()
            different = {t: (n, counts.get(t)) for t, n in header["counts"].items() if counts.get(t) != n}
            with audit_context(source="cli", reason="tuijin restore"):
                audit.record(action="import", object_type="backup", object_repr=path.name[:255],
                             after={"file": path.name, "sha256": header["body_sha256"],
                                    "rows": sum(header["counts"].values())})
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if different or not chain.ok:
            raise CommandError(f"恢复后核对不符：行数 {different}；审计链问题 {chain.problems[:5]}")
        self._out(options, {"restored": True, "counts": counts, "audit_chain_ok": chain.ok},
                  f"已从 {path} 恢复：{len(counts)} 张表、{sum(counts.values())} 行，行数与备份一致，审计日志哈希链完整。")

    def _out(self, options: dict[str, Any], data: dict[str, Any], text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False) if options["json"] else text)
