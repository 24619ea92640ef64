"""`tuijin export-financing-needs --as USER -o FILE.xlsx`: the financing-needs list (政银企对接, 二(五)12)
as Excel, in USER's scope (the finance bureau sees every unit, a reporting unit its own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.orgs.models import User
from tuijin.programmes.exports import write_financing_needs_xlsx
from tuijin.programmes.selectors import financing_needs
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "导出重点项目融资需求清单（Excel，政银企对接）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="以该用户的权限范围导出（如 czj）")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在或已停用")
        try:
            rows = financing_needs(user=user)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        path = Path(options["output"])
        with path.open("wb") as out:
            n = write_financing_needs_xlsx(rows, out)
        with audit_context(source="cli", actor=user, reason="导出融资需求清单"):
            audit.record(action="export", object_type="projects.fundingsource", object_repr=path.name,
                         after={"rows": n})
        self.stdout.write(f"已导出融资需求 {n} 个项目到 {path}")
