"""Pages of monitoring and assessment (DESIGN §5–6): rankings, escalations and their follow-up,
the quarterly evaluation, the forecast, and the units' targets against actuals.

Thin: parse, call one selector or service, render. Every business user (units included) sees
ranks, scores and growth figures of all units — aggregates (DESIGN §4.2); a link to a unit's
projects is shown only to those who may open them. A refused action (``ApplicationError``)
is shown on the page, or as the error page by ``ApplicationErrorMiddleware``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuijin.orgs import policy
from tuijin.plan import current_plan, default_year, plan_for
from tuijin.stats import selectors as stats_selectors
from tuijin.stats import services as stats_services
from tuijin.toolkit.errors import ApplicationError, PermissionRefused
from tuijin.toolkit.periods import time_progress

from . import plan_terms, presentation, selectors, services
from .forms import FollowUpForm, QuarterForm, UnitTargetForm
from .models import EscalationStatus

LEVEL_BADGES = {"notice": "text-bg-warning", "deputy_talk": "text-bg-danger", "mayor_talk": "text-bg-dark"}
STATUS_BADGES = {EscalationStatus.OPEN: "text-bg-danger", EscalationStatus.FOLLOWING: "text-bg-primary",
                 EscalationStatus.CLOSED: "text-bg-success"}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _period(request: HttpRequest, indicator: str = selectors.FAI) -> tuple[int, int] | None:
    """The ``period`` asked for (400 when malformed), else the newest month with official figures."""
    code = request.GET.get("period")
    if code:
        return selectors.parse_period(code)
    return selectors.latest_stat_period(user=request.user, indicator=indicator)


def _periods(request: HttpRequest, selected: tuple[int, int] | None, indicator: str = selectors.FAI) -> list[str]:
    codes = selectors.stat_periods(user=request.user, indicator=indicator)
    if selected is not None and selectors.period_code(*selected) not in codes:
        codes.insert(0, selectors.period_code(*selected))
    return codes


def _base(request: HttpRequest, tab: str) -> dict[str, Any]:
    policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")
    return {"tab": tab, "plan": current_plan()}  # each page rebinds it to its period's plan


def _with_links(user, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark the rows whose unit's projects the user may open (own unit, or city-wide roles)."""
    for row in rows:
        row["may_open"] = policy.can(user, "view_unit", row["org"])
    return rows


# ---------------------------------------------------------------------------
# Rankings (二(六)15、三(三))

@policy.requires("read_business_data")
@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    context = _base(request, "rankings")
    indicator = plan_terms.check_indicator(request.GET.get("indicator") or selectors.FAI, context["plan"])
    period = _period(request, indicator)
    if period is not None:
        context["plan"] = plan_terms.month_plan(*period)
    plan = context["plan"]
    rows: list[dict[str, Any]] = []
    city: dict[str, Any] = {}
    if period is not None:
        rows = _with_links(request.user, selectors.unit_growth_ranking(user=request.user, year=period[0], month=period[1],
                                                                        indicator=indicator))
        city = selectors.city_figures(user=request.user, year=period[0], month=period[1])[indicator]
    target = stats_selectors.plan_growth_target(indicator=indicator, unit=plan.units[0].code, plan=plan)
    with_figure = [r for r in rows if r["value"] is not None]
    own = request.user.reporting_unit
    context.update({
        "indicator": indicator,
        "indicator_name": dict(plan_terms.indicator_choices(plan))[indicator],
        "indicators": plan_terms.indicator_choices(plan),
        "period": selectors.period_code(*period) if period else "",
        "period_label": selectors.period_label(*period) if period else "",
        "periods": _periods(request, period, indicator),
        "rows": rows,
        "city": city,
        "own_row": next((r for r in rows if own is not None and r["org"] == own.code), None),
        "groups": list(dict.fromkeys(r["group"] for r in rows)),
        "chart": {
            "labels": [r["short_name"] for r in with_figure],
            "values": [_float(r["value"]) for r in with_figure],
            "last": [r["last_place"] for r in with_figure],
            "target": _float(target),
            "targetLabel": _("Target"),
            "name": _("Cumulative growth (%)"),
        },
    })
    return render(request, "assessment/rankings.html", context)


# ---------------------------------------------------------------------------
# Escalation (三(三) 末位增速约谈制) and its follow-up by the supervision office

