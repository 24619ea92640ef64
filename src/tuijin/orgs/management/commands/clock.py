"""`tuijin clock [--set YYYY-MM-DD | --real] [--as USER] [--json]`: the business date the platform runs at.

Without an option it prints the clock. ``--set`` runs the platform at that date (deadlines, lateness,
overdue ladders and default periods follow it), ``--real`` returns it to the real date. Both are
audited. In local mode anyone at the console may set it; in production only the system administrator,
named with ``--as`` (the access policy's ``set_business_date``).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.toolkit import clock
from tuijin.toolkit.console import parse_day


def describe(state: clock.ClockState) -> dict[str, Any]:
    return {"business_date": state.day.isoformat() if state.day else None,
            "today": clock.today().isoformat(), "real_date": clock.real_today().isoformat(),
            "demo": state.demo, "set_by": state.set_by,
            "set_at": state.set_at.isoformat() if state.set_at else None}


class Command(BaseCommand):
    help = "查看或设置业务日期（平台按哪一天运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--set", dest="day", default="", metavar="YYYY-MM-DD", help="按该业务日期运行")
        group.add_argument("--real", action="store_true", help="恢复为实际日期")
        parser.add_argument("--as", dest="username", default="", help="执行设置的用户（生产环境须为系统管理员）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["day"] or options["real"]:
            self.change(options)
        state = clock.state()
        if options["json"]:
            self.stdout.write(json.dumps(describe(state), ensure_ascii=False))
        elif state.is_set:
            self.stdout.write(f"业务日期：{state.day.isoformat()}（实际日期 {clock.real_today().isoformat()}；"
                              f"{'演示数据' if state.demo else '设置人 ' + (state.set_by or '系统')}）")
        else:
            self.stdout.write(f"业务日期：实际日期 {clock.real_today().isoformat()}")

    def change(self, options: dict[str, Any]) -> None:
        actor: Any = policy.SYSTEM
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用")
        if not policy.can(actor, "set_business_date"):
            raise CommandError("生产环境中只有系统管理员可以设置业务日期：请用 --as 指定系统管理员账户")
        by = "" if policy.is_system(actor) else actor.username
        with audit_context(source="cli", actor=None if policy.is_system(actor) else actor,
                           reason="设置业务日期" if options["day"] else "恢复实际日期"):
            if options["day"]:
                clock.set_business_date(parse_day(options["day"]), by=by)
            else:
                clock.use_real_date(by=by)
