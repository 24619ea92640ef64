"""`tuijin import-statistics-inclusion FILE [--as USER] [--dry-run] [--json]` (二(七)19).

The statistics bureau's list of included projects (列：项目代码［、入库日期］): every row is checked,
every error listed as ``第N行 列名：原因``; a clean file marks the projects included in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from tuijin.audit.context import audit_context
from tuijin.importcommand import ImportCommand
from tuijin.programmes.importing import import_inclusion
from tuijin.toolkit.errors import ApplicationError


class Command(ImportCommand):
    help = "导入统计局入库纳统名单（Excel：项目代码、入库日期）：先校验全部数据，无错误时一次写入"
    as_help = "以该用户的身份导入（须为统计局或市发展改革委用户；省略时以系统身份导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx 文件，列：项目代码［、入库日期］")
        self.add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        user, path = self.actor_and_file(options)
        try:
            with audit_context(source="cli", actor=user, reason=f"导入入库纳统名单 {path.name}"):
                result = import_inclusion(actor=user, path=path, dry_run=options["dry_run"])
        except ApplicationError as exc:
            self.refuse(exc.message, as_json)
        self.finish(result, as_json)
