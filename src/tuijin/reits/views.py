"""Pages of the REITs pipeline (二(五)12、二(六)18): the list by stage and list, one entry with its
moves, adding a project, moving a stage, and the Excel export. Thin doors onto services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.toolkit.errors import ApplicationError

from . import exports, selectors, services
from .models import ReitsEntry, ReitsList, ReitsStage


def _business(request: HttpRequest) -> None:
    policy.require(request.user, "read_business_data", message="您的角色不能查看REITs项目库")


@policy.requires("read_business_data")
@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    _business(request)
    stage = request.GET.get("stage", "")
    batch = request.GET.get("list", "")
    entries = list(selectors.entries_for(user=request.user, stage=stage, batch_list=batch))
    may_add = ReitsEntry.objects.editable_by(request.user).exists() or policy.can(request.user, "act_for_a_unit") \
        or policy.can(request.user, "manage_city_data")
    return render(request, "reits/list.html", {
        "entries": entries, "stage": stage, "list": batch, "counts": selectors.pipeline_counts(user=request.user),
        "stages": ReitsStage.choices, "lists": ReitsList.choices, "may_add": may_add,
    })


@policy.requires("read_business_data")
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    entry = selectors.entry_get(user=request.user, entry_id=pk)
    editable = ReitsEntry.objects.editable_by(request.user).filter(pk=pk).exists()
    codes = list(services.stage_codes())
    index = codes.index(entry.stage)
    next_stage = codes[index + 1] if index + 1 < len(codes) else None
    return render(request, "reits/detail.html", {
        "entry": entry, "editable": editable, "next_stage": next_stage,
        "next_label": ReitsStage(next_stage).label if next_stage else "", "moves": list(entry.moves.all()),
    })


@policy.requires("read_business_data")
@login_required
@require_POST
def entry_create(request: HttpRequest) -> HttpResponse:
    _business(request)
    try:
        project_id = int(request.POST.get("project") or 0)
    except ValueError:
        project_id = 0
    try:
        entry = services.entry_create(actor=request.user, project_id=project_id, data={
            "asset_type": request.POST.get("asset_type", ""), "sponsor": request.POST.get("sponsor", "")})
    except ApplicationError as exc:
        if exc.status_code == 404 and exc.field != "project":
            raise
        messages.error(request, exc.message)
        return redirect("reits:list")
    return redirect("reits:detail", pk=entry.pk)


@policy.requires("read_business_data")
@login_required
@require_POST
def entry_update(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    data = {"in_national_reserve": request.POST.get("in_national_reserve") == "on",
            "registered_locally": request.POST.get("registered_locally") == "on",
            "pre_expenses_wan": request.POST.get("pre_expenses_wan", "0") or "0"}
    try:
        services.entry_update(actor=request.user, entry_id=pk, data=data)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("reits:detail", pk=pk)


@policy.requires("read_business_data")
@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    p = request.POST
    try:
        services.entry_move(actor=request.user, entry_id=pk, to=p.get("to", ""), on=p.get("on", ""),
                            reason=p.get("reason", ""), issue_date=p.get("issue_date"),
                            issue_amount_wan=p.get("issue_amount_wan"), operating_since=p.get("operating_since"))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Stage moved."))
    return redirect("reits:detail", pk=pk)


@policy.requires("read_business_data")
@login_required
def entry_export(request: HttpRequest) -> HttpResponse:
    _business(request)
    entries = list(selectors.entries_for(user=request.user, stage=request.GET.get("stage", ""),
                                         batch_list=request.GET.get("list", "")))
    body = exports.reits_workbook(entries)
    audit.record(action="export", object_type="reits.reitsentry", object_repr=f"REITs项目库导出（{len(entries)}个）")
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''reits.xlsx"
    return response
