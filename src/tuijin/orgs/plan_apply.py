"""The organisation tree from a plan file: the city, its departments and its reporting units (issue 15).

:func:`plan_apply` makes the ``Org`` table say what a plan says — ``meta.city`` for the city,
``departments`` and ``units`` in the plan's order — so the platform runs for the city the plan belongs
to. It is idempotent (a second run changes nothing and writes nothing), every created or changed org
is audited (before/after, one entry per row), and a dry run computes the same report without writing.

An org the plan no longer lists is not deleted: its projects, reports and results have history. It
is reported as "不在方案中" and left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tuijin.plan import Plan, PlanError
from tuijin.plan import city as platform_city
from tuijin.toolkit.errors import ValidationFailed

from .models import REPORTING_KINDS, Org, OrgKind
from .services import CITY_CODE

#: The kinds of the report, in order, with their Chinese names.
KINDS: dict[str, str] = {"city": "城市", "department": "市直部门", "unit": "报送单位"}
#: The fields of an org a plan decides.
PLAN_FIELDS = ("name", "short_name", "kind", "division_code", "lon", "lat", "sort_order", "parent")
#: Departments sort after the reporting units (the units' order is the plan's reporting order).
DEPARTMENT_SORT_START = 100


@dataclass
class KindReport:
    """What applying the plan does to one kind of org (codes; ``updated`` with each field's before/after)."""

    created: list[str] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_plan: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "not_in_plan": len(self.not_in_plan)}


@dataclass
class PlanApplyReport:
    plan_id: str
    city: str
    sha256: str
    dry_run: bool
    kinds: dict[str, KindReport] = field(default_factory=lambda: {kind: KindReport() for kind in KINDS})
    names: dict[str, str] = field(default_factory=dict)  # code → name, for the report

    @property
    def changed(self) -> bool:
        return any(report.created or report.updated for report in self.kinds.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id, "city": self.city, "sha256": self.sha256, "dry_run": self.dry_run,
            "changed": self.changed,
            "summary": {kind: report.counts() for kind, report in self.kinds.items()},
            "kinds": {kind: {"created": r.created, "updated": r.updated, "unchanged": r.unchanged,
                             "not_in_plan": r.not_in_plan} for kind, r in self.kinds.items()},
        }

    def report_lines(self) -> list[str]:
        """The Chinese report of the command line."""
        lines = [f"按方案 {self.plan_id}（{self.city}）{'试运行' if self.dry_run else '更新'}组织机构："]
        verb = "将" if self.dry_run else ""
        for kind, label in KINDS.items():
            r = self.kinds[kind]
            lines.append(f"  {label}：{verb}新增 {len(r.created)} 个，{verb}更新 {len(r.updated)} 个，"
                         f"无变化 {len(r.unchanged)} 个" + (f"，不在方案中 {len(r.not_in_plan)} 个" if r.not_in_plan else ""))
        for kind, label in KINDS.items():
            r = self.kinds[kind]
            if r.created:
                lines.append(f"  {verb}新增{label}：" + "、".join(f"{self.names[c]}（{c}）" for c in r.created))
            for item in r.updated:
                changes = "；".join(f"{name} {_shown(c['before'])} → {_shown(c['after'])}"
                                   for name, c in item["changes"].items())
                lines.append(f"  {verb}更新{label} {item['name']}（{item['code']}）：{changes}")
            if r.not_in_plan:
                lines.append(f"  不在方案中（保留，未删除）的{label}："
                             + "、".join(f"{self.names[c]}（{c}）" for c in r.not_in_plan))
        if self.dry_run:
            lines.append("（试运行，未写入）")
        elif not self.changed:
            lines.append("组织机构与方案一致，没有需要写入的变化。")
        else:
            lines.append("已写入并记录审计日志。")
        return lines


def _shown(value: Any) -> str:
    return "（空）" if value in (None, "") else str(value)


