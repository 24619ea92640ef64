"""Writes of the special-bond module (二(二)8). Each runs in one transaction and leaves an audit entry.

Who may write: the city administrator records batches, quotas, issuance, spending, reviews and
violations city-wide; a reporting unit records its own spending and submits its own
supplementary applications. Everyone else is read-only (403); an object outside the actor's
scope is not found (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User, may_edit_unit
from tuijin.projects.models import Project
from tuijin.reporting.models import ProgressReport, SubmissionStatus
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.money import yuan_to_wan

from .models import (
    ApplicationStatus,
    BondBatch,
    BondIssuance,
    BondQuota,
    BondSpending,
    ComplianceViolation,
    SpendingSource,
    SupplementaryApplication,
)


def _visible_project(actor: User, project_id: Any) -> Project:
    project = Project.objects.visible_to(actor).select_related("unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在或不在您的查看范围内", field="project")
    return project


def batch_create(*, actor: User, year: int, number: int, name: str, issued_on: dt.date | None = None) -> BondBatch:
    """A batch of quotas handed down (二(二)8: 2022年两批)."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    with transaction.atomic():
        if BondBatch.objects.filter(year=year, number=number).exists():
            raise Conflict(f"{year}年第{number}批已存在", field="number")
        batch = BondBatch(year=year, number=number, name=name.strip() or f"{year}年第{number}批", issued_on=issued_on)
        batch.full_clean()
        batch.save()
    return batch


def quota_create(*, actor: User, batch_id: int, project_id: int, amount_wan: Any) -> BondQuota:
    """A project's quota in a batch; the project gets the ``special_bond`` tag by the library's owner."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    amount = fields.money_yuan(amount_wan, field="amount", words=fields.AMOUNT_NUMBER, positive=True)
    with transaction.atomic():
        batch = BondBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise NotFound("专项债券批次不存在", field="batch")
        project = _visible_project(actor, project_id)
        if BondQuota.objects.filter(batch=batch, project=project).exists():
            raise Conflict(f"项目“{project.name}”在{batch.name}中已有额度", field="project")
        quota = BondQuota(batch=batch, project=project, unit=project.unit, amount_yuan=amount)
        quota.full_clean()
        quota.save()
    return quota


def issuance_record(*, actor: User, quota_id: int, issued_on: Any, amount_wan: Any) -> BondIssuance:
    """Bonds issued against a quota; the issued total may not exceed the quota."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    amount = fields.money_yuan(amount_wan, field="amount", words=fields.AMOUNT_NUMBER, positive=True)
    day = fields.date(issued_on, field="issued_on")
    if day > clock.today():
        raise ValidationFailed("发行日期不能晚于今天", field="issued_on")
    with transaction.atomic():
        quota = BondQuota.objects.visible_to(actor).select_for_update().filter(pk=quota_id).first()
        if quota is None:
            raise NotFound("专项债券额度不存在或不在您的查看范围内", field="quota")
        issued = sum(quota.issuances.values_list("amount_yuan", flat=True))
        if issued + amount > quota.amount_yuan:
            raise ValidationFailed(
                f"累计发行额将超过额度（额度{quota.amount_yuan / 10000:,.2f}万元，已发行{issued / 10000:,.2f}万元）",
                field="amount")
        issuance = BondIssuance(quota=quota, unit_id=quota.unit_id, issued_on=day, amount_yuan=amount)
        issuance.full_clean()
        issuance.save()
    return issuance


def spending_record(*, actor: User, project_id: int, year: int, month: int, amount_wan: Any,
                    source: str = SpendingSource.LEDGER) -> BondSpending:
    """Set one project-month's bond spending (upsert); a unit only for its own projects."""
    if not 1 <= int(month) <= 12:
        raise ValidationFailed("月份应为1–12", field="month")
    amount = fields.money_yuan(amount_wan, field="amount", words=fields.AMOUNT_NUMBER)
    with transaction.atomic():
        project = _visible_project(actor, project_id)
        if not may_edit_unit(actor, project.unit):
            raise PermissionRefused("您对该项目只有查看权限")
        row = BondSpending.objects.filter(unit=project.unit, project=project, year=year, month=month).first()
        if row is None:
            row = BondSpending(project=project, unit=project.unit, year=year, month=month)
        row.amount_yuan, row.source = amount, source
        row.full_clean()
        row.save()
    return row


