"""Pages of investment promotion (二(四)10–11): deals with tiers against targets, a deal with its
moves (move form, conversion into the library), the weekly report (page, Word, Excel), the
stalled deals, the Excel export. Thin: parse, call one selector or service, render. Out of scope: 404.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tuijin.orgs import policy
from tuijin.orgs.models import units_visible_to
from tuijin.plan import current_plan, default_year, plan_for, plan_on
from tuijin.toolkit import clock
from tuijin.toolkit.errors import ApplicationError, NotFound
from tuijin.toolkit.periods import week_code

from . import presentation, rules, selectors, services
from .exports import write_deals_xlsx, write_weekly_docx, write_weekly_xlsx
from .forms import DealForm, MoveForm
from .models import Deal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def data_date() -> dt.date:
    """The business day the pages default to (the clock's today: the demo's business date)."""
    return clock.today()


def _not_found(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or default_year())
    except ValueError:
        year = default_year()
    return year if 2000 <= year <= 2100 else default_year()


def _filters(request: HttpRequest) -> dict:
    filters = {k: request.GET.get(k) or None for k in ("unit", "stage", "tier", "q")}
    event = request.GET.get("event") or ""
    filters["event"] = int(event) if event.isdigit() else None
    return filters


@policy.requires("read_business_data")
@login_required
def deal_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不能查看招商引资数据")
    year = _year(request)
    filters = _filters(request)
    try:
        deals = _not_found(lambda: list(selectors.deals(user=request.user, **filters)[:500]))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        deals = list(selectors.deals(user=request.user)[:500])
    summary = selectors.tier_summary(user=request.user, year=year)
    plan = plan_for(year)
    names = plan.rules.promotion.stage_names()
    chart = {"bands": [b["label"] for b in summary.bands], "targets": [b["target"] for b in summary.bands],
             "actual": [summary.city.tally.counts[b["code"]] for b in summary.bands]}
    context = {
        "year": year, "filters": filters, "summary": summary, "chart": chart,
        "rows": [{"deal": d, "tier": presentation.deal_tier(d), "stage": names.get(d.stage, d.stage)} for d in deals],
        "band_labels": {b["code"]: b["label"] for b in summary.bands},
        "assessment": selectors.annual_assessment(user=request.user, year=year),
        "events": selectors.signing_events(user=request.user),
        "stage_names": names, "units": units_visible_to(request.user),
        "week": week_code(data_date()), "as_of": data_date(),
        "weights": plan.rules.promotion.assessment_labels,
        "may_create": policy.can(request.user, "write_business_data"),
    }
    return render(request, "promotion/list.html", context)


@policy.signed_in
@login_required
def deal_detail(request: HttpRequest, pk: int, form: MoveForm | None = None, status: int = 200) -> HttpResponse:
    deal = _not_found(lambda: selectors.get_deal(user=request.user, pk=pk))
    plan = current_plan()
    names = plan.rules.promotion.stage_names()
    stages = [s.code for s in plan.rules.promotion.stages]
    following = rules.next_stage(deal.stage, stages)
    may_edit = Deal.objects.editable_by(request.user).filter(pk=pk).exists()
    context = {
        "deal": deal, "moves": list(deal.moves.select_related("actor")), "stage_names": names,
        "tier": presentation.deal_tier(deal), "band_labels": {b.code: b.label for b in plan.rules.deal_tiers.bands},
        "industry": plan.leading_industry_names().get(deal.leading_industry, ""),
        "next_stage": following, "next_name": names.get(following or "", ""),
        "may_edit": may_edit and policy.can(request.user, "write_business_data"),
        "form": form or MoveForm(initial={"to": following, "moved_on": data_date()}),
        "stalled_after": plan.rules.promotion.stalled_after_days,
    }
    return render(request, "promotion/detail.html", context, status=status)


@policy.signed_in
@login_required
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    _not_found(lambda: selectors.get_deal(user=request.user, pk=pk))
    form = MoveForm(request.POST)
    if not form.is_valid():
        return deal_detail(request, pk, form=form, status=400)
    try:
        services.deal_move(actor=request.user, deal_id=pk, to_stage=form.cleaned_data["to"],
                           moved_on=form.cleaned_data["moved_on"], note=form.cleaned_data["note"])
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return deal_detail(request, pk, form=form, status=exc.status_code if exc.status_code != 404 else 400)
    messages.success(request, "已记录推进")
    return redirect("promotion:detail", pk=pk)


@policy.signed_in
@login_required
@require_POST
def deal_convert(request: HttpRequest, pk: int) -> HttpResponse:
    _not_found(lambda: selectors.get_deal(user=request.user, pk=pk))
    try:
        project = services.deal_convert(actor=request.user, deal_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("promotion:detail", pk=pk)
    messages.success(request, f"已转入项目库：{project.name}")
    return redirect("promotion:detail", pk=pk)


def _weekly(request: HttpRequest) -> dict:
    week = request.GET.get("week") or week_code(data_date())
    return _not_found(lambda: selectors.weekly_report(user=request.user, week=week, unit=request.GET.get("unit")))


@policy.signed_in
@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    try:
        report = _weekly(request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.GET = request.GET.copy()
        request.GET["week"] = week_code(data_date())
        report = _weekly(request)
    from .exports import weekly_paragraphs

    return render(request, "promotion/weekly.html", {"report": report, "paragraphs": weekly_paragraphs(report)})


@policy.signed_in
@login_required
def weekly_download(request: HttpRequest, fmt: str) -> HttpResponse:
    report = _weekly(request)
    out = io.BytesIO()
    if fmt == "xlsx":
        write_weekly_xlsx(report, out)
        content_type = XLSX
    else:
        write_weekly_docx(report, out)
        content_type = DOCX
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="promotion-weekly-{report["week"]}.{fmt}"'
    return response


@policy.signed_in
@login_required
def stalled(request: HttpRequest) -> HttpResponse:
    as_of = data_date()
    if request.GET.get("as_of"):
        try:
            as_of = selectors.parse_day(request.GET["as_of"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
    rows = _not_found(lambda: selectors.stalled(user=request.user, as_of=as_of, unit=request.GET.get("unit")))
    return render(request, "promotion/stalled.html", {
        "rows": rows, "as_of": as_of, "days": plan_on(as_of).rules.promotion.stalled_after_days})


@policy.requires("read_business_data")
@login_required
def export(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不能查看招商引资数据")
    filters = _filters(request)
    deals = _not_found(lambda: selectors.deals(user=request.user, **filters))
    plan = current_plan()
    labels = {b.code: b.label for b in plan.rules.deal_tiers.bands}
    out = io.BytesIO()
    write_deals_xlsx(deals, out, tier_label=lambda d: labels.get(presentation.deal_tier(d) or "", ""),
                     stage_names=plan.rules.promotion.stage_names(), industry_names=plan.leading_industry_names())
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="promotion-deals.xlsx"'
    return response


@policy.requires("read_business_data", "write_business_data")
@login_required
def deal_create(request: HttpRequest) -> HttpResponse:
    """A unit (or the city) records a deal under negotiation (在谈)."""
    policy.require(request.user, "read_business_data", message="您的角色不能查看招商引资数据")
    if not policy.can(request.user, "write_business_data"):
        raise PermissionDenied
    own = request.user.reporting_unit
    form = DealForm(request.POST or None, initial={"unit": own.code if own else "", "negotiating_since": data_date()})
    errors: dict = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                deal = services.deal_create(actor=request.user, data=form.cleaned_data)
            except ApplicationError as exc:
                errors = exc.errors or {"__all__": [exc.message]}
                status = exc.status_code
            else:
                messages.success(request, "已登记招商项目")
                return redirect("promotion:detail", pk=deal.pk)
    return render(request, "promotion/new.html", {
        "form": form, "errors": errors, "units": units_visible_to(request.user),
        "industries": current_plan().leading_industry_names()}, status=status)
