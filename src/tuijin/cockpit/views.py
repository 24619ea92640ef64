"""Home (the cockpit for city roles and units) and the project-library overview."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from tuijin.orgs import policy
from tuijin.plan import current_plan, plan_of_month
from tuijin.projects.models import Stage
from tuijin.projects.selectors import library_summary, unit_library_table
from tuijin.reporting import rules as reporting_rules
from tuijin.toolkit.errors import ValidationFailed

from . import presentation
from . import selectors as cockpit_selectors


def _administrator_redirect(user) -> HttpResponse | None:  # noqa: ANN001
    if policy.can(user, "read_audit_log"):
        return redirect("audit:list")
    if policy.can(user, "administer_system"):
        return redirect("orgs:list")
    return None


def _cockpit_user(request: HttpRequest) -> None:
    policy.require(request.user, "read_business_data", message=cockpit_selectors.REFUSAL)


@policy.signed_in
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The cockpit (驾驶舱): the city's targets vs actuals for city roles, a unit's own for a unit user."""
    user = request.user
    away = _administrator_redirect(user)
    if away is not None:
        return away
    if not policy.can(user, "read_business_data"):
        return redirect("overview")
    year, month = cockpit_selectors.cockpit_period(user=user, requested=request.GET.get("period"))
    data = cockpit_selectors.cockpit(user=user, year=year, month=month)
    periods = cockpit_selectors.stat_periods(user=user)
    if data.period not in periods:
        periods.insert(0, data.period)
    context = {
        "cockpit": data,
        "periods": periods,
        "plan": plan_of_month(year, month),
        "may_issue_bulletins": policy.can(user, "manage_city_data"),
    }
    return render(request, "cockpit/cockpit.html", context)


@policy.signed_in
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The project-library overview: projects per library and per unit, in the user's scope."""
    away = _administrator_redirect(request.user)
    if away is not None:
        return away
    user = request.user
    context = {
        "summary": library_summary(user=user),
        "units": unit_library_table(user=user),
        "stages": Stage.choices,
        "plan": current_plan(),
    }
    return render(request, "cockpit/overview.html", context)


def _json(data: Any) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@policy.requires("read_business_data")
@login_required
def cockpit_data(request: HttpRequest) -> JsonResponse:
    """The cockpit's figures as JSON (cards, rankings, trend, map, lagging, escalations)."""
    _cockpit_user(request)
    year, month = cockpit_selectors.cockpit_period(user=request.user, requested=request.GET.get("period"))
    data = cockpit_selectors.cockpit(user=request.user, year=year, month=month)
    return _json({
        "period": data.period,
        "time_progress": float(data.time_progress),
        "unit": data.unit.code if data.unit else None,
        "growth_cards": presentation.card_dicts(data.growth_cards),
        "key_cards": presentation.card_dicts(data.key_cards),
        "lagging_units": data.lagging_units,
        "lagging_projects": presentation.jsonable(data.lagging_projects),
        "lagging_project_count": data.lagging_project_count,
        "escalations": presentation.jsonable(data.escalations),
        **data.chart_data,
    })


@policy.requires("read_business_data")
@login_required
def ranking_data(request: HttpRequest) -> JsonResponse:
    """One indicator's ranking of the units (aggregates only: every role that sees a cockpit may read it)."""
    _cockpit_user(request)
    year, month = cockpit_selectors.cockpit_period(user=request.user, requested=request.GET.get("period"))
    plan = plan_of_month(year, month)
    indicator = request.GET.get("indicator") or plan.rules.escalation.indicator
    if indicator not in {i.code for i in plan.indicators}:
        raise ValidationFailed(f"未知指标：{indicator}", field="indicator")
    ranking = cockpit_selectors.ranking(user=request.user, year=year, month=month, indicator=indicator)
    return _json({"period": reporting_rules.period_code(year, month), **ranking})