def _wanted(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    """(kind of the report, field values) of every org the plan names, city first; ``parent`` by code."""
    wanted: list[tuple[str, dict[str, Any]]] = [("city", {
        "code": CITY_CODE, "name": plan.meta.city, "short_name": plan.meta.city, "kind": OrgKind.CITY,
        "division_code": "", "lon": None, "lat": None, "sort_order": 0, "parent": None})]
    for i, unit in enumerate(plan.units):
        lon, lat = unit.centre
        wanted.append(("unit", {
            "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
            "division_code": unit.division_code or "", "lon": float(lon), "lat": float(lat), "sort_order": i,
            "parent": CITY_CODE}))
    for i, department in enumerate(plan.departments):
        wanted.append(("department", {
            "code": department.code, "name": department.name, "short_name": department.name,
            "kind": OrgKind.DEPARTMENT, "division_code": "", "lon": None, "lat": None,
            "sort_order": DEPARTMENT_SORT_START + i, "parent": CITY_CODE}))
    return wanted


def _current(org: Org, codes: dict[int, str]) -> dict[str, Any]:
    values = {name: getattr(org, name) for name in PLAN_FIELDS if name != "parent"}
    values["parent"] = codes.get(org.parent_id) if org.parent_id else None
    return values


def _kind_of(org: Org) -> str:
    if org.kind == OrgKind.CITY:
        return "city"
    return "unit" if org.kind in REPORTING_KINDS else "department"


def check_platform_city(plan: Plan) -> None:
    """Refuse a plan of another city than the platform's (``TUIJIN_CITY`` / the plans directory):
    the org tree and the plans that govern it must be one city's."""
    try:
        name = platform_city()
    except PlanError as exc:
        raise ValidationFailed("方案目录 TUIJIN_PLANS_DIR 无法读取，不能确定平台的城市："
                               + "；".join(str(issue) for issue in exc.errors), field="file") from exc
    if name != plan.meta.city:
        raise ValidationFailed(
            f"方案 {plan.meta.id} 属于{plan.meta.city}，而平台的城市是{name}：请先将该方案文件放入方案目录"
            "（TUIJIN_PLANS_DIR），并设置 TUIJIN_CITY", field="file")


def plan_apply(*, plan: Plan, dry_run: bool = False) -> PlanApplyReport:
    """Create or update the city, its departments and its reporting units from ``plan``.

    Idempotent; each created or changed org is audited (needs an open audit context unless
    ``dry_run``). Orgs the plan does not list are reported (``not_in_plan``) and left alone.
    Refused (:class:`ValidationFailed`) when the plan is not the platform city's.
    """
    check_platform_city(plan)
    report = PlanApplyReport(plan_id=plan.meta.id, city=plan.meta.city, sha256=plan.hash, dry_run=dry_run)
    wanted = _wanted(plan)
    with transaction.atomic():
        existing = {org.code: org for org in Org.objects.select_for_update().order_by("pk")}
        codes = {org.pk: org.code for org in existing.values()}
        listed = {values["code"] for _, values in wanted}
        for kind, values in wanted:
            code = values["code"]
            report.names[code] = values["name"]
            org = existing.get(code)
            if org is None:
                report.kinds[kind].created.append(code)
                if not dry_run:
                    parent = existing.get(values["parent"]) if values["parent"] else None
                    org = Org(**{**values, "parent": parent})
                    _save(org)
                    existing[code], codes[org.pk] = org, code
                continue
            now = _current(org, codes)
            changes = {name: {"before": now[name], "after": values[name]}
                       for name in PLAN_FIELDS if now[name] != values[name]}
            if not changes:
                report.kinds[kind].unchanged.append(code)
                continue
            report.kinds[kind].updated.append({"code": code, "name": values["name"], "changes": changes})
            if not dry_run:
                for name in PLAN_FIELDS:
                    value = values[name]
                    setattr(org, name, (existing.get(value) if value else None) if name == "parent" else value)
                _save(org)
        for org in existing.values():
            if org.code not in listed:
                report.kinds[_kind_of(org)].not_in_plan.append(org.code)
                report.names[org.code] = org.name
    return report


def _save(org: Org) -> None:
    """Validate and save one org (its audit entry, with before and after, is written by the model's recorder)."""
    org.full_clean(validate_unique=False)
    org.save()
