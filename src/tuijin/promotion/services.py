"""Writes of the promotion module (二(四)10–11). Each runs in one transaction; deals, their moves and
signing events record their own audit entries (:mod:`tuijin.audit.recording`), the services name the
stage move and give the reason.

A reporting unit records and moves its own deals; the city administrator any unit's. Everyone
else is read-only (403); a deal outside the actor's scope is not found (404). Amounts arrive in
亿元 (as the plan speaks of deals) and are stored as integer yuan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User, may_edit_unit
from tuijin.plan import current_plan, plan_on
from tuijin.projects.models import Project
from tuijin.projects.services import project_create
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, StageMoveRefused, ValidationFailed
from tuijin.toolkit.money import yuan_to_wan

from . import rules
from .models import STAGE_DATE_FIELD, Deal, DealMove, DealStage, SigningEvent

#: Sanity bound on one deal (1万亿); larger is a typing error.
MAX_DEAL_YI = Decimal(10000)


def get_editable_deal(*, actor: User, deal_id: int, lock: bool = False) -> Deal:
    """The deal if the actor may change it: 404 when out of sight, 403 when read-only."""
    qs = Deal.objects.visible_to(actor)
    if not qs.filter(pk=deal_id).exists():
        raise NotFound("招商项目不存在或不在您的查看范围内")
    qs = Deal.objects.editable_by(actor)
    if lock:
        qs = qs.select_for_update()
    deal = qs.select_related("unit").filter(pk=deal_id).first()
    if deal is None:
        raise PermissionRefused("您对该招商项目只有查看权限")
    return deal


def deal_create(*, actor: User, data: dict[str, Any]) -> Deal:
    """Record a deal under negotiation (在谈), or one already signed when ``signed_on`` is given."""
    if not policy.can(actor, "write_business_data"):
        raise PermissionRefused("您的角色不能登记招商项目")
    plan = current_plan()
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    unit = Org.objects.reporting_units().filter(code=str(data.get("unit") or "").strip()).first()
    if unit is None:
        err("unit", f"未知的报送单位“{data.get('unit') or ''}”，"
                   f"应为{Org.objects.reporting_units().count()}个区县（市）/开发区代码之一")
    elif not may_edit_unit(actor, unit):
        err("unit", "只能为本单位登记招商项目")
    name = str(data.get("name") or "").strip()
    investor = str(data.get("investor") or "").strip()
    if not name:
        err("name", "必填")
    if not investor:
        err("investor", "必填（投资方）")
    amount = 0
    try:
        amount = fields.money_yi(data.get("amount"), field="amount", maximum_yi=MAX_DEAL_YI)
    except ValidationFailed as exc:
        err("amount", exc.message)
    industry = str(data.get("leading_industry") or "").strip()
    if industry and industry not in {i.code for i in plan.leading_industries}:
        err("leading_industry", f"未知的主导产业链“{industry}”，应为 "
                                f"{'、'.join(i.code for i in plan.leading_industries)} 之一或留空")
    category = str(data.get("category") or "industrial").strip()
    if category not in {c.code for c in plan.categories}:
        err("category", f"无效的项目类别“{category}”")
    field = str(data.get("field") or "advanced_manufacturing").strip()
    if field not in {f.code for f in plan.fields}:
        err("field", f"无效的所属领域“{field}”")
    today = clock.today()
    since = today
    if data.get("negotiating_since"):
        try:
            since = fields.date(data["negotiating_since"], field="negotiating_since")
        except ValidationFailed as exc:
            err("negotiating_since", exc.message)
    if since > today:
        err("negotiating_since", "日期不能晚于今天")
    event = None
    if data.get("signing_event"):
        event = SigningEvent.objects.filter(pk=data["signing_event"]).first()
        if event is None:
            err("signing_event", "集中签约活动不存在")
    if errors:
        raise ValidationFailed("招商项目信息有误，请按提示修改", errors=errors)
    with transaction.atomic():
        deal = Deal(unit=unit, name=name, investor=investor, amount_yuan=amount, leading_industry=industry,
                    category=category, field=field, negotiating_since=since, last_move_on=since,
                    leader=str(data.get("leader") or "").strip(), principal_leader=bool(data.get("principal_leader")),
                    task_force=str(data.get("task_force") or "").strip(), signing_event=event)
        deal.full_clean()
        deal.save()
        DealMove.objects.create(deal=deal, from_stage="", to_stage=DealStage.NEGOTIATING, moved_on=since, actor=actor,
                                note="登记")
    return deal


#: What may change after registration; the amount, investor and chain only before signing.
UPDATABLE = ("leader", "principal_leader", "task_force", "signing_event", "name", "amount", "investor",
             "leading_industry")
FIXED_AFTER_SIGNING = ("amount", "investor", "leading_industry")


def deal_update(*, actor: User, deal_id: int, data: dict[str, Any], version: int) -> Deal:
    """Change a deal's leader (领导分包), principal-leader flag, task force (工作专班), big-event signing,
    or — while still negotiating — its name, investor, amount and chain. A stale ``version`` is 409."""
    unknown = sorted(set(data) - set(UPDATABLE))
    if unknown:
        raise ValidationFailed(f"不能修改的字段：{'、'.join(unknown)}", errors={k: ["未知或不可修改的字段"] for k in unknown})
    with transaction.atomic():
        deal = get_editable_deal(actor=actor, deal_id=deal_id, lock=True)
        if deal.version != int(version):
            raise Conflict(f"该招商项目已被他人修改（您编辑的是第{version}版，当前为第{deal.version}版），请刷新后重新修改",
                           field="version")
        fixed = [k for k in FIXED_AFTER_SIGNING if k in data] if deal.stage != DealStage.NEGOTIATING else []
        if fixed:
            raise Conflict("签约后金额、投资方和产业链不能再修改", errors={k: ["签约后不能修改"] for k in fixed})
        errors: dict[str, list[str]] = {}
        for name in ("leader", "task_force", "name", "investor"):
            if name in data:
                value = str(data[name] or "").strip()
                if name in ("name", "investor") and not value:
                    errors.setdefault(name, []).append("不能为空")
                setattr(deal, name, value)
        if "principal_leader" in data:
            deal.principal_leader = bool(data["principal_leader"])
        if "amount" in data:
            try:
                deal.amount_yuan = fields.money_yi(data["amount"], field="amount", maximum_yi=MAX_DEAL_YI)
            except ValidationFailed as exc:
                errors.setdefault("amount", []).append(exc.message)
        if "leading_industry" in data:
            industry = str(data["leading_industry"] or "").strip()
            if industry and industry not in {i.code for i in current_plan().leading_industries}:
                errors.setdefault("leading_industry", []).append(f"未知的主导产业链“{industry}”")
            deal.leading_industry = industry
        if "signing_event" in data:
            event_id = data["signing_event"]
            deal.signing_event = SigningEvent.objects.filter(pk=event_id).first() if event_id else None
            if event_id and deal.signing_event is None:
                errors.setdefault("signing_event", []).append("集中签约活动不存在")
        if errors:
            raise ValidationFailed("招商项目信息有误，请按提示修改", errors=errors)
        deal.version += 1
        deal.full_clean()
        deal.save()
    return deal


def stage_names() -> dict[str, str]:
    return {s.code: s.name for s in current_plan().rules.promotion.stages}


def deal_move(*, actor: User, deal_id: int, to_stage: str, moved_on: Any = None, note: str = "",
              version: int | None = None) -> Deal:
    """Move a deal to its next stage on ``moved_on`` (二(四)10 转段落地); an illegal move is refused."""
    day = fields.date(moved_on, field="moved_on") if moved_on not in (None, "") else clock.today()
    with transaction.atomic():
        deal = get_editable_deal(actor=actor, deal_id=deal_id, lock=True)
        if version is not None and deal.version != int(version):
            raise Conflict("该招商项目已被他人修改，请刷新后再操作", field="version")
        stages = [s.code for s in plan_on(day).rules.promotion.stages]
        problem = rules.move_problem(stage=deal.stage, to_stage=to_stage, last_move_on=deal.last_move_on,
                                     moved_on=day, today=clock.today(), stages=stages, names=stage_names())
        if problem:
            raise StageMoveRefused(problem, errors={"to": [problem]})
        from_stage = deal.stage
        deal.stage = to_stage
        setattr(deal, STAGE_DATE_FIELD[DealStage(to_stage)], day)
        deal.last_move_on = day
        deal.version += 1
        deal.full_clean()
        # The note is the entries' reason; without one they keep the context's.
        with audit.action("stage"), audit.reason(note or ""):
            deal.save()
            DealMove.objects.create(deal=deal, from_stage=from_stage, to_stage=to_stage, moved_on=day, actor=actor,
                                    note=(note or "").strip()[:500])
    return deal


def deal_convert(*, actor: User, deal_id: int, data: dict[str, Any] | None = None) -> Project:
    """A signed deal becomes a project of the library (reserve), keeping the link and its numbers.

    The project takes the deal's name, unit, investor (as owner), amount (as total investment),
    category, field, leading industry and leader, tagged ``promotion``; ``data`` may add project
    fields the deal does not hold (project code, planned dates, annual plans …).
    """
    with transaction.atomic():
        deal = get_editable_deal(actor=actor, deal_id=deal_id, lock=True)
        if deal.stage == DealStage.NEGOTIATING:
            raise Conflict("项目尚在洽谈，签约后才能转入项目库", field="stage")
        if deal.project_id is not None:
            raise Conflict("该招商项目已转入项目库", field="project")
        extra = dict(data or {})
        for name in ("name", "unit", "total_investment", "owner_name"):
            extra.pop(name, None)
        fields = {
            "name": deal.name, "unit": deal.unit.code, "owner_name": deal.investor,
            "total_investment": yuan_to_wan(deal.amount_yuan), "category": deal.category, "field": deal.field,
            "leading_industry": deal.leading_industry, "leader": deal.leader,
            "tags": sorted({*extra.pop("tags", []), "promotion"}),
            **extra,
        }
        project = project_create(actor=actor, data=fields)
        deal.project = project
        deal.version += 1
        with audit.reason("签约项目转入项目库"):
            deal.save()
    return project


def signing_event_create(*, actor: User, name: str, held_on: Any, place: str = "") -> SigningEvent:
    """A big-event signing (集中签约) to group its deals."""
    if not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委管理员可以登记集中签约活动")
    if not (name or "").strip():
        raise ValidationFailed("活动名称必填", field="name")
    with transaction.atomic():
        event = SigningEvent(name=name.strip(), held_on=fields.date(held_on, field="held_on"),
                             place=(place or "").strip())
        event.full_clean()
        event.save()
    return event
