"""Monthly reporting: the workflow of a unit's period and the edits of its rows (DESIGN §4.5).

Seed 二(二)5 and 二(七)20 (按月报送本地投资进展情况). A reporting unit fills one row per
reportable project (``report_save``), submits its period as a whole (``unit_period_submit``);
the city administrator approves it, which locks it (``unit_period_approve``), or returns it
with reasons, whole or per project (``unit_period_return``). After approval a change is a
correction request (``correction_request``) that the city decides (``correction_decide``).

Every write runs in one transaction and leaves audit entries. ``ytd`` and ``cumulative``
amounts are derived here from the month amounts, never typed; a change of one month
recomputes that project's later months too, and the per-unit summary of approved periods.

The reads the doors (pages, API) need are in :mod:`.selectors`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.orgs.models import Org, User
from tuijin.projects.models import Project
from tuijin.toolkit import clock, fields
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, StaleEdit, ValidationFailed
from tuijin.toolkit.money import yuan_to_wan
from tuijin.toolkit.signals import send_on_commit

from . import rules, signals
from .models import (
    CorrectionRequest,
    CorrectionStatus,
    Period,
    ProgressReport,
    SubmissionStatus,
    UnitPeriod,
)
from .periods import LOCKED_STATUSES, period_open, unit_period_for
from .selectors import missing_projects, reportable_projects, unit_get
from .summary import refresh_unit_month_summary

#: Sanity bound on one month's investment (5000亿 = 50,000,000 万元): larger is a unit error.
MAX_MONTH_WAN = Decimal("50000000")
TEXT_LIMIT = 500
#: The fields of a row that a unit types (money in 万元); the rest is derived.
EDITABLE_FIELDS = ("month_amount", "physical_progress", "percent_complete", "started", "notes")
FIELD_LABELS = {
    "month_amount": "本月完成投资（万元）",
    "physical_progress": "形象进度",
    "percent_complete": "完成百分比",
    "started": "是否开工",
    "notes": "备注",
}
STATUS_LABELS = {
    SubmissionStatus.DRAFT: "填报中",
    SubmissionStatus.SUBMITTED: "已报送",
    SubmissionStatus.RETURNED: "已退回",
    SubmissionStatus.APPROVED: "已审核锁定",
}
#: "是否开工" reads 已开工 / 未开工 besides the usual yes and no words.
STARTED_YES = fields.YES_WORDS | {"已开工"}
STARTED_NO = fields.NO_WORDS | {"未开工"}
#: A row's month amount, refused beside its field on the form and in the API.
MONTH_AMOUNT_WORDS = replace(fields.AMOUNT, required="必填，单位万元（本月没有投资请填0）", negative="本月完成投资不能为负数")


class PeriodLocked(Conflict):
    """The unit's period (or the row) takes no edits: submitted for review, or approved and locked."""

    code = "period_locked"


class WrongState(Conflict):
    """The action does not fit the current state of the unit's period or of the request."""

    code = "wrong_state"


class SubmissionIncomplete(Conflict):
    """A period cannot be submitted while reportable projects have no row; ``extra.missing`` lists them."""

    code = "incomplete"


# ---------------------------------------------------------------------------
# Lookups shared by the writes and the reads

def period_get(code: str) -> Period:
    """The period ``YYYY-MM`` (opened on first use); 400 for a malformed code or a year outside 2000–2100."""
    year, month = rules.parse_period(code)
    return period_open(rules.period_code(year, month))


def _require_started(period: Period) -> None:
    if period.opens_on > clock.today():
        raise WrongState(f"{period.code}报送期尚未开始（{period.opens_on:%Y年%m月%d日}开放）")


def _lock_unit_period(*, unit: Org, period: Period) -> UnitPeriod:
    """The unit's submission record, created if needed and locked for this transaction."""
    unit_period_for(unit=unit, period=period)
    return UnitPeriod.objects.select_for_update().get(unit=unit, period=period)


def _locked_message(up: UnitPeriod) -> str:
    if up.status == SubmissionStatus.APPROVED:
        return (f"{up.unit}{up.period.code}的月度进展已审核锁定，不能直接修改；"
                "如需更正，请对该项目提交更正申请，经市发展改革委同意后生效")
    return (f"{up.unit}{up.period.code}的月度进展已报送，正在等待市发展改革委审核，不能修改；"
            "如需修改请联系市发展改革委退回，审核通过后的更正请提交更正申请")


# ---------------------------------------------------------------------------
# Parsing a row's input (shared by the page, the API and correction requests)

