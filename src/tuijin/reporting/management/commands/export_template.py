"""`tuijin export-template progress --period YYYY-MM --unit CODE -o FILE.xlsx [--as USERNAME]` (二(七)20).

Writes the unit's monthly progress template (reporting.workbook). With ``--as`` the
unit must be in that user's scope; without it the system acts, city-wide, and the
export is audited with source ``cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.reporting.periods import period_open
from tuijin.reporting.workbook import TEMPLATE_KIND, write_progress_template
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "导出单位月度进展填报模板（Excel），预填该单位本期应报项目"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[TEMPLATE_KIND], help="模板种类：progress（月度投资进展）")
        parser.add_argument("--period", required=True, help="报送期，YYYY-MM（如 2022-07）")
        parser.add_argument("--unit", required=True, help="报送单位代码（如 jinshui）")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
        parser.add_argument("--as", dest="username", default="",
                            help="以该用户的权限范围导出（省略时以系统身份、全市范围导出）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用")
        unit = Org.objects.filter(code=options["unit"]).first()
        if unit is None or not unit.is_reporting_unit:
            raise CommandError(f"报送单位“{options['unit']}”不存在")
        if not policy.can(policy.acting(user), "view_unit", unit):
            raise CommandError(f"单位“{unit.name}”不在用户“{user.username}”的权限范围内")
        path = Path(options["output"])
        try:
            with audit_context(source="cli", actor=user, reason=f"导出{unit.name}{options['period']}月度进展模板"):
                period = period_open(options["period"])
                with path.open("wb") as out:
                    rows = write_progress_template(user=policy.acting(user), unit=unit, period=period, out=out)
        except ApplicationError as exc:
            path.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        self.stdout.write(f"已导出{unit.name}{period.code}月度进展模板：{rows} 个项目 → {path}")
