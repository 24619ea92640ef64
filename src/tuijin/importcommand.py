"""What the spreadsheet-import commands share: ``--as/--dry-run/--json``, the acting user,
the file check, the report or JSON output, and the exit status (0 clean, 1 otherwise)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.orgs.models import User
from tuijin.toolkit.spreadsheets import ImportIssues, refusal


class ImportCommand(BaseCommand):
    #: Help text of ``--as`` (who may import differs per importer).
    as_help = "以该用户的身份和权限范围导入（省略时以系统身份导入）"

    def add_common_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", default="", help=self.as_help)
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def actor_and_file(self, options: dict[str, Any]) -> tuple[User | None, Path]:
        """The acting user (None: the system) and the file, or a refusal naming what is wrong."""
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                self.refuse(f"用户“{options['username']}”不存在或已停用", options["json"])
        path = Path(options["file"])
        if not path.is_file():
            self.refuse(f"文件 {path} 不存在", options["json"])
        return user, path

    def finish(self, result: ImportIssues, as_json: bool) -> None:
        """Print the report (or the JSON) and exit non-zero when the file had errors."""
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            for line in result.report_lines():
                self.stdout.write(line)
        if not result.ok:
            raise CommandError(f"导入未通过：共 {result.error_count} 处错误，未写入任何数据", returncode=1)

    def refuse(self, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(refusal(message), ensure_ascii=False, indent=2))
        raise CommandError(message, returncode=1)
