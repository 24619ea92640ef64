"""`tuijin import-bond-ledger FILE [--as USER] [--dry-run] [--json]`: the bond ledger (专项债券支出台账).

Columns 项目代码、月份（YYYY-MM）、本月支出（万元）; every row is validated first, every error is
listed (``第N行 列名：原因``) and nothing is written when there is one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from tuijin.audit.context import audit_context
from tuijin.bonds.importing import import_ledger
from tuijin.importcommand import ImportCommand
from tuijin.toolkit.errors import ApplicationError


class Command(ImportCommand):
    help = "导入专项债券资金支出台账（全部校验通过才写入）"
    as_help = "以该用户的身份和权限范围导入（报送单位只能导入本单位项目）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx 文件")
        self.add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user, path = self.actor_and_file(options)
        try:
            with audit_context(source="cli", actor=user, reason=f"import-bond-ledger {path.name}"):
                result = import_ledger(actor=user, path=path, dry_run=options["dry_run"])
        except ApplicationError as exc:
            self.refuse(exc.message, options["json"])
        self.finish(result, options["json"])
