"""Home (overview by role) and the plan page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tuijin.errors import PermissionRefused
from tuijin.orgs.roles import Role
from tuijin.plan import active_plan
from tuijin.projects.models import Project, Stage
from tuijin.projects.selectors import library_summary


def unit_library_table(user) -> list[dict]:  # noqa: ANN001
    """Per reporting unit: projects per library and total investment, in the user's scope (one query)."""
    stage_counts = {s: Count("id", filter=Q(stage=s)) for s in Stage.values}
    rows = (
        Project.objects.visible_to(user).order_by().values("unit__code", "unit__short_name", "unit__sort_order")
        .annotate(total=Sum("total_investment_yuan"), n=Count("id"), **stage_counts)
        .order_by("unit__sort_order")
    )
    return list(rows)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.has_role(Role.AUDITOR):
        return redirect("audit:list")
    if user.has_role(Role.SECADMIN, Role.SYSADMIN):
        return redirect("orgs:list")
    context = {
        "summary": library_summary(user=user),
        "units": unit_library_table(user),
        "stages": Stage.choices,
        "plan": active_plan(),
    }
    return render(request, "web/home.html", context)


@login_required
def plan_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.SYSADMIN, Role.CITY_ADMIN, Role.LEADER):
        raise PermissionRefused("您的角色不能查看计划配置")
    plan = active_plan()
    unit_labels = {"percent": "%", "count": "个", "yi": "亿元", "wan": "万元"}
    targets = [(name, {"label": t.label, "value": t.value, "unit_label": unit_labels[t.unit], "source": t.source})
               for name, t in plan.targets.items()]
    return render(request, "web/plan.html", {"plan": plan, "targets": targets, "rules": list(plan.rules)})
