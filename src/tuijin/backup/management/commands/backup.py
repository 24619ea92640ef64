"""`tuijin backup -o FILE [--json]`: the whole database, checksummed, encrypted when TUIJIN_BACKUP_KEY is set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.backup.services import backup_to
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "备份整个数据库（SQLite 在线备份 / PostgreSQL pg_dump），带校验和；设置 TUIJIN_BACKUP_KEY 时加密。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="备份文件路径")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        try:
            with audit_context(source="cli", reason="tuijin backup"):
                result = backup_to(path)
                audit.record(action="export", object_type="backup", object_repr=path.name[:255],
                             after={"file": path.name, "sha256": result.sha256, "size": result.size,
                                    "encrypted": result.encrypted, "rows": sum(result.counts.values())})
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(vars(result), ensure_ascii=False))
            return
        self.stdout.write(f"已备份到 {path}（{result.engine}，{result.size} 字节，"
                          f"{'已加密' if result.encrypted else '未加密'}，SHA-256 {result.sha256}）")
