"""Writes of the programmes. Each runs in one transaction and leaves audit entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.plan import current_plan
from tuijin.projects.models import FundingSource, Project
from tuijin.toolkit import fields
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed

from . import rules
from .models import Batch, BatchEntry, ListKind


def statistics_inclusion_departments() -> tuple[str, ...]:
    """The departments responsible for 二(七)19 (统计局, 发展改革委), from the plan: they mark statistics
    inclusion (with the city administrator; the access policy decides, see ``act_for_city_or_department``)."""
    plan = current_plan()
    clause = plan.rules.statistics_inclusion.source.split("、")[0]
    return tuple(plan.clause(clause).departments)


# --- batches (二(二)6) ----------------------------------------------------------------------------------------------

def batch_create(*, actor: User, number: int, held_on: dt.date, name: str = "") -> Batch:
    """A new numbered batch; numbers are unique."""
    if not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委管理员可以维护“三个一批”活动")
    if Batch.objects.filter(number=number).exists():
        raise ValidationFailed(f"第{number}期已存在", field="number")
    with transaction.atomic():
        batch = Batch(number=number, held_on=held_on, name=name)
        batch.full_clean()
        batch.save()
    return batch


def production_candidate_ids(*, batch: Batch) -> list[int]:
    """Project ids a batch's production list may take: the previous batch's start list, less those
    already on an earlier production list (二(二)6). The first batch has no previous one: None of them."""
    previous = Batch.objects.filter(number__lt=batch.number).order_by("-number").first()
    if previous is None:
        return []
    start_list = previous.entries.filter(kind=ListKind.STARTED).order_by("id").values_list("project_id", flat=True)
    earlier = BatchEntry.objects.filter(kind=ListKind.PRODUCING, batch__number__lt=batch.number).values_list(
        "project_id", flat=True)
    return rules.production_candidates(previous_start_list=list(start_list), already_producing_listed=list(earlier))


def batch_add_entries(*, actor: User, batch: Batch, kind: str, project_ids: list[int],
                      company_registered: bool = False) -> list[BatchEntry]:
    """Put projects on one of a batch's lists. A production list takes only the previous batch's
    start-list projects (the chain of 二(二)6); every refused project is named."""
    if not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委管理员可以维护“三个一批”活动")
    if kind not in ListKind.values:
        raise ValidationFailed(f"清单类型应为 {'、'.join(ListKind.values)} 之一", field="kind")
    projects = {p.pk: p for p in Project.objects.filter(pk__in=project_ids).select_related("unit")}
    errors: list[str] = [f"项目 {pk} 不存在" for pk in project_ids if pk not in projects]
    if kind == ListKind.PRODUCING and Batch.objects.filter(number__lt=batch.number).exists():
        allowed = set(production_candidate_ids(batch=batch))
        errors += [f"“{projects[pk].name}”不在上一期开工清单中（或已列入投产清单），不能列入本期投产清单"
                   for pk in project_ids if pk in projects and pk not in allowed]
    have = set(batch.entries.filter(kind=kind).values_list("project_id", flat=True))
    errors += [f"“{projects[pk].name}”已在本期该清单中" for pk in project_ids if pk in projects and pk in have]
    if errors:
        raise ValidationFailed("；".join(errors), errors={"project_ids": errors})
    with transaction.atomic():
        made = [BatchEntry(batch=batch, kind=kind, project=projects[pk], unit=projects[pk].unit,
                           company_registered=company_registered) for pk in project_ids]
        BatchEntry.objects.bulk_create(made)  # one entry per row, written by the audited queryset
    return made


# --- funding (二(五)12) ---------------------------------------------------------------------------------------------

def funding_set(*, actor: User, project_id: int, source: str, planned: Any, in_place: Any) -> FundingSource:
    """Set one fund source of a project (amounts in 万元); in place may not exceed planned."""
    if not Project.objects.visible_to(actor).filter(pk=project_id).exists():
        raise NotFound("项目不存在或不在您的查看范围内")
    if not Project.objects.editable_by(actor).filter(pk=project_id).exists():
        raise PermissionRefused("您对该项目只有查看权限")
    codes = current_plan().rules.fund_sources.codes()
    errors: dict[str, list[str]] = {}
    if source not in codes:
        errors["source"] = [f"资金来源应为 {'、'.join(codes)} 之一"]
    amounts: dict[str, int] = {}
    for name, value in (("planned", planned), ("in_place", in_place)):
        amount = fields.collect(errors, fields.money_yuan, value, field=name, words=fields.AMOUNT_NUMBER)
        if amount is not None:
            amounts[name] = amount
    if not errors and amounts["in_place"] > amounts["planned"]:
        errors["in_place"] = ["到位资金不能超过计划资金"]
    if errors:
        raise ValidationFailed("资金信息有误", errors=errors)
    with transaction.atomic():
        row = FundingSource.objects.filter(project_id=project_id, source=source).first()
        row = row or FundingSource(project_id=project_id, source=source)
        row.planned_yuan, row.in_place_yuan = amounts["planned"], amounts["in_place"]
        row.full_clean()
        row.save()
    return row


# --- statistics inclusion (二(七)19) -------------------------------------------------------------------------------

def statistics_mark(*, marks: list[tuple[int, dt.date]]) -> int:
    """Mark projects as included in the statistics with their dates; one audit entry per changed project.
    Projects already included with the same date are left alone. Returns the number changed.

    The writer of the inclusion import (``programmes.importing``), whose actor the upload pipeline
    admitted once (the access policy, with :func:`statistics_inclusion_departments`); the entries' actor is the audit context's."""
    with transaction.atomic():
        projects = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=[pk for pk, _d in marks])}
        changed = 0
        for pk, day in marks:
            project = projects[pk]
            if project.in_statistics and project.statistics_date == day:
                continue
            # The project records its own entry.
            Project.objects.filter(pk=pk).update(in_statistics=True, statistics_date=day, version=project.version + 1)
            changed += 1
    return changed

