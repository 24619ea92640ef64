"""Writes of monitoring and assessment: escalation records and their follow-up, quarterly evaluations.

Each write is one transaction and leaves audit entries in the caller's audit context (a page
or API request, or ``audit_context(source="cli", …)`` of a command). ``actor`` None means the
system (a CLI command); a user must hold the role the write needs.
"""

from __future__ import annotations

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.toolkit import clock
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed
from tuijin.toolkit.money import wan_to_yuan

from . import selectors
from .models import Escalation, EscalationStatus, Evaluation, EvaluationResult
from .plan_terms import month_plan, quarter_plan

ESCALATION_AUDIT_FIELDS = Escalation.audit_fields
STATUS_LABELS = {EscalationStatus.OPEN: "待跟进", EscalationStatus.FOLLOWING: "跟进中",
                 EscalationStatus.CLOSED: "已办结"}
MAX_NOTE = 1000


# --- escalation (三(三) 末位增速约谈制) -----------------------------------------------------------------


def escalations_record(*, actor: User | None, year: int, month: int) -> list[Escalation]:
    """Store the month's escalations (三(三)) for the supervision office to follow up. Idempotent.

    One ``Escalation`` per unit in last place (:func:`selectors.escalation_list`), with its
    streak, level and the plan hash. Running it again changes nothing; after corrected
    statistics it updates streak, level and value, and removes a record of a unit no longer
    in last place only while nobody has followed it up (open, no notes). Audited.
    """
    if actor is not None and not policy.can(actor, "supervise"):
        raise PermissionRefused("只有市政府督查室或市发展改革委可以生成约谈记录")
    plan = month_plan(year, month)
    indicator = plan.rules.escalation.indicator
    items = selectors.escalation_list(user=policy.acting(actor), year=year, month=month)
    with transaction.atomic():
        existing = {record.org.code: record for record in
                    Escalation.objects.select_for_update().select_related("org")
                    .filter(year=year, month=month, indicator=indicator)}
        orgs = {org.code: org for org in Org.objects.filter(code__in=[item["org"] for item in items])}
        for item in items:
            org = orgs.get(item["org"])
            if org is None:
                raise NotFound(f"报送单位“{item['org']}”不在组织机构中，请先同步方案中的单位")
            record = existing.pop(item["org"], None)
            values = {"streak": item["streak"], "level": item["level"], "value": item["value"],
                      "plan_hash": plan.hash}
            if record is None:
                record = Escalation(org=org, year=year, month=month, indicator=indicator, **values)
                record.full_clean()
                with audit.reason(f"{selectors.period_label(year, month)}末位约谈：{item['label']}"):
                    record.save()
                continue
            before = audit.snapshot(record, ESCALATION_AUDIT_FIELDS)
            for key, value in values.items():
                setattr(record, key, value)
            after = audit.snapshot(record, ESCALATION_AUDIT_FIELDS)
            if before != after:
                record.full_clean()
                with audit.reason("统计数据变化，重算末位约谈"):
                    record.save()
        for stale in existing.values():
            if stale.status == EscalationStatus.OPEN and not stale.follow_up.strip():
                with audit.reason("统计数据变化，该单位不再处于末位"):
                    stale.delete()
    return selectors.escalation_records(user=policy.acting(actor), year=year, month=month)


def escalation_follow_up(*, actor: User, escalation_id: int, status: str, note: str = "") -> Escalation:
    """Record the supervision office's follow-up of an escalation: a dated note and/or a new status. Audited.

    The note is appended to the record's follow-up log as ``YYYY-MM-DD 姓名：内容``; nothing
    is overwritten. Refused (400) when neither the status changes nor a note is given.
    """
    if not policy.can(actor, "supervise"):
        raise PermissionRefused("只有市政府督查室或市发展改革委可以记录约谈跟进情况")
    if status not in EscalationStatus.values:
        raise ValidationFailed(f"状态应为：{'、'.join(STATUS_LABELS.values())}", field="status")
    note = str(note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(f"跟进情况最多{MAX_NOTE}字", field="note")
    with transaction.atomic():
        record = Escalation.objects.select_for_update().select_related("org").filter(pk=escalation_id).first()
        if record is None:
            raise NotFound("约谈记录不存在")
        if status == record.status and not note:
            raise ValidationFailed("请填写跟进情况或更改状态", field="note")
        if note:
            who = actor.full_name or actor.username
            line = f"{clock.today():%Y-%m-%d} {who}：{note}"
            record.follow_up = f"{record.follow_up.rstrip()}\n{line}".strip()
        record.status = status
        record.full_clean()
        with audit.reason(f"约谈跟进：{STATUS_LABELS[status]}"):
            record.save()
    return record


# --- quarterly evaluation (二(六)15、二(七)21) ------------------------------------------------------------


def evaluation_run(*, actor: User | None, year: int, quarter: int) -> Evaluation:
    """Run the quarter's composite evaluation and awards and store them with the plan hash. Audited.

    Scores, ranks and awards as :func:`selectors.evaluation_compute`; each run is a new
    ``Evaluation`` (earlier runs stay as history; pages show the newest). Only the city
    administrator (``actor`` None: a CLI command). Refused (400) without the quarter's
    official statistics.
    """
    if actor is not None and not policy.can(actor, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委可以进行季度综合评价")
    plan = quarter_plan(year, quarter)  # the plan evaluation_compute reads; its hash is stored
    rows = selectors.evaluation_compute(user=policy.acting(actor), year=year, quarter=quarter)
    orgs = {org.code: org for org in Org.objects.filter(code__in=[row["org"] for row in rows])}
    missing = sorted(set(row["org"] for row in rows) - set(orgs))
    if missing:
        raise NotFound(f"以下报送单位不在组织机构中，请先同步方案中的单位：{'、'.join(missing)}")
    # One entry for the run with its results (written after it).
    with (transaction.atomic(),
          audit.reason(f"{selectors.quarter_label(year, quarter)}综合评价（{plan.rules.evaluation.source}）"),
          audit.coalesced()):
        evaluation = Evaluation(year=year, quarter=quarter, plan_hash=plan.hash, computed_at=clock.now(),
                                computed_by=actor)
        evaluation.full_clean()
        evaluation.save()
        results = [EvaluationResult(evaluation=evaluation, org=orgs[row["org"]], score=row["score"],
                                    rank=row["rank"], award_yuan=wan_to_yuan(row["award_wan"]),
                                    indicators=row["indicators"]) for row in rows]
        EvaluationResult.objects.bulk_create(results)
    found = selectors.latest_evaluation(user=policy.acting(actor), year=year, quarter=quarter)
    assert found is not None
    return found
