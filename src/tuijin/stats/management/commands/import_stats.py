"""`tuijin import-stats FILE --period YYYY-MM [--as USERNAME] [--dry-run] [--json]` (DESIGN §4.6).

Validates the statistics bureau's sheet (单位代码、指标、本年累计（万元）、同比增长（%）[、期间])
and, when there is no error, stores it in one transaction (stats.importing). ``--period`` is the
month of rows without a ``期间`` of their own, so earlier periods (baselines) import the same
way. Prints a Chinese report (errors as ``第N行 列名：原因``, warnings, summary) or, with
``--json``, the same JSON as the API. Exit status 0 when the file is clean, 1 otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.errors import ApplicationError
from tuijin.orgs.models import User
from tuijin.spreadsheets import refusal
from tuijin.stats.importing import StatsImportResult, import_stats


class Command(BaseCommand):
    help = "导入官方统计数据（统计局月度固定资产投资，Excel）：先校验全部数据，无错误时一次写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx 文件，列：单位代码、指标、本年累计（万元）、同比增长（%%）[、期间]")
        parser.add_argument("--period", required=True,
                            help="统计期间 YYYY-MM（如 2022-06）；文件中有“期间”列的行以该列为准")
        parser.add_argument("--as", dest="username", default="",
                            help="以该用户的身份导入（须为统计局或市发展改革委用户；省略时以系统身份导入）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                self._refuse(f"用户“{options['username']}”不存在或已停用", as_json)
        path = Path(options["file"])
        if not path.is_file():
            self._refuse(f"文件 {path} 不存在", as_json)
        try:
            with audit_context(source="cli", actor=user, reason=f"导入官方统计数据 {path.name}"):
                result = import_stats(actor=user, path=path, period_code=options["period"],
                                      dry_run=options["dry_run"], filename=path.name)
        except ApplicationError as exc:
            self._refuse(exc.message, as_json)
        self._print(result, as_json)
        if not result.ok:
            raise CommandError(f"导入未通过：共 {result.error_count} 处错误，未写入任何数据", returncode=1)

    def _print(self, result: StatsImportResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for line in result.report_lines():
            self.stdout.write(line)

    def _refuse(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(refusal(message), ensure_ascii=False, indent=2))
        raise CommandError(message, returncode=1)
