"""Pages of the programmes: one area with a sub-page per programme. Thin: parse, call a selector, render."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.audit import services as audit
from tuijin.jobs import uploads
from tuijin.orgs import policy
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ApplicationError, NotFound

from . import selectors, services
from .exports import write_batch_report_xlsx, write_financing_needs_xlsx
from .importing import INCLUSION
from .models import Batch

PAGE_SIZE = 50
TITLES = {
    "key_projects": "重点项目“8946”促进计划", "approvals": "联审联批", "batches": "“三个一批”",
    "shortfall_982": "补短板“982”工程", "reconstruction": "灾后恢复重建", "statistics": "入库纳统",
    "land": "用地保障", "funding": "资金保障", "reserve": "项目谋划储备（四库）",
}
#: The rate each programme's chart shows per group.
CHART_KEY = {"key_projects": "completion_rate", "approvals": "approval_rate", "shortfall_982": "completion_rate",
             "reconstruction": "completion_rate", "statistics": "inclusion_rate", "land": "land_need_mu",
             "funding": "funds_rate", "reserve": "reserve"}
BY_LABELS = {"unit": "按单位", "field": "按领域", "department": "按部门", "category": "按类别", "source": "按资金来源"}
BY_CHOICES = {"key_projects": ("unit", "field"), "approvals": ("unit", "department"),
              "shortfall_982": ("unit", "department"), "reconstruction": ("category", "unit", "department"),
              "statistics": ("unit", "department"), "land": ("unit",), "funding": ("unit", "source"),
              "reserve": ("unit",)}


def _tabs(active: str) -> list[tuple[str, str, str, bool]]:
    return [(key, title, reverse("programmes:batches") if key == "batches" else
             reverse("programmes:programme", args=[key]), key == active) for key, title in TITLES.items()]


@policy.requires("read_business_data")
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The programme area: each programme's figures against its targets."""
    policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    cards = []
    for key in ("key_projects", "shortfall_982", "reconstruction", "land", "reserve"):
        data = selectors.FIGURES[key](user=request.user)
        cards.append({"key": key, "title": TITLES[key], "targets": data["targets"],
                      "url": reverse("programmes:programme", args=[key])})
    return render(request, "programmes/index.html", {"cards": cards, "tabs": _tabs("")})


def _drill_url(programme: str, by: str, code: str | None, measure: str, period: str, extra: dict[str, str] | None = None
               ) -> str:
    params = {"measure": measure, "period": period, **(extra or {})}
    if code:
        params[{"unit": "unit", "field": "field", "department": "department", "category": "category"}.get(by, by)] = code
    return reverse("programmes:projects", args=[programme]) + "?" + urlencode(params)


