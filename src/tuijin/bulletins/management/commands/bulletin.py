"""`tuijin bulletin --period YYYY-MM -o FILE.docx [--xlsx FILE.xlsx] [--quarterly] [--json]` (通报).

Writes the Word bulletin (and the Excel workbook) for the month from the official statistics and
the approved monthly reports; ``--quarterly`` adds the quarter's composite evaluation and awards
(quarter-end months only). The files are also kept under ``MEDIA_ROOT/bulletins`` as a ``Bulletin``
with the plan file's hash (audited, source ``cli``), so they appear on the bulletins page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.bulletins import services
from tuijin.orgs.models import User
from tuijin.toolkit import fields
from tuijin.toolkit.errors import ApplicationError, ValidationFailed
from tuijin.toolkit.periods import parse_period


class Command(BaseCommand):
    help = "生成扩大有效投资工作通报（Word，可同时生成 Excel 附表）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="统计期，YYYY-MM（如 2022-06）")
        parser.add_argument("-o", "--output", required=True, help="Word 文件路径（.docx）")
        parser.add_argument("--xlsx", default="", help="Excel 附表路径（.xlsx，可选）")
        parser.add_argument("--quarterly", action="store_true", help="季度通报：增加综合评价和奖励（季末月份）")
        parser.add_argument("--date", default="", help="印发日期，YYYY-MM-DD（省略时为今天）")
        parser.add_argument("--as", dest="username", default="", help="以该用户的身份生成（省略时以系统身份）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, month = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        docx = Path(options["output"])
        if docx.suffix.lower() != ".docx":
            raise CommandError("-o 应为 .docx 文件路径", returncode=2)
        xlsx = Path(options["xlsx"]) if options["xlsx"] else None
        if xlsx is not None and xlsx.suffix.lower() != ".xlsx":
            raise CommandError("--xlsx 应为 .xlsx 文件路径", returncode=2)
        issued_on = None
        if options["date"]:
            try:
                issued_on = fields.date(options["date"], field="date",
                                        message="印发日期应为 YYYY-MM-DD 格式，实际为“{text}”")
            except ValidationFailed as exc:
                raise CommandError(exc.message, returncode=2) from None
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用", returncode=1)
        try:
            with audit_context(source="cli", actor=actor, reason=f"生成通报 {options['period']}"):
                bulletin = services.bulletin_generate(actor=actor, year=year, month=month,
                                                      quarterly=options["quarterly"], check_actor=actor is not None,
                                                      issued_on=issued_on)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None
        services.copy_out(bulletin, docx=docx, xlsx=xlsx)
        result = {**services.result_dict(bulletin), "output": str(docx), "output_xlsx": str(xlsx) if xlsx else None}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"已生成{'季度' if options['quarterly'] else '月度'}通报：{docx}"
                              + (f"，Excel 附表：{xlsx}" if xlsx else "")
                              + f"（存档编号 {bulletin.pk}，方案文件 {bulletin.plan_hash[:12]}）")
