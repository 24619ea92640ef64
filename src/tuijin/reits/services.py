"""Writes of the REITs pipeline (二(五)12、二(六)18): add a project, update its facts, move its stage.

Writers: the city administrator everywhere, a reporting unit for its own projects (``editable_by``);
others get 404 for what they cannot see and 403 for what they may only read. Each write is one
transaction and leaves an audit entry with before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs.models import User
from tuijin.plan import current_plan
from tuijin.projects.models import Project
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from .models import ReitsEntry, ReitsMove, ReitsStage
from .rules import reits_list_for, reits_move_problems

TEXT_FIELDS = {"asset_type": 64, "sponsor": 200, "notes": 500}
FLAG_FIELDS = ("in_national_reserve", "registered_locally")
#: A blank pre-expense amount is refused as parse_wan words it ("应为数字"); a blank planned size is none.
MONEY_WORDS = replace(fields.LABELLED, required="{label}：应为数字")
DATE_MESSAGE = "{label}：应为日期 YYYY-MM-DD"
MONEY_FIELDS = {"pre_expenses_wan": "pre_expenses_yuan", "planned_size_wan": "planned_size_yuan"}
LABELS = {"asset_type": "资产类型", "sponsor": "原始权益人", "notes": "备注", "in_national_reserve": "纳入国家储备库",
          "registered_locally": "注册地在本市", "pre_expenses_wan": "前期经费（万元）", "planned_size_wan": "拟发行规模（万元）",
          "issue_amount_wan": "发行规模（万元）", "issue_date": "发行日期", "operating_since": "运营起始日期", "on": "变更日期",
          "to": "目标阶段", "project": "项目"}


def stage_codes() -> tuple[str, ...]:
    return current_plan().rules.reits_pipeline.codes()


def _list_for(entry: ReitsEntry) -> str:
    lists = current_plan().rules.reits_lists
    if lists is None:
        return entry.batch_list
    return reits_list_for(lists, stage=entry.stage, in_reserve=entry.in_national_reserve)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Validated model values from request data (万元 → 元); ValidationFailed with every field's error."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            text = str(data[name] or "").strip()
            if len(text) > limit:
                errors.setdefault(name, []).append(f"{LABELS[name]}：最多{limit}字")
            values[name] = text
    for name in FLAG_FIELDS:
        if name in data:
            # JSON booleans only: no yes/no words
            fields.collect(errors, fields.flag, data[name], field=name, label=LABELS[name], yes=(), no=(),
                           required=True, message="{label}：应为 true 或 false")
            values[name] = bool(data[name])
    for name, field in MONEY_FIELDS.items():
        if name in data:
            amount = fields.collect(errors, fields.money_yuan, data[name], field=name, label=LABELS[name],
                                    words=MONEY_WORDS, required=name != "planned_size_wan")
            if name not in errors:
                values[field] = amount
    unknown = sorted(set(data) - set(TEXT_FIELDS) - set(FLAG_FIELDS) - set(MONEY_FIELDS) - {"project"})
    for name in unknown:
        errors.setdefault(name, []).append(f"不能修改的字段“{name}”")
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    return values


def _editable(actor: User, entry_id: int) -> ReitsEntry:
    entry = ReitsEntry.objects.visible_to(actor).select_related("project", "unit").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("REITs项目不存在，或不在您的查看范围内")
    if not ReitsEntry.objects.editable_by(actor).filter(pk=entry_id).exists():
        raise PermissionRefused("您无权修改该REITs项目")
    return entry


@transaction.atomic
def entry_create(*, actor: User, project_id: int, data: dict[str, Any], on: dt.date | None = None) -> ReitsEntry:
    """Add a library project to the pipeline at 谋划 (planning). Audited."""
    project = Project.objects.visible_to(actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在，或不在您的查看范围内", field="project")
    if not Project.objects.editable_by(actor).filter(pk=project_id).exists():
        raise PermissionRefused("您无权为该项目登记REITs")
    if ReitsEntry.objects.filter(unit=project.unit, project=project).exists():
        raise Conflict("该项目已在REITs项目库中", field="project")
    values = _clean(data)
    entry = ReitsEntry(unit=project.unit, project=project, stage=ReitsStage.PLANNING,
                       stage_since=on or clock.today(), **values)
    entry.batch_list = _list_for(entry)
    entry.full_clean()
    with audit.reason("纳入REITs项目库"):
        entry.save()
        ReitsMove.objects.create(unit=entry.unit, entry=entry, from_stage="", to_stage=entry.stage,
                                 on=entry.stage_since, actor=actor, reason="纳入REITs项目库")
    return entry


@transaction.atomic
def entry_update(*, actor: User, entry_id: int, data: dict[str, Any]) -> ReitsEntry:
    """Change an entry's facts (flags, pre-expenses, names); the list follows. Audited."""
    _editable(actor, entry_id)
    entry = ReitsEntry.objects.select_for_update().get(pk=entry_id)
    values = _clean(data)
    for key, value in values.items():
        setattr(entry, key, value)
    if entry.stage in (ReitsStage.FILING, ReitsStage.ISSUED, ReitsStage.OPERATING) and not entry.in_national_reserve:
        raise ValidationFailed("已申报或发行的项目须保持纳入国家储备库", field="in_national_reserve")
    entry.batch_list = _list_for(entry)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def entry_move(*, actor: User, entry_id: int, to: str, on: Any, reason: str = "",
               issue_date: Any = None, issue_amount_wan: Any = None, operating_since: Any = None) -> ReitsEntry:
    """Move an entry one stage forward (二(五)12), dated; the checks of
    :func:`tuijin.reits.rules.reits_move_problems`. Audited as a stage move."""
    _editable(actor, entry_id)
    entry = ReitsEntry.objects.select_for_update().select_related("project").get(pk=entry_id)
    errors: dict[str, list[str]] = {}
    day = fields.collect(errors, fields.date, on, field="on", label=LABELS["on"], required=False,
                         message=DATE_MESSAGE)
    if day is None and "on" not in errors:
        errors["on"] = [f"{LABELS['on']}：必填"]
    issue_day = fields.collect(errors, fields.date, issue_date, field="issue_date", label=LABELS["issue_date"],
                               required=False, message=DATE_MESSAGE) or entry.issue_date
    operating_day = fields.collect(errors, fields.date, operating_since, field="operating_since",
                                   label=LABELS["operating_since"], required=False,
                                   message=DATE_MESSAGE) or entry.operating_since
    amount_yuan = fields.collect(errors, fields.money_yuan, issue_amount_wan, field="issue_amount_wan",
                                 label=LABELS["issue_amount_wan"], words=fields.LABELLED, required=False,
                                 positive=True)
    if amount_yuan is None:
        amount_yuan = entry.issue_amount_yuan
    if len(str(reason or "")) > 500:
        errors.setdefault("reason", []).append("说明最多500字")
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    assert day is not None
    last = entry.moves.order_by("-on", "-id").first()
    problems = reits_move_problems(stages=stage_codes(), current=entry.stage, to=to,
                                   in_reserve=entry.in_national_reserve, issue_date=issue_day,
                                   issue_amount_yuan=amount_yuan, operating_since=operating_day, on=day,
                                   last_move_on=last.on if last else None, today=clock.today())
    if problems:
        raise Conflict("；".join(problems), field="to", extra={"problems": problems})
    from_stage = entry.stage
    entry.stage = to
    entry.stage_since = day
    entry.issue_date = issue_day
    entry.issue_amount_yuan = amount_yuan
    entry.operating_since = operating_day
    entry.batch_list = _list_for(entry)
    entry.full_clean()
    with audit.action("stage"), audit.reason(str(reason or "") or f"REITs阶段：{from_stage} → {to}"):
        entry.save()
        ReitsMove.objects.create(unit=entry.unit, entry=entry, from_stage=from_stage, to_stage=to, on=day,
                                 actor=actor, reason=str(reason or "")[:500])
    return entry