def _table(data: dict[str, Any], programme: str, extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Rows with their cells and drill links, for the template."""
    out = []
    period = data.get("period", "")
    for row, code in [*[(r, r["code"]) for r in data["rows"]], (data["total"], None)]:
        cells = []
        for col in data["columns"]:
            link = ""
            if col["drill"] and data["by"] != "source":
                link = _drill_url(programme, data["by"], code, col["key"], period, extra)
            cells.append({"key": col["key"], "kind": col["kind"], "value": row.get(col["key"]), "link": link})
        out.append({"code": code or "", "name": row.get("name", _("Total")) if code else _("Total"), "cells": cells})
    return out


@policy.requires("read_business_data")
@login_required
def programme(request: HttpRequest, key: str) -> HttpResponse:
    """One programme's figures per unit/field/department/category, with drill-down and a chart."""
    _business(request)
    func = selectors.FIGURES.get(key)
    if func is None:
        raise NotFound("没有该项目推进计划")
    by = request.GET.get("by") or BY_CHOICES[key][0]
    period = request.GET.get("period") or None
    data = func(user=request.user, period=period, by=by)
    context: dict[str, Any] = {
        "key": key, "title": TITLES[key], "data": data, "table": _table(data, key), "tabs": _tabs(key),
        "by_choices": [(b, BY_LABELS[b], b == by) for b in BY_CHOICES[key]],
        "chart": {"key": CHART_KEY[key], "label": next((c["label"] for c in data["columns"]
                                                        if c["key"] == CHART_KEY[key]), ""),
                  "time_progress": data.get("time_progress") if CHART_KEY[key] == "completion_rate" else None,
                  "names": [r["name"] for r in data["rows"]], "values": [r.get(CHART_KEY[key]) for r in data["rows"]]},
    }
    user = request.user
    if key == "approvals":
        a = selectors.resolve_period(user=user, period=period)
        context["overdue"] = selectors.overdue_approvals(user=user, as_of=a.end)[:200]
    elif key == "statistics":
        context["missing"] = selectors.missing_projects(user=user)[:300]
        context["may_import"] = policy.can(user, "act_for_city_or_department",
                                           services.statistics_inclusion_departments())
        context["suspend"] = True
    elif key == "reconstruction":
        context["reservoirs"] = selectors.reservoir_plans(user=user)[:300]
    elif key == "land":
        context["priority"] = selectors.land_priority_list(user=user)[:100]
    elif key == "funding":
        context["needs"] = selectors.financing_needs(user=user)[:100]
    return render(request, "programmes/programme.html", context)


@policy.requires("read_business_data")
@login_required
def batches(request: HttpRequest) -> HttpResponse:
    """The batch report page: a batch's rates per unit, every batch's totals, and its lists."""
    policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    if not Batch.objects.exists():
        return render(request, "programmes/batches.html", {"tabs": _tabs("batches"), "data": None})
    data = selectors.batch_figures(user=request.user, batch=request.GET.get("batch") or None)
    chosen = selectors.batch_get(user=request.user, number=data["batch"])
    table = _table({**data, "period": ""}, "batches", {"batch": str(chosen.number)})
    entries = selectors.batch_entries(user=request.user, batch=chosen)
    candidates = []
    if policy.can(request.user, "manage_city_data"):
        candidates = services.production_candidate_ids(batch=chosen)
    return render(request, "programmes/batches.html", {
        "tabs": _tabs("batches"), "data": data, "table": table, "entries": entries,
        "all_batches": Batch.objects.order_by("number"), "chosen": chosen, "candidate_count": len(candidates),
        "chart": {"names": [b["name"] for b in data["batches"]],
                  "series": {c: [b[c] for b in data["batches"]] for c in
                             ("fulfilment_rate", "start_rate", "production_rate", "capacity_rate")}},
    })


@policy.requires("read_business_data")
@login_required
def batch_report(request: HttpRequest, number: int) -> FileResponse:
    """The batch report as Excel (rates per unit and the three lists), in the user's scope."""
    _business(request)
    data = selectors.batch_figures(user=request.user, batch=number)
    chosen = selectors.batch_get(user=request.user, number=number)
    out = io.BytesIO()
    rows = write_batch_report_xlsx(data, selectors.batch_entries(user=request.user, batch=chosen), out)
    audit.record(action="export", object_type="programmes.batch", object_id=str(chosen.pk),
                 object_repr=str(chosen), after={"entries": rows})
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"三个一批-第{chosen.number}期.xlsx")


@policy.requires("read_business_data")
@login_required
def projects(request: HttpRequest, key: str) -> HttpResponse:
    """Drill-down: the projects behind one figure."""
    _business(request)
    params = {k: (request.GET.get(k) or "")[:32] for k in ("measure", "unit", "field", "department", "category",
                                                             "batch", "period")}
    qs = selectors.programme_projects(user=request.user, programme=key, measure=params["measure"],
                                      period=params["period"] or None, unit=params["unit"], field=params["field"],
                                      department=params["department"], category=params["category"],
                                      batch=params["batch"] or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programmes/projects.html", {
        "key": key, "title": TITLES.get(key, key), "page": page, "params": params, "tabs": _tabs(key),
        "query": urlencode({k: v for k, v in params.items() if v}),
    })


@policy.requires("read_business_data")
@login_required
def financing_needs_export(request: HttpRequest) -> FileResponse:
    """The financing-needs list (政银企对接) as Excel, in the user's scope (the finance bureau's export)."""
    rows = selectors.financing_needs(user=request.user) if _business(request) else []
    out = io.BytesIO()
    n = write_financing_needs_xlsx(rows, out)
    audit.record(action="export", object_type="projects.fundingsource", object_repr="融资需求清单", after={"rows": n})
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"融资需求清单-{clock.real_today():%Y%m%d}.xlsx")


def _business(request: HttpRequest) -> bool:
    policy.require(request.user, "read_business_data", message="您的角色不查看项目推进计划的数据")
    return True


@policy.signed_in
@login_required
@require_POST
def inclusion_import(request: HttpRequest) -> HttpResponse:
    """The statistics bureau's upload of included project codes; the result on the statistics page."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an .xlsx file to upload."))
        return redirect("programmes:programme", key="statistics")
    try:
        result = uploads.receive(INCLUSION, upload, actor=request.user, door=uploads.PAGE,
                                 dry_run=bool(request.POST.get("dry_run"))).result
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("programmes:programme", key="statistics")
    return render(request, "programmes/import_result.html", {"result": result, "tabs": _tabs("statistics")})
