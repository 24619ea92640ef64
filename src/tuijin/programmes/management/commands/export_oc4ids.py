"""`tuijin export-oc4ids [--unit CODE] [--as USER] -o FILE.json`: the project library as an OC4IDS 0.9.5
project package (public fields only), in USER's scope (without ``--as``: every unit, as the system)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit import services as audit
from tuijin.audit.context import audit_context
from tuijin.orgs.models import Org, User
from tuijin.programmes.oc4ids import oc4ids_projects, project_package
from tuijin.projects.models import Project


class Command(BaseCommand):
    help = "导出 OC4IDS 0.9.5 项目数据包（JSON，仅公开字段）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", default="", help="只导出该报送单位的项目（单位代码，如 jinshui）")
        parser.add_argument("--as", dest="username", default="", help="以该用户的权限范围导出（省略时导出全部单位）")
        parser.add_argument("-o", "--output", required=True, help="输出的 .json 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = options["unit"].strip()
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
            if user is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用")
        if unit and not Org.objects.reporting_units().filter(code=unit).exists():
            raise CommandError(f"未知的报送单位“{unit}”")
        if user is not None:
            projects = oc4ids_projects(user=user, unit=unit or None)
        else:
            projects = Project.objects.select_related("unit").order_by("unit__sort_order", "id")
            if unit:
                projects = projects.filter(unit__code=unit)
        if not projects.exists():
            raise CommandError("没有可导出的项目（或该单位不在您的查看范围内）")
        package = project_package(user=user, unit=unit or None, projects=projects)
        path = Path(options["output"])
        path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
        with audit_context(source="cli", actor=user, reason="导出 OC4IDS 项目数据包"):
            audit.record(action="export", object_type="projects.project", object_repr=path.name,
                         after={"format": "oc4ids", "unit": unit, "projects": len(package["projects"])})
        self.stdout.write(f"已导出 {len(package['projects'])} 个项目（OC4IDS {package['version']}）到 {path}")
