"""Pages of the special-bond module (二(二)8): the evaluation and ranking, the talk list, the
unit's bond projects, one quota's issuance and spending, the Excel export and the ledger upload.

Thin: parse, call one selector or service, render. Out-of-scope objects are 404.
"""

from __future__ import annotations

import io
import os
import tempfile

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tuijin.errors import ApplicationError, ValidationFailed
from tuijin.orgs.models import Org
from tuijin.orgs.roles import Role
from tuijin.plan import active_plan
from tuijin.spreadsheets import refusal

from . import selectors
from .exports import write_bonds_xlsx
from .importing import import_ledger
from .models import BondQuota, BondSpending

DEFAULT_YEAR = 2022


def _year_month(request: HttpRequest) -> tuple[int, int]:
    try:
        return selectors.check_year_month(request.GET.get("year") or DEFAULT_YEAR, request.GET.get("month") or None)
    except ValidationFailed:
        return selectors.check_year_month(DEFAULT_YEAR)


def _unit_filter(request: HttpRequest) -> str | None:
    """``?unit=`` must be a unit the user may see: another unit's code is 404."""
    code = request.GET.get("unit") or None
    if code is None:
        return None
    unit = Org.objects.reporting_units().filter(code=code).first()
    own = request.user.reporting_unit
    if unit is None or (not request.user.sees_city_wide and (own is None or own.pk != unit.pk)):
        raise Http404("单位不存在或不在您的查看范围内")
    return code


@login_required
def overview(request: HttpRequest, *, import_result: dict | None = None, status: int = 200) -> HttpResponse:
    selectors.require_reader(request.user)
    year, month = _year_month(request)
    unit = _unit_filter(request)
    result = selectors.evaluation(user=request.user, year=year, month=month)
    labels = selectors.part_labels()
    chart = {"labels": [r.org.display_name for r in result.rows], "values": [float(r.score.total) for r in result.rows],
             "talk": [r.score.talk for r in result.rows],
             "threshold": float(active_plan().rules.bond_evaluation.talk_threshold)}
    context = {
        "year": year, "month": month, "months": range(1, 13), "unit": unit,
        "evaluation": result, "labels": labels, "chart": chart,
        "batches": selectors.batches(year=year),
        "quotas": selectors.quota_rows(user=request.user, year=year, unit=unit),
        "applications": selectors.applications(user=request.user, year=year),
        "violations": selectors.violations(user=request.user, year=year),
        "may_import": request.user.has_role(Role.CITY_ADMIN, Role.UNIT),
        "import_result": import_result,
    }
    return render(request, "bonds/overview.html", context, status=status)


@login_required
def quota_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_reader(request.user)
    quota = BondQuota.objects.visible_to(request.user).select_related("batch", "project", "unit").filter(pk=pk).first()
    if quota is None:
        raise Http404("专项债券额度不存在或不在您的查看范围内")
    spending = BondSpending.objects.visible_to(request.user).filter(project=quota.project, year=quota.batch.year)
    return render(request, "bonds/quota.html", {"quota": quota, "issuances": list(quota.issuances.all()),
                                                 "spending": list(spending)})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    year, month = _year_month(request)
    unit = _unit_filter(request)
    out = io.BytesIO()
    write_bonds_xlsx(selectors.evaluation(user=request.user, year=year, month=month),
                     selectors.quota_rows(user=request.user, year=year, unit=unit), selectors.part_labels(), out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bonds-{year}-{month:02d}.xlsx"'
    return response


def run_ledger_import(*, actor, upload, dry_run: bool) -> dict:  # noqa: ANN001
    """Save the upload, import it, remove it; the result JSON (shared by the page and the API)."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return import_ledger(actor=actor, path=path, dry_run=dry_run).as_dict()
        except ApplicationError:
            raise
        except Exception as exc:
            raise ValidationFailed("无法读取或导入该文件，请确认它是 .xlsx 文件", field="file") from exc
    finally:
        os.unlink(path)


@login_required
@require_POST
def ledger_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    status = 200
    if upload is None:
        result, status = refusal("请选择要上传的 .xlsx 文件"), 400
    else:
        try:
            result = run_ledger_import(actor=request.user, upload=upload, dry_run=bool(request.POST.get("dry_run")))
        except ApplicationError as exc:
            result, status = refusal(exc.message), exc.status_code
    if status == 200 and not result["ok"]:
        status = 400
    request.GET = request.GET.copy()
    return overview(request, import_result=result, status=status)
