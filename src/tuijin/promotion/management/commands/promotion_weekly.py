"""`tuijin promotion-weekly --week 2022-W23 [--unit CODE] [--as USER] [--json] [-o FILE.docx|.xlsx]`.

The weekly report (周报告, 二(四)11) generated from the week's deal moves, in USER's scope.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.orgs.commands import acting_principal
from tuijin.promotion import selectors
from tuijin.promotion.exports import weekly_paragraphs, weekly_rows, write_weekly_docx, write_weekly_xlsx
from tuijin.promotion.reports import weekly_json
from tuijin.toolkit.console import text_table
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "招商引资周报告：本周各招商项目的推进情况（二(四)11 周报告）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", required=True, help="ISO 周次，如 2022-W23")
        parser.add_argument("--unit", default=None, help="只看一个报送单位")
        parser.add_argument("--as", dest="username", default="", help="以该用户的身份和权限范围查看")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("-o", "--output", default="", help="另存为 .docx 或 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_principal(options["username"])
        try:
            report = selectors.weekly_report(user=user, week=options["week"], unit=options["unit"])
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        if options["output"]:
            path = Path(options["output"])
            with path.open("wb") as out:
                if path.suffix.lower() == ".xlsx":
                    write_weekly_xlsx(report, out)
                else:
                    write_weekly_docx(report, out)
        if options["json"]:
            self.stdout.write(json.dumps(weekly_json(report), ensure_ascii=False, indent=2))
            return
        for line in weekly_paragraphs(report):
            self.stdout.write(line)
        rows = [[r[0], r[1], r[2], f"{r[4]:,.2f}", r[5], r[6]] for r in weekly_rows(report)]
        if rows:
            for line in text_table(["日期", "单位", "项目名称", "金额（亿元）", "由", "推进至"], rows, right=(3,)):
                self.stdout.write(line)
