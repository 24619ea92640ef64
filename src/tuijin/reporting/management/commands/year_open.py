"""`tuijin year-open YEAR [--dry-run] [--json] [--as USERNAME]`: open a year from its own plan (issue 15).

Refused (exit 1, a Chinese message, nothing changed) without a plan file of YEAR for the city, and when
YEAR is already open (the first plan year is open from the start). Opens YEAR's 12 reporting periods
(deadlines from YEAR's plan), records the year with its plan id and hash, lists the units' targets of
YEAR's plan and the carried-over projects that lack a YEAR annual plan (not in YEAR's reporting scope
until they have one), and tells the apps above (``reporting.signals.year_opened``). ``--dry-run`` shows
the same and writes nothing. Audited.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.audit.context import audit_context
from tuijin.orgs.models import User
from tuijin.reporting.years import YearOpening, year_open
from tuijin.toolkit.errors import ApplicationError

#: How many projects without an annual plan the text output names (``--json`` lists them all).
SHOWN = 20


class Command(BaseCommand):
    help = "开启新的年度：按该年度方案打开12个报送期和各单位目标，结转在建、拟开工项目"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年度，如 2023")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--as", dest="username", default="", help="执行的用户（须为市发展改革委；省略时以系统身份）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户“{options['username']}”不存在或已停用")
        year = options["year"]
        try:
            with audit_context(source="cli", actor=user, reason=f"开启{year}年"):
                opening = year_open(actor=user, year=year, dry_run=options["dry_run"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(opening.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_text(opening))


def _text(opening: YearOpening) -> str:
    head = "（试运行，未写入）" if opening.dry_run else ""
    missing = opening.without_annual_plan
    lines = [
        f"{'将开启' if opening.dry_run else '已开启'}{opening.year}年{head}：方案 {opening.plan_id}"
        f"（{opening.plan_hash[:12]}）",
        f"报送期 {opening.periods[0]} 至 {opening.periods[-1]}，新建 {opening.periods_created} 个。",
        "各单位固定资产投资增长目标：" + "，".join(
            f"{code} {targets.get('unit_fai_growth', '—')}%" for code, targets in opening.unit_targets.items()),
        f"结转项目（在建、拟开工）{opening.carried_projects} 个：已有{opening.year}年度计划 {opening.with_annual_plan} 个，"
        f"缺少 {len(missing)} 个（补报年度计划后才纳入{opening.year}年月报）。",
    ]
    for row in missing[:SHOWN]:
        lines.append(f"  {row['unit_name']}  {row['project_code'] or '（无代码）'}  {row['name']}")
    if len(missing) > SHOWN:
        lines.append(f"  ……另有 {len(missing) - SHOWN} 个，完整名单见 --json 或“缺少年度计划的项目”页面")
    return "\n".join(lines)