@policy.requires("read_business_data")
@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    context = _base(request, "escalations")
    user = request.user
    period = _period(request, context["plan"].rules.escalation.indicator)
    if period is not None:
        context["plan"] = plan_terms.month_plan(*period)
    rows: list[dict[str, Any]] = []
    if period is not None:
        rows = selectors.escalation_list(user=request.user, year=period[0], month=period[1])
        recorded = {e.org.code: e for e in selectors.escalation_records(user=request.user, year=period[0], month=period[1])}
        for row in rows:
            row["record"] = recorded.get(row["org"])
    may_follow_up = policy.can(user, "supervise")
    follow_ups = []
    for record in selectors.open_escalations(user=request.user):
        # Follow-up notes are the unit's own business: other units see only the level and status.
        shows_notes = policy.can(user, "view_unit", record.org)
        follow_ups.append({"record": record, "shows_notes": shows_notes,
                           "form": FollowUpForm(initial={"status": record.status}, prefix=f"e{record.pk}")
                           if may_follow_up else None})
    context.update({
        "period": selectors.period_code(*period) if period else "",
        "period_label": selectors.period_label(*period) if period else "",
        "periods": _periods(request, period),
        "rows": rows,
        "unrecorded": sum(1 for row in rows if row["record"] is None),
        "follow_ups": follow_ups,
        "may_follow_up": may_follow_up,
        "ladder": context["plan"].rules.escalation.ladder,
        "level_labels": {step.level: step.label for step in context["plan"].rules.escalation.ladder},
        "level_badges": LEVEL_BADGES,
        "status_badges": STATUS_BADGES,
        "status_labels": services.STATUS_LABELS,
    })
    return render(request, "assessment/escalations.html", context)


