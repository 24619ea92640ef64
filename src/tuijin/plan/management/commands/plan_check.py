"""``tuijin plan-check [FILE] [--json]``: validate a plan file, or every file of the plans directory (DESIGN §3).

With FILE: prints a one-screen Chinese summary (document, units, main targets, rules with their
clauses, sha256). Without: checks every file in ``TUIJIN_PLANS_DIR``, that no two base plans claim the
same city and year, that every amendment names a base plan of its city and year, and prints one line
per plan. Valid: exit 0. Invalid: every error as ``path: message`` on stderr, exit 1.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuijin.plan import PlanSet, load_directory
from tuijin.plan.loader import PlanError, load_plan
from tuijin.plan.schema import Plan, Target

# Shown in the summary when present; the rest are counted (`--json` lists all).
MAIN_TARGETS = (
    "fai_growth",
    "unit_fai_growth",
    "industrial_growth",
    "infrastructure_growth",
    "real_estate_growth",
    "key_projects",
    "key_project_investment",
    "new_starts",
    "approval_items",
    "bond_amount",
    "deal_signed_amount",
)
UNIT_SUFFIX = {"percent": "%", "count": " 个", "yi": " 亿元", "wan": " 万元"}
RULES_PER_LINE = 3


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _target_text(target: Target) -> str:
    return f"{target.label} ≥ {_number(target.value)}{UNIT_SUFFIX[target.unit]}〔{target.source}〕"


class Command(BaseCommand):
    help = "校验方案文件并打印摘要（validate a plan file and print its summary）"
    # The active plan may be the broken one being checked: do not let the
    # system check stop this command before it can explain the errors.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="方案文件路径（省略时校验方案目录 TUIJIN_PLANS_DIR 中的全部方案）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（machine-readable output）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"]:
            self.check_directory(Path(settings.TUIJIN_PLANS_DIR), options["json"])
            return
        path = Path(options["file"])
        try:
            plan = load_plan(path)
        except PlanError as exc:
            if options["json"]:
                self.stdout.write(json.dumps(self._errors_json(path, exc), ensure_ascii=False, indent=2))
            else:
                for issue in exc.errors:
                    self.stderr.write(str(issue))
            raise CommandError(
                f"方案文件 {path} 校验未通过：共 {len(exc.errors)} 处错误（invalid plan file）", returncode=1
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(self._plan_json(path, plan), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(self._summary(path, plan)))

    def check_directory(self, directory: Path, as_json: bool) -> None:
        try:
            found = load_directory(directory)
        except PlanError as exc:
            if as_json:
                self.stdout.write(json.dumps(self._errors_json(directory, exc), ensure_ascii=False, indent=2))
            else:
                for issue in exc.errors:
                    self.stderr.write(str(issue))
            raise CommandError(f"方案目录 {directory} 校验未通过：共 {len(exc.errors)} 处错误（invalid plans）",
                               returncode=1) from None
        if as_json:
            self.stdout.write(json.dumps(self._directory_json(found), ensure_ascii=False, indent=2))
            return
        lines = [self.style.SUCCESS(f"方案目录校验通过：{directory}（{len(found.plans)} 个方案，"
                                    f"城市 {len(found.cities())} 个）")]
        for plan in found.plans:
            meta = plan.meta
            kind = f"修订 {meta.amends}，{meta.effective.isoformat()} 起施行" if meta.amends else "基础方案"
            lines.append(f"  {meta.city} {meta.year} 年 {meta.id}（{kind}）：{found.files[meta.id].name}；"
                         f"报送单位 {len(plan.units)} 个；目标 {len(plan.targets)} 项；SHA-256 {plan.hash[:12]}")
        self.stdout.write("\n".join(lines))

    def _directory_json(self, found: PlanSet) -> dict[str, Any]:
        return {"valid": True, "directory": str(found.directory), "cities": found.cities(),
                "plans": [self._plan_json(found.files[plan.meta.id], plan) for plan in found.plans]}

    def _summary(self, path: Path, plan: Plan) -> list[str]:
        meta = plan.meta
        districts = sum(1 for unit in plan.units if unit.kind == "district")
        zones = len(plan.units) - districts
        lines = [
            self.style.SUCCESS(f"方案文件校验通过：{path}"),
            f"{meta.city} {meta.year} 年《{meta.title}》（{meta.document_number}，{meta.issued.isoformat()} 印发）",
            f"报送单位 {len(plan.units)} 个（区县（市）{districts} 个、开发区 {zones} 个）；市直部门 {len(plan.departments)} 个；"
            f"领域 {len(plan.fields)} 个；项目类别 {len(plan.categories)} 个；主导产业 {len(plan.leading_industries)} 个",
            "主要目标：",
        ]
        shown = [name for name in MAIN_TARGETS if name in plan.targets]
        lines += [f"  {_target_text(plan.targets[name])}" for name in shown]
        rest = len(plan.targets) - len(shown)
        overrides = sum(len(values) for values in plan.unit_overrides.values())
        lines.append(f"  另有目标 {rest} 项；单位目标调整 {overrides} 项（--json 查看全部）")
        rules = [f"{rule.label}〔{rule.source}〕" for _, rule in plan.rules if rule is not None]
        lines.append(f"规则 {len(rules)} 项：")
        for start in range(0, len(rules), RULES_PER_LINE):
            lines.append("  " + "；".join(rules[start : start + RULES_PER_LINE]))
        lines.append(f"SHA-256：{plan.hash}")
        return lines

    @staticmethod
    def _plan_json(path: Path, plan: Plan) -> dict[str, Any]:
        meta = plan.meta
        return {
            "valid": True,
            "file": str(path),
            "sha256": plan.hash,
            "meta": {
                "id": meta.id,
                "year": meta.year,
                "city": meta.city,
                "title": meta.title,
                "document_number": meta.document_number,
                "issued": meta.issued.isoformat(),
                "amends": meta.amends,
                "effective": meta.effective.isoformat() if meta.effective else None,
            },
            "counts": {
                "units": len(plan.units),
                "departments": len(plan.departments),
                "fields": len(plan.fields),
                "categories": len(plan.categories),
                "leading_industries": len(plan.leading_industries),
                "clauses": len(plan.clauses),
            },
            "targets": {
                name: {
                    "value": str(target.value),
                    "unit": target.unit,
                    "label": target.label,
                    "source": target.source,
                }
                for name, target in plan.targets.items()
            },
            "unit_overrides": {
                unit: {name: str(value) for name, value in values.items()}
                for unit, values in plan.unit_overrides.items()
            },
            "rules": {name: {"label": rule.label, "source": rule.source} for name, rule in plan.rules if rule is not None},
        }

    @staticmethod
    def _errors_json(path: Path, exc: PlanError) -> dict[str, Any]:
        return {
            "valid": False,
            "file": str(path),
            "errors": [
                {"path": issue.path, "message": issue.message, "line": issue.line, "column": issue.column}
                for issue in exc.errors
            ],
        }
