"""Pages of the special-bond module (二(二)8): the evaluation and ranking, the talk list, the
unit's bond projects, one quota's issuance and spending, the Excel export and the ledger upload.

Thin: parse, call one selector or service, render. Out-of-scope objects are 404.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.orgs.models import Org
from tuijin.toolkit.errors import ApplicationError, ValidationFailed
from tuijin.toolkit.spreadsheets import refusal

from . import plan_terms, selectors, services
from .exports import write_bonds_xlsx
from .importing import LEDGER
from .models import BondQuota, BondSpending


def _year_month(request: HttpRequest) -> tuple[int, int]:
    try:
        return selectors.check_year_month(user=request.user, year=request.GET.get("year") or plan_terms.plan_year(),
                                          month=request.GET.get("month") or None)
    except ValidationFailed:
        return selectors.check_year_month(user=request.user, year=plan_terms.plan_year())


def _unit_filter(request: HttpRequest) -> str | None:
    """``?unit=`` must be a unit the user may see: another unit's code is 404."""
    code = request.GET.get("unit") or None
    if code is None:
        return None
    unit = Org.objects.reporting_units().filter(code=code).first()
    if unit is None or not policy.can(request.user, "view_unit", unit):
        raise Http404("单位不存在或不在您的查看范围内")
    return code


@policy.requires("read_business_data")
@login_required
def overview(request: HttpRequest, *, import_result: dict | None = None, status: int = 200) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不能查看专项债券数据")
    year, month = _year_month(request)
    unit = _unit_filter(request)
    result = selectors.evaluation(user=request.user, year=year, month=month)
    labels = plan_terms.part_labels(year, month)
    chart = {"labels": [r.org.display_name for r in result.rows], "values": [float(r.score.total) for r in result.rows],
             "talk": [r.score.talk for r in result.rows],
             "threshold": float(plan_terms.plan_of(year, month).rules.bond_evaluation.talk_threshold)}
    context = {
        "year": year, "month": month, "months": range(1, 13), "unit": unit,
        "evaluation": result, "labels": labels, "chart": chart,
        "batches": selectors.batches(user=request.user, year=year),
        "quotas": selectors.quota_rows(user=request.user, year=year, unit=unit),
        "applications": selectors.applications(user=request.user, year=year),
        "violations": selectors.violations(user=request.user, year=year),
        "may_import": policy.can(request.user, "write_business_data"),  # whether to show the upload form
        "is_city_admin": policy.can(request.user, "manage_city_data"),
        "own_unit": request.user.reporting_unit,
        "units": Org.objects.reporting_units(),
        "import_result": import_result,
    }
    return render(request, "bonds/overview.html", context, status=status)


@policy.requires("read_business_data")
@login_required
def quota_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不能查看专项债券数据")
    quota = BondQuota.objects.visible_to(request.user).select_related("batch", "project", "unit").filter(pk=pk).first()
    if quota is None:
        raise Http404("专项债券额度不存在或不在您的查看范围内")
    spending = BondSpending.objects.visible_to(request.user).filter(project=quota.project, year=quota.batch.year)
    return render(request, "bonds/quota.html", {
        "quota": quota, "issuances": list(quota.issuances.all()), "spending": list(spending),
        "is_city_admin": policy.can(request.user, "manage_city_data"),
        "may_spend": BondQuota.objects.editable_by(request.user).filter(pk=pk).exists()
        and policy.can(request.user, "write_business_data")})


@policy.requires("read_business_data")
@login_required
def export(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不能查看专项债券数据")
    year, month = _year_month(request)
    unit = _unit_filter(request)
    out = io.BytesIO()
    write_bonds_xlsx(selectors.evaluation(user=request.user, year=year, month=month),
                     selectors.quota_rows(user=request.user, year=year, unit=unit), plan_terms.part_labels(year, month), out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bonds-{year}-{month:02d}.xlsx"'
    return response


@policy.signed_in
@login_required
@require_POST
def ledger_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    status = 200
    if upload is None:
        result, status = refusal("请选择要上传的 .xlsx 文件"), 400
    else:
        try:
            result = uploads.receive(LEDGER, upload, actor=request.user, door=uploads.PAGE,
                                     dry_run=bool(request.POST.get("dry_run"))).result
        except ApplicationError as exc:
            result, status = refusal(exc.message), exc.status_code
    if status == 200 and not result["ok"]:
        status = 400
    request.GET = request.GET.copy()
    return overview(request, import_result=result, status=status)


def _act(request: HttpRequest, call, done: str, back: str) -> HttpResponse:
    """Run one service from a page form: a message either way, then back to the page."""
    try:
        call()
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _quota_or_404(request: HttpRequest, pk: int) -> BondQuota:
    quota = BondQuota.objects.visible_to(request.user).select_related("batch").filter(pk=pk).first()
    if quota is None:
        raise Http404("专项债券额度不存在或不在您的查看范围内")
    return quota


@policy.requires("manage_city_data")
@login_required
@require_POST
def quota_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _quota_or_404(request, pk)
    return _act(request, lambda: services.issuance_record(
        actor=request.user, quota_id=pk, issued_on=request.POST.get("issued_on", ""),
        amount_wan=request.POST.get("amount", "")), "已登记发行", f"/bonds/quotas/{pk}/")


@policy.signed_in
@login_required
@require_POST
def quota_spend(request: HttpRequest, pk: int) -> HttpResponse:
    quota = _quota_or_404(request, pk)
    month = request.POST.get("month", "")

    def call() -> None:
        if not month.isdigit():
            raise ValidationFailed("月份应为1–12", field="month")
        services.spending_record(actor=request.user, project_id=quota.project_id, year=quota.batch.year,
                                 month=int(month), amount_wan=request.POST.get("amount", ""))

    return _act(request, call, "已登记支出", f"/bonds/quotas/{pk}/")


@policy.signed_in
@login_required
@require_POST
def application_submit(request: HttpRequest) -> HttpResponse:
    year = request.POST.get("year", "")
    return _act(request, lambda: services.application_submit(
        actor=request.user, unit_code=request.POST.get("unit", ""), name=request.POST.get("name", ""),
        year=int(year) if year.isdigit() else plan_terms.plan_year(), amount_wan=request.POST.get("amount", ""),
        submitted_on=request.POST.get("submitted_on") or None), "已报送补充申报项目", "/bonds/#applications")


@policy.requires("manage_city_data")
@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, lambda: services.application_review(
        actor=request.user, application_id=pk, status=request.POST.get("status", ""),
        note=request.POST.get("note", "")), "已审核", "/bonds/#applications")


@policy.requires("manage_city_data")
@login_required
@require_POST
def violation_record(request: HttpRequest) -> HttpResponse:
    return _act(request, lambda: services.violation_record(
        actor=request.user, unit_code=request.POST.get("unit", ""), occurred_on=request.POST.get("occurred_on", ""),
        description=request.POST.get("description", "")), "已登记违规情况", "/bonds/#violations")
