"""Pages of monthly reporting (DESIGN §6): the city's period dashboard, a unit's period grid with
inline edits, template download, upload with its result, submit, review, and corrections.

Thin: parse, call one service or read, render. A refused action (``ApplicationError``) is shown
on the page it came from, or as the error page by ``ApplicationErrorMiddleware``.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import Org, may_edit_unit
from tuijin.toolkit.errors import ApplicationError, PermissionRefused, StaleEdit, ValidationFailed
from tuijin.toolkit.spreadsheets import refusal

from . import rules, selectors, services
from .forms import CorrectionForm, DecisionForm, ReportRowForm, ReturnForm, UploadForm
from .importing import PROGRESS
from .models import CorrectionStatus, Period, SubmissionStatus
from .workbook import write_status_xlsx

#: Colours (Bootstrap classes) of a project's plan-vs-actual status: ahead green, normal blue, lagging red.
PROGRESS_BADGES = {
    rules.AHEAD: "text-bg-success",
    rules.NORMAL: "text-bg-primary",
    rules.LAGGING: "text-bg-danger",
    rules.NO_PLAN: "text-bg-secondary",
}
SUBMISSION_BADGES = {
    SubmissionStatus.DRAFT: "text-bg-secondary",
    SubmissionStatus.SUBMITTED: "text-bg-primary",
    SubmissionStatus.RETURNED: "text-bg-warning",
    SubmissionStatus.APPROVED: "text-bg-success",
}
CORRECTION_LABELS = {CorrectionStatus.PENDING: "待审核", CorrectionStatus.APPROVED: "已同意",
                     CorrectionStatus.REJECTED: "已驳回"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labels() -> dict[str, Any]:
    return {"progress_labels": rules.STATUS_LABELS, "progress_badges": PROGRESS_BADGES,
            "submission_labels": services.STATUS_LABELS, "submission_badges": SUBMISSION_BADGES}


def _recent_periods(selected: Period) -> list[str]:
    codes = list(Period.objects.order_by("-year", "-month").values_list("code", flat=True)[:36])
    if selected.code not in codes:
        codes.insert(0, selected.code)
    return codes


# ---------------------------------------------------------------------------
# The city's dashboard

@policy.signed_in
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The city's period dashboard; a unit user goes to its own period page."""
    user = request.user
    code = request.GET.get("period") or selectors.latest_period_code(user=request.user)
    if not policy.can(user, "read_city_wide"):
        policy.require(user, "act_for_a_unit", message="您的角色不查看月度报送")
        return redirect("reporting:unit-period", period=code, unit=user.reporting_unit.code)
    period = services.period_get(code)
    lines = selectors.period_dashboard(user=user, period=period)
    statuses = Counter(line.submission.status for line in lines)
    context = {
        "period": period,
        "periods": _recent_periods(period),
        "lines": lines,
        "totals": {
            "units": len(lines),
            "submitted": statuses[SubmissionStatus.SUBMITTED] + statuses[SubmissionStatus.APPROVED],
            "approved": statuses[SubmissionStatus.APPROVED],
            "returned": statuses[SubmissionStatus.RETURNED],
            "waiting": statuses[SubmissionStatus.SUBMITTED],
            "late": sum(1 for line in lines if line.submission.late or line.overdue),
        },
        "pending_corrections": selectors.corrections_list(user=user, status=CorrectionStatus.PENDING).count(),
        "may_review": policy.can(user, "manage_city_data"),
        "time_progress": rules.time_progress(period.month),
        **_labels(),
    }
    return render(request, "reporting/overview.html", context)


@policy.requires("read_city_wide")
@login_required
def overview_export(request: HttpRequest) -> FileResponse:
    """The city's submission table of a period as Excel (the units the user may see)."""
    policy.require(request.user, "read_city_wide", message="报送情况汇总表仅供市级用户导出")
    period = services.period_get(request.GET.get("period") or selectors.latest_period_code(user=request.user))
    spool = tempfile.TemporaryFile()
    write_status_xlsx(selectors.period_dashboard(user=request.user, period=period), spool,
                      period_code=period.code, deadline=period.deadline)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"月度报送情况-{period.code}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---------------------------------------------------------------------------
# A unit's period

def _unit_and_period(request: HttpRequest, period: str, unit: str) -> tuple[Org, Period]:
    return selectors.unit_get(user=request.user, code=unit), services.period_get(period)