def clean_report_data(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Check and normalise a row's input; ``ValidationFailed`` lists every field's problem.

    Keys are ``EDITABLE_FIELDS``; only those present are set. Money arrives in 万元 and leaves
    as ``month_amount_yuan``. A new row needs its month amount (0 is an amount).
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in sorted(set(data) - set(EDITABLE_FIELDS)):
        err(name, "未知字段")
    if "month_amount" in data:
        amount = fields.collect(errors, fields.money_yuan, data["month_amount"], field="month_amount",
                                words=MONTH_AMOUNT_WORDS, maximum_wan=MAX_MONTH_WAN)
        if amount is not None:
            out["month_amount_yuan"] = amount
    elif creating:
        err("month_amount", MONTH_AMOUNT_WORDS.required)
    for name in ("physical_progress", "notes"):
        if name in data:
            text = "" if data[name] is None else str(data[name]).strip()
            if len(text) > TEXT_LIMIT:
                err(name, f"不超过{TEXT_LIMIT}字")
            out[name] = text
    if "percent_complete" in data:
        out["percent_complete"] = fields.collect(errors, fields.percent, data["percent_complete"],
                                                 field="percent_complete")
    if "started" in data:
        out["started"] = fields.collect(errors, fields.flag, data["started"], field="started", yes=STARTED_YES,
                                        no=STARTED_NO)
    if errors:
        raise ValidationFailed("填报内容有误，请按提示修改", errors=errors)
    return out


def changes_as_json(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values in the input's own terms (万元 strings), as a correction request stores them."""
    data: dict[str, Any] = {}
    for name, value in cleaned.items():
        if name == "month_amount_yuan":
            data["month_amount"] = str(yuan_to_wan(value))
        elif isinstance(value, Decimal):
            data[name] = str(value)
        else:
            data[name] = value
    return data


# ---------------------------------------------------------------------------
# Derived amounts

def _chain_baseline(project_id: int) -> int:
    """Investment before the project's first reported month (its first row's cumulative minus its month).

    Kept through recomputation, so that a history that starts mid-way keeps its earlier total.
    """
    first = (ProgressReport.objects.filter(project_id=project_id).order_by("period__year", "period__month")
             .values("cumulative_amount_yuan", "month_amount_yuan").first())
    if first is None:
        return 0
    return max(0, first["cumulative_amount_yuan"] - first["month_amount_yuan"])


def _recompute_chain(*, project_id: int, baseline_yuan: int, reason: str) -> list[ProgressReport]:
    """Recompute ``ytd`` and ``cumulative`` of every month of a project; returns the rows that changed.

    ``ytd`` restarts each year; ``cumulative`` runs on from ``baseline_yuan``. Each changed row records
    its entry with ``reason``; a caller that changed one of them itself wraps both in
    ``audit.coalesced()`` (one entry for that row, with the caller's reason).
    """
    rows = list(ProgressReport.objects.filter(project_id=project_id).select_related("period")
                .order_by("period__year", "period__month"))
    cumulative, ytd, year = baseline_yuan, 0, None
    changed: list[ProgressReport] = []
    for row in rows:
        if row.period.year != year:
            year, ytd = row.period.year, 0
        ytd += row.month_amount_yuan
        cumulative += row.month_amount_yuan
        if (row.ytd_amount_yuan, row.cumulative_amount_yuan) != (ytd, cumulative):
            row.ytd_amount_yuan, row.cumulative_amount_yuan = ytd, cumulative
            changed.append(row)
    if changed:
        with audit.reason(reason):
            ProgressReport.objects.bulk_update(changed, ["ytd_amount_yuan", "cumulative_amount_yuan"])
    return changed


def _refresh_summaries(rows: list[ProgressReport]) -> None:
    """Refresh the per-unit summary of every approved period these rows belong to."""
    by_period: dict[int, set[int]] = defaultdict(set)
    periods: dict[int, Period] = {}
    for row in rows:
        if row.status == SubmissionStatus.APPROVED:
            by_period[row.period_id].add(row.unit_id)
            periods[row.period_id] = row.period
    for period_id, unit_ids in by_period.items():
        refresh_unit_month_summary(period=periods[period_id], unit_ids=sorted(unit_ids))


# ---------------------------------------------------------------------------
# One row

def _editable_project(*, actor: User, project_id: int) -> Project:
    if not Project.objects.visible_to(actor).filter(pk=project_id).exists():
        raise NotFound("项目不存在或不在您的查看范围内")
    if not Project.objects.editable_by(actor).filter(pk=project_id).exists():
        raise PermissionRefused("您对该项目只有查看权限，不能填报")
    return Project.objects.select_related("unit").get(pk=project_id)


def report_save(*, actor: User, project_id: int, period_code: str, data: dict[str, Any],
                version: int | None = None) -> ProgressReport:
    """Create or change one project's row of a period (二(七)20), as a draft of its unit.

    ``data`` holds ``EDITABLE_FIELDS`` (``month_amount`` in 万元). ``version`` is the row's
    version the user loaded; ``None`` means the row is new, and an existing row then refuses
    (409) rather than be overwritten blindly. Refused (409) once the unit's period is submitted
    or approved: after approval a change is a correction request. ``ytd`` and ``cumulative``
    are recomputed for this month and the project's later months.
    """
    period = period_get(period_code)
    with transaction.atomic():
        project = _editable_project(actor=actor, project_id=project_id)
        unit = project.unit
        up = _lock_unit_period(unit=unit, period=period)
        _require_started(period)
        if up.status in LOCKED_STATUSES:
            raise PeriodLocked(_locked_message(up))
        if not reportable_projects(user=actor, unit=unit, period=period).filter(pk=project.pk).exists():
            raise ValidationFailed(
                f"项目“{project.name}”不在{unit}{period.code}的应报项目范围内"
                "（应报：在建项目、计划当年开工的拟开工项目、当年竣工的项目）", field="project")
        row = ProgressReport.objects.select_related("period").filter(period=period, project=project).first()
        baseline = _chain_baseline(project.pk)
        moment = clock.now()
        if row is not None:
            if version is None or int(version) != row.version:
                loaded = "未带版本号" if version is None else f"您编辑的是第{version}版"
                raise StaleEdit(f"该项目本期的填报已被修改（{loaded}，当前为第{row.version}版），请刷新后重新填写",
                                errors={"version": [f"当前为第{row.version}版"]})
            if row.status == SubmissionStatus.SUBMITTED:
                raise PeriodLocked("该项目本期的填报未被退回，不能修改；只有被退回的项目可以修改后重新报送")
            if row.status == SubmissionStatus.APPROVED:
                raise PeriodLocked("该项目本期的填报已审核锁定，如需更正请提交更正申请")
            cleaned = clean_report_data(data, creating=False)
            if all(getattr(row, name) == value for name, value in cleaned.items()):
                return row
        else:
            cleaned = clean_report_data(data, creating=True)
        # One entry for the row, its own recomputed totals included; later months' rows get theirs.
        with audit.coalesced():
            if row is None:
                row = ProgressReport(unit=unit, period=period, project=project, status=SubmissionStatus.DRAFT,
                                     updated_at=moment, updated_by=actor, **cleaned)
                row.save()
            else:
                updated = ProgressReport.objects.filter(pk=row.pk, version=row.version).update(
                    **cleaned, version=F("version") + 1, updated_at=moment, updated_by=actor)
                if not updated:  # the conditional update is the lock: two saves of one version cannot both win
                    raise StaleEdit("该项目本期的填报刚被他人修改，请刷新后重新填写")
            changed = _recompute_chain(project_id=project.pk, baseline_yuan=baseline,
                                       reason=f"{period.code}填报变更，重算本年累计和开工累计")
        row = ProgressReport.objects.select_related("period", "project", "unit").get(pk=row.pk)
        _refresh_summaries(changed)
    return row


# ---------------------------------------------------------------------------
# The unit's period as a whole

def _move_rows(*, unit: Org, period: Period, to: str, reason: str, project_ids: list[int] | None = None,
               return_reasons: dict[int, str] | None = None) -> int:
    """Move the unit's rows of the period to status ``to`` (each row records its entry with ``reason``).
    Returns rows moved.

    Reasons for return are cleared unless given in ``return_reasons`` (project id → reason).
    """
    return_reasons = return_reasons or {}
    qs = ProgressReport.objects.filter(unit=unit, period=period)
    if project_ids is not None:
        qs = qs.filter(project_id__in=project_ids)
    rows = list(qs.select_related("period"))
    moved = []
    for row in rows:
        new_reason = return_reasons.get(row.project_id, "")[:TEXT_LIMIT]
        if row.status == to and row.return_reason == new_reason:
            continue
        row.status, row.return_reason, row.version = to, new_reason, row.version + 1
        moved.append(row)
    with audit.reason(reason):
        ProgressReport.objects.bulk_update(moved, ["status", "return_reason", "version"], batch_size=1000)
    return len(moved)


def unit_period_submit(*, actor: User, unit_code: str, period_code: str) -> UnitPeriod:
    """The unit submits its period as a whole (二(七)20): every reportable project must have a row.

    Marked late when submitted after the plan's deadline (the N-th working day of the next
    month). Lateness is decided by the first submission; a resubmission after a return keeps it.
    """
    unit = unit_get(user=actor, code=unit_code)
    policy.require(actor, "submit_for_unit", unit)
    period = period_get(period_code)
    with transaction.atomic():
        up = _lock_unit_period(unit=unit, period=period)
        _require_started(period)
        if up.status == SubmissionStatus.SUBMITTED:
            raise WrongState(f"{unit}{period.code}已报送，正在等待市发展改革委审核")
        if up.status == SubmissionStatus.APPROVED:
            raise WrongState(f"{unit}{period.code}已审核通过并锁定，无需再次报送")
        missing = missing_projects(user=actor, unit=unit, period=period)
        if missing:
            lines = [f"{p.project_code or '（无项目代码）'} {p.name}" for p in missing]
            shown = "、".join(lines[:10]) + (f"等{len(lines)}个" if len(lines) > 10 else "")
            raise SubmissionIncomplete(
                f"还有{len(missing)}个应报项目未填报，不能报送：{shown}",
                errors={"projects": lines},
                extra={"missing": [{"id": p.pk, "project_code": p.project_code, "name": p.name} for p in missing]},
            )
        moment = clock.now()
        if up.submitted_at is None:
            up.late = moment.date() > period.deadline
        up.status = SubmissionStatus.SUBMITTED
        up.submitted_at, up.submitted_by = moment, actor
        up.return_reason = ""
        up.version += 1
        with audit.reason(f"{period.code}报送" + ("（逾期）" if up.late else "")):
            up.save()
        _move_rows(unit=unit, period=period, to=SubmissionStatus.SUBMITTED, reason=f"{period.code}报送")
        send_on_commit(signals.period_submitted, sender=UnitPeriod, unit_period=up, actor=actor)
    return up


def unit_period_approve(*, actor: User, unit_code: str, period_code: str) -> UnitPeriod:
    """The city approves a submitted period: its rows lock, and the unit's monthly summary is refreshed."""
    unit = unit_get(user=actor, code=unit_code)
    policy.require(actor, "manage_city_data", message="只有市发展改革委可以" + "审核通过月度进展")
    period = period_get(period_code)
    with transaction.atomic():
        up = _lock_unit_period(unit=unit, period=period)
        if up.status != SubmissionStatus.SUBMITTED:
            raise WrongState(f"{unit}{period.code}当前为“{STATUS_LABELS[up.status]}”，只有已报送的才能审核通过")
        up.status = SubmissionStatus.APPROVED
        up.reviewed_at, up.reviewed_by = clock.now(), actor
        up.return_reason = ""
        up.version += 1
        with audit.reason(f"{period.code}审核通过"):
            up.save()
            _move_rows(unit=unit, period=period, to=SubmissionStatus.APPROVED, reason=f"{period.code}审核通过")
        refresh_unit_month_summary(period=period, unit_ids=[unit.pk])
        send_on_commit(signals.period_approved, sender=UnitPeriod, unit_period=up, actor=actor)
    return up


def unit_period_return(*, actor: User, unit_code: str, period_code: str, reason: str = "",
                       project_reasons: dict[int, str] | None = None) -> UnitPeriod:
    """The city returns a submitted period, whole or per project, with reasons shown to the unit.

    Whole: every row goes back to the unit (``returned``). Per project: only the named rows do,
    each with its reason; the others stay submitted. The unit corrects and submits again.
    """
    unit = unit_get(user=actor, code=unit_code)
    policy.require(actor, "manage_city_data", message="只有市发展改革委可以" + "退回月度进展")
    period = period_get(period_code)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    reasons: dict[int, str] = {}
    for key, value in (project_reasons or {}).items():
        try:
            project_id = int(key)
        except (TypeError, ValueError):
            errors.setdefault("projects", []).append(f"项目编号“{key}”应为整数")
            continue
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            errors.setdefault("projects", []).append(f"项目{project_id}的退回原因不能为空")
        elif len(text) > TEXT_LIMIT:
            errors.setdefault("projects", []).append(f"项目{project_id}的退回原因不超过{TEXT_LIMIT}字")
        reasons[project_id] = text
    if not reasons and not reason and "projects" not in errors:
        errors["reason"] = ["退回须填写原因（整体退回），或逐个项目填写退回原因"]
    if len(reason) > 2000:
        errors["reason"] = ["退回原因不超过2000字"]
    if errors:
        raise ValidationFailed("退回信息有误，请按提示修改", errors=errors)
    with transaction.atomic():
        up = _lock_unit_period(unit=unit, period=period)
        if up.status != SubmissionStatus.SUBMITTED:
            raise WrongState(f"{unit}{period.code}当前为“{STATUS_LABELS[up.status]}”，只有已报送的才能退回")
        if reasons:
            present = dict(ProgressReport.objects.filter(unit=unit, period=period, project_id__in=list(reasons))
                           .values_list("project_id", "project__name"))
            unknown = sorted(set(reasons) - set(present))
            if unknown:
                raise ValidationFailed("以下项目不在本期报送中：" + "、".join(str(i) for i in unknown),
                                       errors={"projects": [f"项目{i}不在本期报送中" for i in unknown]})
        up.status = SubmissionStatus.RETURNED
        up.reviewed_at, up.reviewed_by = clock.now(), actor
        up.return_reason = reason or f"{len(reasons)}个项目被退回，请按各项目的退回原因修改后重新报送"
        up.version += 1
        note = f"{period.code}退回：{up.return_reason}"
        with audit.reason(note):
            up.save()
        _move_rows(unit=unit, period=period, to=SubmissionStatus.RETURNED, reason=note,
                   project_ids=list(reasons) if reasons else None, return_reasons=reasons)
        send_on_commit(signals.period_returned, sender=UnitPeriod, unit_period=up, actor=actor,
                       project_ids=sorted(reasons))
    return up


# ---------------------------------------------------------------------------
# Corrections of approved rows

def correction_request(*, actor: User, report_id: int, changes: dict[str, Any], reason: str) -> CorrectionRequest:
    """Ask the city to change an approved (locked) row; nothing changes until the city approves."""
    if not ProgressReport.objects.visible_to(actor).filter(pk=report_id).exists():
        raise NotFound("填报记录不存在或不在您的查看范围内")
    if not ProgressReport.objects.editable_by(actor).filter(pk=report_id).exists():
        raise PermissionRefused("您对该填报记录只有查看权限，不能申请更正")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("更正申请须填写原因", field="reason")
    if len(reason) > 2000:
        raise ValidationFailed("更正原因不超过2000字", field="reason")
    cleaned = clean_report_data(changes or {}, creating=False)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report_id)
        if report.status != SubmissionStatus.APPROVED:
            raise WrongState("只有已审核锁定的填报需要更正申请；尚未锁定的填报请直接修改")
        if CorrectionRequest.objects.filter(report=report, status=CorrectionStatus.PENDING).exists():
            raise WrongState("该填报已有待审核的更正申请，请等待市发展改革委处理")
        diff = {name: value for name, value in cleaned.items() if getattr(report, name) != value}
        if not diff:
            raise ValidationFailed("申请的数值与现有数据相同，没有需要更正的内容", field="changes")
        with audit.reason(reason):
            correction = CorrectionRequest.objects.create(unit_id=report.unit_id, report=report,
                                                          changes=changes_as_json(diff), reason=reason,
                                                          requested_by=actor, requested_at=clock.now())
    return correction


def correction_decide(*, actor: User, correction_id: int, approve: bool, note: str = "") -> CorrectionRequest:
    """The city approves (the change is applied, derived amounts and summaries recomputed) or rejects."""
    if not CorrectionRequest.objects.visible_to(actor).filter(pk=correction_id).exists():
        raise NotFound("更正申请不存在或不在您的查看范围内")
    policy.require(actor, "manage_city_data", message="只有市发展改革委可以" + "审核更正申请")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed("驳回更正申请须填写理由", field="note")
    if len(note) > 2000:
        raise ValidationFailed("审核意见不超过2000字", field="note")
    with transaction.atomic():
        correction = CorrectionRequest.objects.select_for_update().get(pk=correction_id)
        if correction.status != CorrectionStatus.PENDING:
            raise WrongState("该更正申请已处理，不能再次审核")
        moment = clock.now()
        if approve:
            report = ProgressReport.objects.select_for_update().select_related("period").get(pk=correction.report_id)
            cleaned = clean_report_data(correction.changes, creating=False)
            baseline = _chain_baseline(report.project_id)
            why = f"更正申请#{correction.pk}：{correction.reason}"
            with audit.reason(why), audit.coalesced():  # one entry for the row, its totals included
                ProgressReport.objects.filter(pk=report.pk).update(**cleaned, version=F("version") + 1,
                                                                   updated_at=moment, updated_by=actor)
                changed = _recompute_chain(project_id=report.project_id, baseline_yuan=baseline, reason=why)
            report = ProgressReport.objects.select_related("period").get(pk=report.pk)
            _refresh_summaries([report, *changed])
        correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
        correction.decided_by, correction.decided_at, correction.decision_note = actor, moment, note
        with audit.reason(("同意更正" if approve else "驳回更正") + (f"：{note}" if note else "")):
            correction.save()
    return correction
