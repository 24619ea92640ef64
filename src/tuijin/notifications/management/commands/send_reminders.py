"""`tuijin send-reminders [--today DATE] [--json]`: one run of the scheduled reminders — the problems'
overdue ladder, supervision tasks from sources, then every reminder due that was not sent before
(each once: running it twice sends nothing new)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuijin.notifications.tasks import run_reminders
from tuijin.toolkit.console import parse_today

KIND_LABELS = {"report_deadline": "报送截止提醒", "report_returned": "报送退回", "problem_assigned": "问题分派",
               "problem_returned": "问题退回", "problem_resolved": "问题待确认", "problem_due": "问题即将到期",
               "problem_escalated": "问题逾期升级", "task_assigned": "督办交办", "task_due": "督办即将到期",
               "task_overdue": "督办逾期", "escalation": "末位约谈"}


class Command(BaseCommand):
    help = "发送到期提醒（报送截止、退回、问题、督办任务、末位约谈）；每条提醒只发送一次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="按该日期运行，YYYY-MM-DD（省略时为今天）")
        parser.add_argument("--no-sync", action="store_true", help="不从来源生成督办任务")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_today(options["today"])
        result = run_reminders(today=today, sync_sources=not options["no_sync"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{today.isoformat()}：问题逾期升级 {result['escalated_problems']} 个；"
                          f"新提醒 {result['notifications_total']} 条")
        for kind, n in sorted(result["notifications"].items()):
            self.stdout.write(f"  {KIND_LABELS.get(kind, kind)}：{n} 条")