def _unit_page(request: HttpRequest, unit: Org, period: Period, *, status: int = 200,
               **extra: Any) -> HttpResponse:
    user = request.user
    submission = selectors.unit_period_state(user=request.user, unit=unit, period=period)
    lines = selectors.unit_period_grid(user=user, unit=unit, period=period)
    may_edit = selectors.may_edit_rows(user=user, unit=unit, submission=submission)
    by_status = Counter(line.status for line in lines)
    filled = sum(1 for line in lines if line.report is not None)
    context = {
        "unit": unit,
        "period": period,
        "periods": _recent_periods(period),
        "submission": submission,
        "lines": lines,
        "filled": filled,
        "missing": sum(1 for line in lines if line.report is None),
        "warnings_count": sum(len(line.warnings) for line in lines),
        "by_status": [(code, rules.STATUS_LABELS[code], by_status.get(code, 0), PROGRESS_BADGES[code])
                      for code in (rules.AHEAD, rules.NORMAL, rules.LAGGING, rules.NO_PLAN)],
        "totals": {
            "month": sum(line.report.month_amount_yuan for line in lines if line.report),
            "ytd": sum(line.ytd_yuan for line in lines),
            "plan": sum(line.annual_plan_yuan or 0 for line in lines),
        },
        "time_progress": rules.time_progress(period.month),
        "may_edit": may_edit,
        "may_upload": may_edit_unit(user, unit) and submission.status not in services.LOCKED_STATUSES,
        "may_submit": (policy.can(user, "submit_for_unit", unit)
                       and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)),
        "may_review": policy.can(user, "manage_city_data") and submission.status == SubmissionStatus.SUBMITTED,
        "may_correct": may_edit_unit(user, unit) and submission.status == SubmissionStatus.APPROVED,
        "upload_form": extra.pop("upload_form", None) or UploadForm(),
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        "async_rows": settings.TUIJIN_ASYNC_IMPORT_ROWS,
        **_labels(),
        **extra,
    }
    return render(request, "reporting/unit_period.html", context, status=status)


