"""`tuijin meeting-agenda --week 2022-W23 -o FILE.docx [--json] [--as USER]`: the weekly scheduling
meeting's agenda (周例会, 二(二)6) as a Word document; ``--json`` prints the agenda's data too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.audit.services import record
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.supervision import meetings
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "生成重大项目建设调度周例会议题（Word）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", required=True, help="ISO 周次，YYYY-Www（如 2022-W23）")
        parser.add_argument("-o", "--output", default="", help="Word 文件路径（.docx）")
        parser.add_argument("--as", dest="username", default="", help="以该用户的权限范围生成（省略时以系统身份）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出议题")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        if output is None and not options["json"]:
            raise CommandError("请用 -o 指定 Word 文件路径（.docx），或使用 --json", returncode=2)
        if output is not None and output.suffix.lower() != ".docx":
            raise CommandError("-o 应为 .docx 文件路径", returncode=2)
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用", returncode=1)
        try:
            data = meetings.agenda(user=policy.acting(actor), week=options["week"])
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None
        if output is not None:
            meetings.write_docx(data, output)
            with audit_context(source="cli", actor=actor, reason=f"导出周例会议题 {options['week']}"):
                record(action="export", object_type="supervision.meeting", object_repr=f"周例会议题 {options['week']}",
                       after={"week": options["week"], "file": str(output)})
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{options['week']} 周例会议题（会议日期 {data['meeting_day']}）已写入 {output}")
        self.stdout.write(f"  新提交问题 {data['new_problems_total']} 个；逾期问题 {data['overdue_problems_total']} 个；"
                          f"滞后重点项目 {len(data['lagging_projects'])} 个；逾期审批事项 {data['overdue_approvals_total']} 项；"
                          f"停滞招商项目 {len(data['stalled_deals'])} 个")
