"""The plan page: the page shell's one view of its own (it reads only the plan file).

The cockpit (home) and the project-library overview are :mod:`tuijin.cockpit`'s.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.orgs import policy
from tuijin.plan import active_plan
from tuijin.toolkit.errors import PermissionRefused


@policy.requires("read_plan")
@login_required
def plan_view(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "read_plan"):
        raise PermissionRefused("您的角色不能查看计划配置")
    plan = active_plan()
    unit_labels = {"percent": "%", "count": "个", "yi": "亿元", "wan": "万元"}
    targets = [(name, {"label": t.label, "value": t.value, "unit_label": unit_labels[t.unit], "source": t.source})
               for name, t in plan.targets.items()]
    return render(request, "web/plan.html", {"plan": plan, "targets": targets, "rules": list(plan.rules)})
