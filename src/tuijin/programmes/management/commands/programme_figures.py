"""`tuijin programme-figures KEY --as USER [--period YYYY-MM] [--by unit|field|department|category|source] [--json]`:
one programme's figures (the same dict as the page and ``/api/v1/programmes/KEY/``), in USER's scope."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.orgs.models import User
from tuijin.programmes import selectors
from tuijin.toolkit.errors import ApplicationError


class Command(BaseCommand):
    help = "输出项目推进计划的指标（重点项目、联审联批、982、灾后重建、入库纳统、用地、资金、储备）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme", choices=sorted(selectors.FIGURES), help="计划")
        parser.add_argument("--as", dest="username", required=True, help="以该用户的权限范围查看")
        parser.add_argument("--period", default="", help="月份 YYYY-MM（默认最近已审核的报送期）")
        parser.add_argument("--by", default="", help="分组：unit / field / department / category / source")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).select_related("org").first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在或已停用")
        kwargs: dict[str, Any] = {"user": user, "period": options["period"] or None}
        if options["by"]:
            kwargs["by"] = options["by"]
        try:
            data = selectors.FIGURES[options["programme"]](**kwargs)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{data['title']}（截至 {data['as_of']}，序时进度 {data['time_progress']:.2f}%）")
        for t in data["targets"]:
            self.stdout.write(f"  {t['label']}：目标 {t['target']:g}，实际 {t['actual'] if t['actual'] is not None else '—'}"
                              f"〔{t['source']}〕")
        columns = data["columns"]
        self.stdout.write("\t".join(["", *(c["label"] for c in columns)]))
        for row in [*data["rows"], {"name": "合计", **data["total"]}]:
            cells = ["—" if row.get(c["key"]) is None else str(row.get(c["key"])) for c in columns]
            self.stdout.write("\t".join([row["name"], *cells]))
