"""Writes to the project library. Each runs in one transaction; the rows record their own audit entries."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, OrgKind, User, may_edit_unit
from tuijin.plan import current_plan
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import NotFound, PermissionRefused, StageMoveRefused, StaleEdit, ValidationFailed

from . import rules
from .models import (
    AnnualPlan,
    ApprovalItem,
    ApprovalStatus,
    InvestmentType,
    Nature,
    Project,
    ProjectTag,
    Stage,
    Tag,
)

#: Sanity bound on one project's money (5000亿 = 50,000,000 万元); larger is a typing error.
MAX_AMOUNT_WAN = Decimal("50000000")

TEXT_FIELDS = ("name", "owner_name", "address", "content", "contact_name", "contact_phone", "leader",
               "green_channel_reason")
DATE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end", "statistics_date")
BOOL_FIELDS = ("in_statistics", "green_channel")
#: Programme fields (二(二)6–7, 二(三)9, 二(五)13): optional; a caller that does not send them changes nothing.
PROGRAMME_FIELDS = ("maturity", "reconstruction_category", "reservoir_name", "land_need_mu", "land_quota_status",
                    "land_priority", "whitelist_quarter", "in_production_on", "at_capacity_on")
EDITABLE = (*TEXT_FIELDS, *DATE_FIELDS, *BOOL_FIELDS, "project_code", "unit", "departments", "owner_uscc",
            "category", "field", "leading_industry", "nature", "investment_type", "total_investment",
            "annual_plans", "lat", "lon", "tags", *PROGRAMME_FIELDS)
WHITELIST_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
MAX_LAND_MU = Decimal("1000000")


def project_snapshot(project: Project) -> dict[str, Any]:
    """The audited state of a project, including tags, departments and annual plans (its audit entries')."""
    return project.audit_snapshot()


# ---------------------------------------------------------------------------
# Validation of input (shared by web form, API and import)

def clean_project_data(*, data: dict[str, Any], actor: User, instance: Project | None = None) -> dict[str, Any]:
    """Check and normalise project input. Raises ``ValidationFailed`` listing every field's problems.

    ``data`` holds only the fields being set; for a new project the required ones must be there.
    Money arrives in 万元 and leaves as integer yuan.
    """
    plan = current_plan()
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    unknown = set(data) - set(EDITABLE)
    for name in sorted(unknown):
        err(name, "未知字段")

    creating = instance is None
    for name in ("name", "unit", "category", "field", "total_investment"):
        if creating and data.get(name) in (None, "", []):
            err(name, "必填")

    for name in TEXT_FIELDS:
        if name in data:
            out[name] = (data[name] or "").strip()
    if "name" in out and not out["name"] and not creating:
        err("name", "项目名称不能为空")
    if "name" in out and len(out["name"]) > 200:
        err("name", "项目名称不超过200字")

    if "project_code" in data:
        code = (data["project_code"] or "").strip().upper() or None
        if code:
            problem = rules.project_code_problem(code)
            if problem:
                err("project_code", problem)
        out["project_code"] = code

    if "owner_uscc" in data:
        value = (data["owner_uscc"] or "").strip().upper()
        if value:
            problem = rules.uscc_problem(value)
            if problem:
                err("owner_uscc", problem)
        out["owner_uscc"] = value

    if data.get("unit") not in (None, ""):
        unit = data["unit"]
        if not isinstance(unit, Org):
            unit = Org.objects.filter(code=str(unit).strip()).first()
        if unit is None or not unit.is_reporting_unit:
            err("unit", f"未知的报送单位“{data['unit']}”，"
                f"应为{Org.objects.reporting_units().count()}个区县（市）/开发区代码之一")
        elif not may_edit_unit(actor, unit):
            err("unit", "只能为本单位录入或调整项目")
        else:
            out["unit"] = unit

    if "departments" in data:
        codes = [str(c.code if isinstance(c, Org) else c).strip() for c in data["departments"] or []]
        found = {o.code: o for o in Org.objects.filter(code__in=codes, kind=OrgKind.DEPARTMENT)}
        missing = [c for c in codes if c not in found]
        if missing:
            err("departments", f"未知的责任部门：{'、'.join(missing)}")
        out["departments"] = [found[c] for c in codes if c in found]

    choice_sets = {
        "category": {c.code for c in plan.categories},
        "field": {f.code for f in plan.fields},
        "leading_industry": {i.code for i in plan.leading_industries} | {""},
        "nature": set(Nature.values),
        "investment_type": set(InvestmentType.values),
    }
    for name, allowed in choice_sets.items():
        if name in data:
            value = (data[name] or "").strip()
            fields.collect(errors, fields.choice, value, field=name, choices=sorted(allowed))
            out[name] = value

    if "total_investment" in data:
        total = fields.collect(errors, fields.money_yuan, data["total_investment"], field="total_investment",
                               maximum_wan=MAX_AMOUNT_WAN)
        if total is not None:
            if total == 0:
                err("total_investment", "总投资应大于0")
            out["total_investment_yuan"] = total

    if "annual_plans" in data:
        plans: dict[int, int] = {}
        for year, amount in (data["annual_plans"] or {}).items():
            try:
                y = int(year)
            except (TypeError, ValueError):
                err("annual_plans", f"年份“{year}”应为4位数字")
                continue
            if not 2000 <= y <= 2100:
                err("annual_plans", f"年份“{year}”超出范围")
                continue
            value = fields.collect(errors, fields.money_yuan, amount, field="annual_plans",
                                   maximum_wan=MAX_AMOUNT_WAN)
            if value is not None:
                plans[y] = value
        out["annual_plans"] = plans
        total = out.get("total_investment_yuan", instance.total_investment_yuan if instance else None)
        if total is not None and sum(plans.values()) > total:
            err("annual_plans", "各年度计划投资之和不能超过总投资")

    for name in DATE_FIELDS:
        if name in data:
            try:
                out[name] = fields.date(data[name], field=name, required=False)
            except ValidationFailed as exc:
                err(name, exc.message)

    for name in BOOL_FIELDS:
        if name in data:
            out[name] = bool(data[name])

    for name, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        if name in data:
            value = data[name]
            if value in (None, ""):
                out[name] = None
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                err(name, "应为数字")
                continue
            if not low <= number <= high:
                err(name, f"应在{low}到{high}之间")
            out[name] = number

    _clean_programme_fields(data, out, err, plan)

    if "tags" in data:
        tags = [str(t).strip() for t in data["tags"] or []]
        bad = [t for t in tags if t not in Tag.values]
        if bad:
            err("tags", f"未知的标签：{'、'.join(bad)}，应为 {'、'.join(Tag.values)} 之一")
        out["tags"] = sorted(set(tags) - set(bad))

    def current(name: str) -> Any:
        if name in out:
            return out[name]
        return getattr(instance, name, None) if instance is not None else None

    for name, message in rules.date_order_problems([
        ("planned_start", current("planned_start"), "planned_end", current("planned_end")),
        ("actual_start", current("actual_start"), "actual_end", current("actual_end")),
    ]).items():
        if name in out:
            err(name, message)
    if out.get("actual_start") and out["actual_start"] > clock.today():
        err("actual_start", "实际开工日期不能晚于今天")
    if out.get("actual_end") and out["actual_end"] > clock.today():
        err("actual_end", "实际竣工日期不能晚于今天")
    if current("green_channel") and not current("green_channel_reason"):
        err("green_channel_reason", "登记绿色通道须填写理由")

    code = out.get("project_code")
    if code and "project_code" not in errors:
        clash = Project.objects.filter(project_code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            err("project_code", f"项目代码“{code}”已被其他项目使用")

    if errors:
        raise ValidationFailed("项目信息有误，请按提示修改", errors=errors)
    return out


def _clean_programme_fields(data: dict[str, Any], out: dict[str, Any], err: Any, plan: Any) -> None:
    """Land, reconstruction, maturity and production milestones, each checked against the plan's codes."""
    code_lists = {
        "maturity": plan.rules.maturity_levels.codes(),
        "reconstruction_category": plan.rules.reconstruction_categories.codes(),
        "land_quota_status": plan.rules.land_quota_statuses.codes() if plan.rules.land_quota_statuses else (),
    }
    for name, allowed in code_lists.items():
        if name in data:
            value = (data[name] or "").strip()
            if value and value not in allowed:
                err(name, f"无效的取值“{value}”，应为 {'、'.join(allowed)} 之一（或留空）")
            out[name] = value
    if "reservoir_name" in data:
        out["reservoir_name"] = (data["reservoir_name"] or "").strip()
        if len(out["reservoir_name"]) > 100:
            err("reservoir_name", "水库名称不超过100字")
    if "whitelist_quarter" in data:
        value = (data["whitelist_quarter"] or "").strip().upper()
        if value and not WHITELIST_QUARTER.match(value):
            err("whitelist_quarter", "白名单季度格式应为 YYYYQn（如 2022Q1）")
        out["whitelist_quarter"] = value
    if "land_need_mu" in data:
        value = data["land_need_mu"]
        if value in (None, ""):
            out["land_need_mu"] = None
        else:
            try:
                mu = Decimal(str(value).strip())
            except InvalidOperation:
                err("land_need_mu", "用地需求应为数字（亩）")
            else:
                if not mu.is_finite() or mu < 0 or mu > MAX_LAND_MU or mu != mu.quantize(Decimal("0.01")):
                    err("land_need_mu", f"用地需求应为0到{MAX_LAND_MU}亩之间、最多两位小数的数字")
                else:
                    out["land_need_mu"] = mu
    if "land_priority" in data:
        value = data["land_priority"]
        if value in (None, ""):
            out["land_priority"] = None
        else:
            try:
                out["land_priority"] = int(value)
                if out["land_priority"] < 1:
                    raise ValueError
            except (TypeError, ValueError):
                err("land_priority", "用地指标优先顺序应为正整数")
    for name in ("in_production_on", "at_capacity_on"):
        if name in data:
            try:
                out[name] = fields.date(data[name], field=name, required=False)
            except ValidationFailed as exc:
                err(name, exc.message)
                continue
            if out[name] and out[name] > clock.today():
                err(name, "日期不能晚于今天")
    if out.get("in_production_on") and out.get("at_capacity_on") and out["at_capacity_on"] < out["in_production_on"]:
        err("at_capacity_on", "达产日期不能早于投产日期")


def _apply(project: Project, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        if name not in ("tags", "departments", "annual_plans"):
            setattr(project, name, value)


def _save_relations(project: Project, cleaned: dict[str, Any]) -> None:
    if "tags" in cleaned:
        ProjectTag.objects.filter(project=project).exclude(tag__in=cleaned["tags"]).delete()
        have = set(ProjectTag.objects.filter(project=project).values_list("tag", flat=True))
        ProjectTag.objects.bulk_create([ProjectTag(project=project, tag=t) for t in cleaned["tags"] if t not in have])
    if "departments" in cleaned:
        project.departments.set(cleaned["departments"])
    if "annual_plans" in cleaned:
        plans = cleaned["annual_plans"]
        AnnualPlan.objects.filter(project=project).exclude(year__in=list(plans)).delete()
        for year, amount in plans.items():
            AnnualPlan.objects.update_or_create(project=project, year=year, defaults={"amount_yuan": amount})


def _fresh(project_id: int) -> Project:
    return Project.objects.select_related("unit").prefetch_related("tag_links", "departments", "annual_plans").get(
        pk=project_id
    )


def project_create(*, actor: User, data: dict[str, Any]) -> Project:
    """Create a project in the reserve library (or the stage the data implies for the city)."""
    if not policy.can(actor, "write_business_data"):
        raise PermissionRefused("您的角色不能新建项目")
    cleaned = clean_project_data(data=data, actor=actor)
    # One entry for the row and its relations (tags, departments, annual plans).
    with transaction.atomic(), audit.coalesced():
        project = Project()
        _apply(project, cleaned)
        project.stage = Stage.RESERVE
        project.save()
        _save_relations(project, cleaned)
    return _fresh(project.pk)


def get_editable_project(*, actor: User, project_id: int) -> Project:
    """The project if the actor may change it: 404 when out of sight, 403 when read-only."""
    if not Project.objects.visible_to(actor).filter(pk=project_id).exists():
        raise NotFound("项目不存在或不在您的查看范围内")
    if not Project.objects.editable_by(actor).filter(pk=project_id).exists():
        raise PermissionRefused("您对该项目只有查看权限")
    return _fresh(project_id)


def project_update(*, actor: User, project_id: int, data: dict[str, Any], version: int) -> Project:
    """Change a project. ``version`` is the one the user loaded: a stale edit is refused (409)."""
    with transaction.atomic():
        project = get_editable_project(actor=actor, project_id=project_id)
        if project.version != int(version):
            raise StaleEdit(
                f"该项目已被他人修改（您编辑的是第{version}版，当前为第{project.version}版），请刷新后重新修改",
                extra={"current": project_snapshot(project)},
            )
        cleaned = clean_project_data(data=data, actor=actor, instance=project)
        _apply(project, cleaned)
        # The conditional update is the lock: two saves of the same version cannot both win.
        fields = {k: v for k, v in cleaned.items() if k not in ("tags", "departments", "annual_plans")}
        with audit.coalesced():  # one entry for the row and its relations
            updated = Project.objects.filter(pk=project.pk, version=project.version).update(
                **fields, version=project.version + 1, updated_at=clock.real_now()
            )
            if not updated:
                raise StaleEdit("该项目刚被他人修改，请刷新后重新修改")
            _save_relations(project, cleaned)
        project = _fresh(project.pk)
    return project


def stage_facts(project: Project) -> rules.StageFacts:
    catalogue = current_plan().rules.approval_catalogue.items_for(project.category)
    items = list(project.approval_items.all())
    return rules.StageFacts(
        stage=project.stage,
        project_code=project.project_code,
        has_annual_plan=project.annual_plans.exists(),
        actual_start=project.actual_start,
        actual_end=project.actual_end,
        required_approvals=tuple(i.code for i in catalogue),
        done_approvals=frozenset(i.code for i in items if i.status == ApprovalStatus.DONE),
        green_channel=project.green_channel,
        approval_names={i.code: i.name for i in catalogue},
    )


def project_advance_stage(*, actor: User, project_id: int, to_stage: str, reason: str = "",
                          version: int | None = None) -> Project:
    """Move a project to the next library (or cancel it), checking that stage's rules (DESIGN §4.4)."""
    with transaction.atomic():
        project = get_editable_project(actor=actor, project_id=project_id)
        if version is not None and project.version != int(version):
            raise StaleEdit("该项目已被他人修改，请刷新后再操作", extra={"current": project_snapshot(project)})
        problems = rules.stage_move_problems(stage_facts(project), to_stage)
        if to_stage == Stage.CANCELLED and not (reason or "").strip():
            problems.append("取消项目须填写原因")
        if problems:
            raise StageMoveRefused("；".join(problems), errors={"to": problems})
        from_stage = project.stage
        with audit.action("stage"), audit.reason(reason) if reason else nullcontext():
            Project.objects.filter(pk=project.pk).update(stage=to_stage, version=project.version + 1,
                                                         updated_at=clock.real_now())
            project.stage_moves.create(from_stage=from_stage, to_stage=to_stage, actor=actor, reason=reason or "",
                                       at=clock.now())
        project = _fresh(project.pk)
    return project


def approval_item_set_status(*, actor: User, item_id: int, status: str, approved_on: dt.date | None = None) -> ApprovalItem:
    """Record progress of one approval item."""
    if status not in ApprovalStatus.values:
        raise ValidationFailed("审批状态无效", field="status")
    with transaction.atomic():
        item = ApprovalItem.objects.select_related("project").filter(pk=item_id).first()
        if item is None or not ApprovalItem.objects.visible_to(actor).filter(pk=item_id).exists():
            raise NotFound("审批事项不存在或不在您的查看范围内")
        if not ApprovalItem.objects.editable_by(actor).filter(pk=item_id).exists():
            raise PermissionRefused("您对该审批事项只有查看权限")
        item.status = status
        item.approved_on = approved_on or (clock.today() if status == ApprovalStatus.DONE else None)
        item.save()
    return item
