"""`tuijin demo [--reset] [--projects N | --small] [--seed S] [--logins] [--json]`: load the demo data (DESIGN §7)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.demo.generate import DEMO_PASSWORD, DEMO_PROJECTS, DEMO_SEED
from tuijin.demo.load import MARKER_USERNAME, DemoResult, demo_loaded, load_demo
from tuijin.demo.logins import TAG_LABELS_ZH, demo_logins, format_logins, label_zh
from tuijin.plan import PlanError
from tuijin.projects.models import Stage, Tag
from tuijin.projects.rules import STAGE_LABELS
from tuijin.toolkit.errors import ApplicationError
from tuijin.toolkit.money import format_yi

MIN_PROJECTS = 100


class Command(BaseCommand):
    help = "加载演示数据：郑州市2022年的组织机构、演示账号和约5000个项目（固定随机种子，每次相同）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help="先删除全部业务数据（项目、用户、组织机构；审计日志只能追加，保留），再重新加载")
        parser.add_argument("--projects", type=int, default=DEMO_PROJECTS,
                            help=f"项目个数（默认 {DEMO_PROJECTS}，按比例缩放各类标签数；至少 {MIN_PROJECTS}）")
        parser.add_argument("--small", action="store_true",
                            help=f"精简演示数据（{MIN_PROJECTS} 个项目，供测试使用，如年度结转测试）")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=f"随机种子（默认 {DEMO_SEED}）")
        parser.add_argument("--logins", action="store_true", help="只打印演示账号表，不加载数据")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            if options["logins"]:
                if as_json:
                    self._json({"password": DEMO_PASSWORD, "logins": [vars(x) for x in demo_logins()]})
                else:
                    self.stdout.write(format_logins())
                return
            if options["small"]:
                options["projects"] = MIN_PROJECTS
            if options["projects"] < MIN_PROJECTS:
                raise CommandError(f"--projects 应不少于 {MIN_PROJECTS}，实际为 {options['projects']}")
            if not options["reset"] and demo_loaded():
                message = (f"演示数据已加载（用户 {MARKER_USERNAME} 已存在），未做任何修改。"
                           "如需重新加载，请运行 tuijin demo --reset。")
                if as_json:
                    self._json({"loaded": False, "message": message})
                else:
                    self.stdout.write(message)
                return
            log = (lambda _line: None) if as_json else self.stdout.write
            result = load_demo(seed=options["seed"], projects=options["projects"], reset=options["reset"], log=log)
        except PlanError as exc:
            raise CommandError(str(exc)) from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if as_json:
            self._json({"loaded": True, **vars(result), "password": DEMO_PASSWORD})
            return
        self.stdout.write(self.style.SUCCESS(_summary(result)))
        self.stdout.write(format_logins())

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _summary(result: DemoResult) -> str:
    total = sum(result.stages.values())
    stages = "，".join(f"{STAGE_LABELS.get(s, s)} {result.stages.get(s, 0)}" for s in Stage.values)
    tags = "，".join(f"{label_zh(Tag(t).label, TAG_LABELS_ZH.get(t, t))} {result.tags.get(t, 0)}"
                    for t in Tag.values)
    others = "，".join(f"{result.labels.get(k, k)} {n}" for k, n in result.counts.items() if k != "projects")
    lines = [
        f"演示数据加载完成，用时 {result.seconds:.1f} 秒（其中生成 {result.generate_seconds:.1f} 秒）。",
        f"项目 {total} 个：{stages}。",
        f"标签：{tags}。",
        f"重点项目 {result.key_projects} 个，{result.plan_year}年计划投资 {format_yi(result.key_plan_yuan)} 亿元；"
        f"已入库纳统项目 {result.in_statistics} 个。",
        f"其他：{others}。",
    ]
    return "\n".join(lines)