def application_submit(*, actor: User, unit_code: str, name: str, year: int, amount_wan: Any,
                       submitted_on: Any = None, project_id: int | None = None) -> SupplementaryApplication:
    """A unit's supplementary bond application (专项债补充申报), awaiting review."""
    unit = Org.objects.reporting_units().filter(code=unit_code).first()
    if unit is None:
        raise ValidationFailed(f"未知的报送单位“{unit_code}”", field="unit")
    if not may_edit_unit(actor, unit):
        raise PermissionRefused("只能为本单位报送补充申报项目")
    if not (name or "").strip():
        raise ValidationFailed("项目名称必填", field="name")
    amount = fields.money_yuan(amount_wan, field="amount", words=fields.AMOUNT_NUMBER, positive=True)
    day = fields.date(submitted_on, field="submitted_on") if submitted_on else clock.today()
    with transaction.atomic():
        project = _visible_project(actor, project_id) if project_id else None
        if project is not None and project.unit_id != unit.pk:
            raise ValidationFailed("项目不属于该单位", field="project")
        app = SupplementaryApplication(unit=unit, project=project, name=name.strip(), year=year, amount_yuan=amount,
                                       submitted_on=day)
        app.full_clean()
        app.save()
    return app


def application_review(*, actor: User, application_id: int, status: str, note: str = "",
                       reviewed_on: Any = None) -> SupplementaryApplication:
    """The city's review of a supplementary application: passed or rejected (a rejection needs a note)."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    if status not in (ApplicationStatus.PASSED, ApplicationStatus.REJECTED):
        raise ValidationFailed("审核结果应为 passed（通过）或 rejected（不通过）", field="status")
    if status == ApplicationStatus.REJECTED and not (note or "").strip():
        raise ValidationFailed("审核不通过须填写原因", field="note")
    with transaction.atomic():
        app = SupplementaryApplication.objects.visible_to(actor).select_for_update().filter(pk=application_id).first()
        if app is None:
            raise NotFound("补充申报项目不存在或不在您的查看范围内")
        if app.status != ApplicationStatus.SUBMITTED:
            raise Conflict("该申报已审核，不能重复审核", field="status")
        app.status = status
        app.review_note = (note or "").strip()
        app.reviewed_on = fields.date(reviewed_on, field="reviewed_on") if reviewed_on else clock.today()
        if app.reviewed_on < app.submitted_on:
            raise ValidationFailed("审核日期不能早于报送日期", field="reviewed_on")
        app.full_clean()
        app.save()
    return app


def violation_record(*, actor: User, unit_code: str, occurred_on: Any, description: str,
                     project_id: int | None = None) -> ComplianceViolation:
    """A recorded irregularity in a unit's use of bond money (规范性)."""
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    unit = Org.objects.reporting_units().filter(code=unit_code).first()
    if unit is None:
        raise ValidationFailed(f"未知的报送单位“{unit_code}”", field="unit")
    if not (description or "").strip():
        raise ValidationFailed("违规情况说明必填", field="description")
    day = fields.date(occurred_on, field="occurred_on")
    with transaction.atomic():
        project = _visible_project(actor, project_id) if project_id else None
        violation = ComplianceViolation(unit=unit, project=project, occurred_on=day,
                                        description=description.strip(), recorded_by=actor)
        violation.full_clean()
        violation.save()
    return violation


def spending_from_reports(*, actor: User, year: int, month: int) -> int:
    """Fill a month's bond spending from the approved monthly reports (二(七)20) where the ledger has none.

    For each project with a quota and an approved report of the month, the month's investment is
    taken as bond spending up to the bonds issued and not yet spent. A ledger row always wins.
    Returns the number of rows written.
    """
    policy.require(actor, "manage_city_data", message="只有市发展改革委管理员可以登记专项债券额度、发行、审核和违规情况")
    written = 0
    with transaction.atomic():
        issued: dict[int, int] = {}
        for project_id, amount in BondIssuance.objects.filter(
                issued_on__lte=dt.date(year, month, 1) + dt.timedelta(days=31)).values_list(
                "quota__project_id", "amount_yuan"):
            issued[project_id] = issued.get(project_id, 0) + amount
        spent: dict[int, int] = {}
        taken: set[int] = set()
        for project_id, m, amount, source in BondSpending.objects.filter(year=year, month__lte=month).values_list(
                "project_id", "month", "amount_yuan", "source"):
            if m == month:
                if source == SpendingSource.LEDGER:
                    taken.add(project_id)
                continue
            spent[project_id] = spent.get(project_id, 0) + amount
        reports = ProgressReport.objects.filter(period__year=year, period__month=month,
                                                status=SubmissionStatus.APPROVED, project_id__in=list(issued))
        for project_id, month_amount in reports.values_list("project_id", "month_amount_yuan"):
            if project_id in taken:
                continue
            amount = max(0, min(month_amount, issued[project_id] - spent.get(project_id, 0)))
            spending_record(actor=actor, project_id=project_id, year=year, month=month,
                            amount_wan=yuan_to_wan(amount),
                            source=SpendingSource.REPORT)
            written += 1
    return written