@policy.requires("read_business_data")
@login_required
@require_POST
def escalations_record(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")
    year, month = selectors.parse_period(request.POST.get("period"))
    records = services.escalations_record(actor=request.user, year=year, month=month)
    messages.success(request, _("%(n)s escalation records are ready for follow-up.") % {"n": len(records)})
    return redirect(f"{reverse('assessment:escalations')}?period={selectors.period_code(year, month)}")


@policy.requires("read_business_data", "supervise")
@login_required
@require_POST
def escalation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")
    if not policy.can(request.user, "supervise"):
        raise PermissionRefused("只有市政府督查室或市发展改革委可以记录约谈跟进情况")
    form = FollowUpForm(request.POST, prefix=f"e{pk}")
    back = reverse("assessment:escalations") + (f"?period={request.POST['period']}"
                                                 if request.POST.get("period") else "")
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.escalation_follow_up(actor=request.user, escalation_id=pk, status=form.cleaned_data["status"],
                                      note=form.cleaned_data["note"])
    except ApplicationError as exc:
        if exc.status_code != 400:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Follow-up recorded."))
    return redirect(back)


# ---------------------------------------------------------------------------
# Quarterly composite evaluation (二(七)21) and awards (二(六)15)

@policy.requires("read_business_data")
@login_required
def evaluation(request: HttpRequest) -> HttpResponse:
    context = _base(request, "evaluation")
    code = request.GET.get("quarter")
    if code:
        quarter: tuple[int, int] | None = selectors.parse_quarter(code)
    else:
        stored = selectors.evaluation_quarters(user=request.user, limit=1)
        quarter = selectors.parse_quarter(stored[0]) if stored else selectors.latest_stat_quarter(user=request.user)
    if quarter is not None:  # the quarter's own year's plan: its rules, tiers and awards
        context["plan"] = plan_terms.month_plan(quarter[0], quarter[1] * 3)
    plan = context["plan"]
    found = selectors.latest_evaluation(user=request.user, year=quarter[0], quarter=quarter[1]) if quarter else None
    rows = _with_links(request.user, presentation.evaluation_rows(found)) if found else []
    rule = plan.rules.evaluation
    described: dict[str, str] = {}
    if quarter is not None:
        described = selectors.evaluation_targets(user=request.user, year=quarter[0], quarter=quarter[1], plan=plan)[2]
    quarters = selectors.evaluation_quarters(user=request.user)
    if quarter is not None and selectors.quarter_code(*quarter) not in quarters:
        quarters.insert(0, selectors.quarter_code(*quarter))
    context.update({
        "quarter": selectors.quarter_code(*quarter) if quarter else "",
        "quarter_label": selectors.quarter_label(*quarter) if quarter else "",
        "quarters": quarters,
        "evaluation": found,
        "rows": rows,
        "indicators": [{"code": c, "label": rule.labels[c], "weight": w, "target": described.get(c, ""),
                        "definition": selectors.EVALUATION_DEFINITIONS.get(c, "")} for c, w in rule.weights.items()],
        "codes": list(rule.weights),
        "tier_text": "；".join(
            (f"第{t.from_rank}名" if t.from_rank == t.to_rank else f"第{t.from_rank}–{t.to_rank}名各")
            + f"{t.amount_wan.normalize():f}万元" for t in plan.rules.quarterly_awards.tiers),
        "awards_total": sum((r["award_wan"] for r in rows), Decimal(0)),
        "may_run": policy.can(request.user, "manage_city_data"),
        "rule": rule,
        "awards_rule": plan.rules.quarterly_awards,
    })
    return render(request, "assessment/evaluation.html", context)


@policy.requires("read_business_data", "manage_city_data")
@login_required
@require_POST
def evaluation_run(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")
    if not policy.can(request.user, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委可以进行季度综合评价")
    form = QuarterForm(request.POST)
    code = form.data.get("quarter", "")
    year, quarter = selectors.parse_quarter(code)
    services.evaluation_run(actor=request.user, year=year, quarter=quarter)
    messages.success(request, _("Evaluation of %(quarter)s computed and stored.")
                     % {"quarter": selectors.quarter_label(year, quarter)})
    return redirect(f"{reverse('assessment:evaluation')}?quarter={selectors.quarter_code(year, quarter)}")


# ---------------------------------------------------------------------------
# Forecast and early warning (beyond the seed, DESIGN §5)

@policy.requires("read_business_data")
@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    context = _base(request, "forecast")
    period = _period(request)
    rows: list[dict[str, Any]] = []
    backtest = None
    if period is not None:
        rows = _with_links(request.user, selectors.forecast_rows(user=request.user, year=period[0], month=period[1]))
        backtest = selectors.forecast_backtest(user=request.user, year=period[0] - 1)
    projected = [r for r in rows if r["projected_growth"] is not None]
    by_unit_order = sorted(projected, key=lambda r: r["order"])
    context.update({
        "period": selectors.period_code(*period) if period else "",
        "period_label": selectors.period_label(*period) if period else "",
        "periods": _periods(request, period),
        "rows": rows,
        "likely_miss": sum(1 for r in rows if r["likely_miss"]),
        "projected": len(projected),
        "backtest": backtest,
        "chart": {
            "labels": [r["short_name"] for r in by_unit_order],
            "current": [_float(r["growth"]) for r in by_unit_order],
            "projected": [_float(r["projected_growth"]) for r in by_unit_order],
            "target": [_float(r["target"]) for r in by_unit_order],
            "miss": [r["likely_miss"] for r in by_unit_order],
            "names": [_("Current growth (%)"), _("Projected year-end growth (%)"), _("Target")],
        },
        "backtest_chart": {
            "months": [f"{m['month']}月" for m in backtest["by_month"]],
            "errors": [_float(m["mean_abs_error_points"]) for m in backtest["by_month"]],
            "name": _("Mean absolute error (percentage points)"),
        } if backtest else None,
    })
    return render(request, "assessment/forecast.html", context)


# ---------------------------------------------------------------------------
# Targets (二(一)1 分解落实投资任务) against actuals

@policy.requires("read_business_data")
@login_required
def targets(request: HttpRequest) -> HttpResponse:
    context = _base(request, "targets")
    period = _period(request)
    year, month = period if period is not None else (default_year(), None)
    plan = context["plan"] = plan_terms.month_plan(year, month or 12)
    indicators = [(item.code, item.name) for item in plan.indicators if item.growth_target]
    rows = selectors.targets_vs_actuals(user=request.user, year=year, month=month or 0)
    context.update({
        "period": selectors.period_code(year, month) if month else "",
        "period_label": selectors.period_label(year, month) if month else "",
        "periods": _periods(request, period),
        "year": year,
        "indicators": indicators,
        "rows": _with_links(request.user, rows),
        "departments": selectors.department_targets(user=request.user, year=year, month=month or 0),
        "time_progress": time_progress(month) if month else None,
        "may_edit": policy.can(request.user, "manage_city_data") and year == plan.meta.year,
    })
    return render(request, "assessment/targets.html", context)


@policy.requires("read_business_data", "manage_city_data")
@login_required
def target_edit(request: HttpRequest, unit: str, indicator: str) -> HttpResponse:
    policy.require(request.user, "read_business_data", message="您的角色不查看排名、考核和预测")
    if not policy.can(request.user, "manage_city_data"):
        raise PermissionRefused("只有市发展改革委可以调整各单位的年度目标")
    year = default_year()  # targets are set for the business date's year
    plan = plan_for(year)
    current = stats_selectors.unit_growth_target(unit=unit, indicator=indicator, year=year, plan=plan)
    form = UnitTargetForm(request.POST or None,
                          initial={"growth_target": current.value, "note": current.note})
    if request.method == "POST":
        back = reverse("assessment:targets")
        if "reset" in request.POST:
            stats_services.unit_target_clear(actor=request.user, unit=unit, indicator=indicator, year=year)
            messages.success(request, _("The target is the plan's default again."))
            return redirect(back)
        if form.is_valid():
            try:
                stats_services.unit_target_set(actor=request.user, unit=unit, indicator=indicator, year=year,
                                                growth_target=form.cleaned_data["growth_target"],
                                                note=form.cleaned_data["note"])
            except ApplicationError as exc:
                if exc.status_code != 400:
                    raise
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Target saved."))
                return redirect(back)
    context = {
        "tab": "targets", "plan": plan, "form": form, "current": current, "year": year,
        "unit_name": plan.unit(unit).name, "indicator_name": plan.indicator_name(indicator),
    }
    return render(request, "assessment/target_form.html", context, status=400 if form.errors else 200)
