"""The plan page: the page shell's one view of its own (it reads only the plan file).

The cockpit (home) and the project-library overview are :mod:`tuijin.cockpit`'s.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.orgs import policy
from tuijin.plan import plan_for, plan_years
from tuijin.toolkit.errors import PermissionRefused, ValidationFailed

from .context import viewed_plan


@policy.requires("read_plan")
@login_required
def plan_view(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "read_plan"):
        raise PermissionRefused("您的角色不能查看计划配置")
    year = request.GET.get("year")
    if year and not (year.isdigit() and len(year) == 4):
        raise ValidationFailed(f"年份应为4位数字，实际为“{year[:10]}”", field="year")
    plan = plan_for(int(year)) if year else viewed_plan(request)  # a year without a plan: 404 naming those with one
    unit_labels = {"percent": "%", "count": "个", "yi": "亿元", "wan": "万元"}
    targets = [(name, {"label": t.label, "value": t.value, "unit_label": unit_labels[t.unit], "source": t.source})
               for name, t in plan.targets.items()]
    return render(request, "web/plan.html", {"plan": plan, "targets": targets, "rules": list(plan.rules),
                                             "plan_years": plan_years()})
