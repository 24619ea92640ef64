"""`tuijin export-projects --as USER -o FILE.xlsx [filters]`: the project library as Excel, in USER's scope."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.projects import selectors
from tuijin.projects.exports import write_projects_xlsx


class Command(BaseCommand):
    help = "按用户权限范围导出项目库（Excel）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="以该用户的权限范围导出")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
        for name in selectors.LIST_FILTERS:
            parser.add_argument(f"--{name}", default="")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在或已停用")
        filters = {k: options[k] for k in selectors.LIST_FILTERS if options.get(k)}
        if filters.get("unit") and not policy.can(user, "view_unit", filters["unit"]):
            raise CommandError(f"单位“{filters['unit']}”不在用户“{user.username}”的查看范围内")
        path = Path(options["output"])
        with audit_context(source="cli", actor=user, reason="导出项目库"):
            with path.open("wb") as out:
                rows = write_projects_xlsx(selectors.project_list(user=user, filters=filters).iterator(chunk_size=2000),
                                           out)
            with path.open("rb") as written:
                audit.record_file(action="export", object_type="projects.project", file_name=path.name,
                                  fileobj=written, rows=rows, extra={"filters": filters})
        self.stdout.write(f"已导出 {rows} 个项目到 {path}")