@policy.signed_in
@login_required
def unit_period(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    org, per = _unit_and_period(request, period, unit)
    return _unit_page(request, org, per)


@policy.signed_in
@login_required
def template_download(request: HttpRequest, period: str, unit: str) -> FileResponse:
    """The unit's Excel template for the period, its projects pre-filled (reporting.workbook)."""
    from .workbook import write_progress_template

    org, per = _unit_and_period(request, period, unit)
    spool = tempfile.TemporaryFile()
    write_progress_template(user=request.user, unit=org, period=per, out=spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, content_type=XLSX,
                        filename=f"{org.display_name}-{per.code}-月度进展.xlsx")


@policy.signed_in
@login_required
@require_POST
def upload(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    """Upload a filled template: the result (errors, warnings, summary) on the unit's page."""
    org, per = _unit_and_period(request, period, unit)
    admission = uploads.admit(PROGRESS, actor=request.user, door=uploads.PAGE, period=per.code, unit=org.code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _unit_page(request, org, per, status=400, upload_form=form)
    try:
        outcome = admission.receive(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
    except ApplicationError as exc:
        return _unit_page(request, org, per, status=exc.status_code, upload_form=form,
                          import_result=refusal(exc.message))
    if outcome.job is not None:
        return redirect("jobs:detail", pk=outcome.job.pk)
    return _unit_page(request, org, per, status=200, upload_form=UploadForm(), import_result=outcome.result,
                      dry_run=form.cleaned_data["dry_run"])


@policy.signed_in
@login_required
@require_POST
def submit(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    org, per = _unit_and_period(request, period, unit)
    try:
        up = services.unit_period_submit(actor=request.user, unit_code=org.code, period_code=per.code)
    except services.SubmissionIncomplete as exc:
        return _unit_page(request, org, per, status=exc.status_code, action_error=exc,
                          missing_projects=exc.extra.get("missing", []))
    message = _("Submitted. The city will review it.")
    if up.late:
        message += " " + _("Submitted after the deadline: marked late.")
    messages.success(request, message)
    return redirect("reporting:unit-period", period=per.code, unit=org.code)


@policy.signed_in
@login_required
@require_POST
def approve(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    org, per = _unit_and_period(request, period, unit)
    services.unit_period_approve(actor=request.user, unit_code=org.code, period_code=per.code)
    messages.success(request, _("%(unit)s %(period)s approved and locked.") % {"unit": org.display_name,
                                                                               "period": per.code})
    return redirect(_back(request, reverse("reporting:overview") + f"?period={per.code}"))


@policy.signed_in
@login_required
@require_POST
def return_period(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    org, per = _unit_and_period(request, period, unit)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, org, per, status=400, return_form=form)
    try:
        services.unit_period_return(actor=request.user, unit_code=org.code, period_code=per.code,
                                    reason=form.cleaned_data["reason"], project_reasons=form.project_reasons())
    except ValidationFailed as exc:
        return _unit_page(request, org, per, status=400, return_form=form, action_error=exc)
    messages.success(request, _("%(unit)s %(period)s returned to the unit.") % {"unit": org.display_name,
                                                                                "period": per.code})
    return redirect(_back(request, reverse("reporting:overview") + f"?period={per.code}"))


def _back(request: HttpRequest, default: str) -> str:
    """A local ``next`` from the form, else ``default``."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


# ---------------------------------------------------------------------------
# Inline edit of one row (htmx)

def _row_context(request: HttpRequest, unit: Org, period: Period, project_id: int, **extra: Any) -> dict[str, Any]:
    submission = selectors.unit_period_state(user=request.user, unit=unit, period=period)
    return {
        "line": selectors.grid_line(user=request.user, unit=unit, period=period, project_id=project_id),
        "unit": unit,
        "period": period,
        "submission": submission,
        "may_edit": selectors.may_edit_rows(user=request.user, unit=unit, submission=submission),
        "may_review": False,
        "may_correct": may_edit_unit(request.user, unit) and submission.status == SubmissionStatus.APPROVED,
        **_labels(),
        **extra,
    }


@policy.signed_in
@login_required
def row(request: HttpRequest, period: str, unit: str, project_id: int) -> HttpResponse:
    """GET: one row as shown. POST: save it, then the row as shown, or the form with inline errors."""
    org, per = _unit_and_period(request, period, unit)
    if request.method != "POST":
        return render(request, "reporting/_row.html", _row_context(request, org, per, project_id))
    form = ReportRowForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.report_save(actor=request.user, project_id=project_id, period_code=per.code,
                                 data=form.service_data(), version=form.loaded_version())
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        except ValidationFailed as exc:
            form.add_service_errors(exc.errors)
            if not exc.errors:
                form.add_error(None, exc.message)
        except ApplicationError as exc:
            if not request.headers.get("HX-Request"):
                raise
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            if request.headers.get("HX-Request"):
                return render(request, "reporting/_row.html",
                              _row_context(request, org, per, project_id, saved=True))
            messages.success(request, _("Saved."))
            return redirect("reporting:unit-period", period=per.code, unit=org.code)
    if not request.headers.get("HX-Request"):
        problem = ValidationFailed("填报内容有误，请按提示修改",
                                   errors={k: [str(m) for m in v] for k, v in form.errors.items()})
        return _unit_page(request, org, per, status=status, action_error=problem)
    context = _row_context(request, org, per, project_id, form=form)
    return render(request, "reporting/_row_form.html", context, status=status)


@policy.signed_in
@login_required
def row_edit(request: HttpRequest, period: str, unit: str, project_id: int) -> HttpResponse:
    """The row as a form (htmx swaps it in place of the row)."""
    org, per = _unit_and_period(request, period, unit)
    context = _row_context(request, org, per, project_id)
    if not context["may_edit"] or not context["line"].editable:
        raise services.PeriodLocked("本期或该项目的填报已锁定，不能修改")
    context["form"] = ReportRowForm(initial=ReportRowForm.initial_from(context["line"].report))
    return render(request, "reporting/_row_form.html", context)


# ---------------------------------------------------------------------------
# Corrections

@policy.signed_in
@login_required
def correction_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction request on an approved row: the values to change and why."""
    report = selectors.progress_detail(user=request.user, report_id=pk)
    if not may_edit_unit(request.user, report.unit):
        raise PermissionRefused("您对该填报记录只有查看权限，不能申请更正")
    form = CorrectionForm(request.POST or None, initial={**ReportRowForm.initial_from(report)})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request(actor=request.user, report_id=pk, changes=form.changes(report),
                                        reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            for name, errors in exc.errors.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Correction request sent to the city for review."))
            return redirect("reporting:unit-period", period=report.period.code, unit=report.unit.code)
    if form.errors:
        status = 400
    return render(request, "reporting/correction_form.html",
                  {"report": report, "form": form, "time_progress": rules.time_progress(report.period.month),
                   **_labels()}, status=status)


@policy.signed_in
@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    """Correction requests: the city reviews the pending ones; a unit follows its own."""
    user = request.user
    policy.require(user, "read_business_data", message="您的角色不查看月度报送")
    status = request.GET.get("status", CorrectionStatus.PENDING)
    if status not in CorrectionStatus.values:
        status = ""
    items = list(selectors.corrections_list(user=user, status=status or None)[:200])
    return render(request, "reporting/corrections.html", {
        "items": items, "status": status, "statuses": CorrectionStatus.values,
        "status_labels": CORRECTION_LABELS, "may_decide": policy.can(user, "manage_city_data"),
        "field_labels": services.FIELD_LABELS,
    })


@policy.signed_in
@login_required
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed("请选择同意或驳回")
    correction = services.correction_decide(actor=request.user, correction_id=pk,
                                            approve=form.cleaned_data["decision"] == "approve",
                                            note=form.cleaned_data["note"])
    if correction.status == CorrectionStatus.APPROVED:
        messages.success(request, _("Correction approved and applied."))
    else:
        messages.info(request, _("Correction rejected."))
    return redirect("reporting:corrections")
