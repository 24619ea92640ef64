"""Pages of incentives (二(六)15–18): proposals (免申即享) with the scan button, the calculator,
applications and their workflow, attachments, and the budget view. Thin: parse, call one
selector or service, render; refused actions are shown by ``ApplicationErrorMiddleware``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.audit.models import AuditEntry
from tuijin.orgs import policy
from tuijin.plan import current_plan
from tuijin.toolkit.errors import ApplicationError, NotFound, ValidationFailed

from . import quotes, selectors, services, tasks
from .models import ApplicationStatus, IncentiveRule, ProposalStatus

STATUS_BADGES = {"proposed": "text-bg-warning", "confirmed": "text-bg-success", "rejected": "text-bg-secondary",
                 "submitted": "text-bg-warning", "reviewed": "text-bg-info", "approved": "text-bg-primary",
                 "paid": "text-bg-success"}


def _business(request: HttpRequest) -> None:
    policy.require(request.user, "read_business_data", message="您的角色不能查看投资奖补")


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year")
    if not raw:
        plan = current_plan()
        return plan.rules.incentives.budget_year if plan.rules.incentives else plan.meta.year
    try:
        year = int(raw)
    except ValueError:
        raise ValidationFailed("年度应为四位年份", field="year") from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年度应在2000—2100之间", field="year")
    return year


@policy.requires("read_business_data")
@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    _business(request)
    year = _year(request)
    rule = request.GET.get("rule", "")
    status = request.GET.get("status", "")
    qs = selectors.proposals_for(user=request.user, year=year, rule=rule if rule in IncentiveRule.values else "",
                                 status=status if status in ProposalStatus.values else "")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "incentives/proposals.html", {
        "tab": "proposals", "year": year, "rule": rule, "status": status, "page": page,
        "rules": IncentiveRule.choices, "statuses": ProposalStatus.choices, "badges": STATUS_BADGES,
        "may_scan": policy.can(request.user, "act_for_city_or_department", services.deciding_departments()), "may_decide": policy.can(request.user, "act_for_department", services.deciding_departments()),
        "may_apply": policy.can(request.user, "act_for_a_unit"),
    })


@policy.requires("read_business_data")
@login_required
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    _business(request)
    job = tasks.scan_enqueue(actor=request.user, year=_year(request))
    return redirect("jobs:detail", pk=job.pk)


@policy.requires("read_business_data")
@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.proposal_decide(actor=request.user, proposal_id=pk, confirm=confirm,
                                 reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proposal confirmed.") if confirm else _("Proposal rejected."))
    return redirect(request.POST.get("next") or reverse("incentives:proposals"))


@policy.requires("read_business_data")
@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    _business(request)
    rule = request.GET.get("rule") or "interest_subsidy"
    if rule not in quotes.QUOTE_RULES:
        rule = "interest_subsidy"
    result = error = None
    if "calculate" in request.GET:
        data = {k: v for k, v in request.GET.items() if k in [*quotes.AMOUNTS[rule], *quotes.FLAGS[rule], "rate",
                                                                  "nature"]}
        try:
            result = quotes.quote(rule, data)
        except ApplicationError as exc:
            error = exc
    return render(request, "incentives/calculator.html", {
        "tab": "calculator", "rule": rule, "rules": quotes.QUOTE_RULES.items(), "result": result, "error": error,
        "values": request.GET, "plan": current_plan(),
    })


@policy.requires("read_business_data")
@login_required
def applications(request: HttpRequest) -> HttpResponse:
    _business(request)
    status = request.GET.get("status", "")
    qs = selectors.applications_for(user=request.user, status=status if status in ApplicationStatus.values else "")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "incentives/applications.html", {
        "tab": "applications", "page": page, "status": status, "statuses": ApplicationStatus.choices,
        "badges": STATUS_BADGES, "may_apply": policy.can(request.user, "act_for_a_unit"),
    })


@policy.requires("read_business_data")
@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    _business(request)
    values: dict[str, Any] = dict(request.POST.items()) if request.method == "POST" else dict(request.GET.items())
    error = None
    if request.method == "POST":
        inputs = {k: values.get(k) for k in ("loan", "rate", "equipment", "pre_expenses") if values.get(k)}
        try:
            project_id = int(values.get("project") or 0)
        except ValueError:
            project_id = 0
        try:
            proposal = int(values["proposal"]) if values.get("proposal") else None
            app = services.application_submit(actor=request.user, project_id=project_id, rule=values.get("rule", ""),
                                              period=values.get("period") or 0, inputs=inputs,
                                              owner_name=values.get("owner_name", ""),
                                              owner_uscc=values.get("owner_uscc", ""), proposal_id=proposal)
        except (ApplicationError, ValueError) as exc:
            error = exc if isinstance(exc, ApplicationError) else ValidationFailed("关联线索编号无效")
        else:
            messages.success(request, _("Application submitted. Upload the evidence next."))
            return redirect("incentives:application", pk=app.pk)
    return render(request, "incentives/application_new.html", {
        "tab": "applications", "values": values, "error": error,
        "rules": [(code, services.RULE_NAMES[code]) for code in services.APPLICATION_RULES],
    })


@policy.requires("read_business_data")
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    app = selectors.application_get(user=request.user, application_id=pk)
    user = request.user
    history = _history(app)
    return render(request, "incentives/application.html", {
        "tab": "applications", "app": app, "badges": STATUS_BADGES, "history": history,
        "may_upload": app.status == "submitted" and policy.can(user, "act_for_a_unit"),
        "may_review": app.status == "submitted" and policy.can(user, "act_for_department", services.reviewing_department(app.rule)),
        "may_approve": app.status == "reviewed" and policy.can(user, "act_for_department", services.approving_department()),
        "may_pay": app.status == "approved" and policy.can(user, "act_for_department", services.approving_department()),
        "may_reject": (app.status == "submitted" and (policy.can(user, "act_for_department", services.reviewing_department(app.rule))
                                                      or policy.can(user, "act_for_department", services.approving_department())))
        or (app.status == "reviewed" and policy.can(user, "act_for_department", services.approving_department())),
        "rule_name": services.RULE_NAMES.get(app.rule, app.rule),
    })


def _history(app: Any) -> list[Any]:
    return list(AuditEntry.objects.filter(object_type="incentives.application", object_id=str(app.pk))
                .order_by("at", "id"))


@policy.requires("read_business_data")
@login_required
@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _business(request)
    user = request.user
    try:
        if action == "review":
            services.application_review(actor=user, application_id=pk, note=request.POST.get("note", ""))
        elif action == "approve":
            services.application_approve(actor=user, application_id=pk, amount_wan=request.POST.get("amount_wan"),
                                         case_by_case=request.POST.get("case_by_case") == "on",
                                         case_by_case_reason=request.POST.get("case_by_case_reason", ""))
        elif action == "pay":
            services.application_pay(actor=user, application_id=pk, reference=request.POST.get("reference", ""))
        elif action == "reject":
            services.application_reject(actor=user, application_id=pk, reason=request.POST.get("reason", ""))
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationFailed("请选择要上传的文件", field="file")
            services.attachment_add(actor=user, application_id=pk, upload=upload, kind=request.POST.get("kind", ""))
        else:
            raise ValidationFailed("未知操作")
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("incentives:application", pk=pk)


@policy.requires("read_business_data")
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    _business(request)
    app = selectors.application_get(user=request.user, application_id=pk)
    attachment = app.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在")
    return FileResponse(open(services.attachment_path(attachment), "rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@policy.requires("read_business_data")
@login_required
def budget(request: HttpRequest) -> HttpResponse:
    _business(request)
    view = selectors.budget_view(user=request.user, year=_year(request))
    chart = {"rules": [r["name"] for r in view["rules"]],
             "budget": [float(r["budget_wan"] or 0) for r in view["rules"]],
             "committed": [float(r["committed_wan"]) for r in view["rules"]],
             "paid": [float(r["paid_wan"]) for r in view["rules"]]}
    return render(request, "incentives/budget.html", {"tab": "budget", "view": view, "chart": chart})
