"""Pages for organisations and users (security, system and city administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuijin.errors import PermissionRefused

from .models import Org, User
from .roles import Role


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.SECADMIN, Role.SYSADMIN, Role.CITY_ADMIN):
        raise PermissionRefused("只有安全管理员、系统管理员和市发展改革委管理员可以查看组织和用户")
    orgs = Org.objects.select_related("parent").annotate(n_users=Count("users"))
    users = User.objects.select_related("org").order_by("org__sort_order", "username")
    return render(request, "orgs/org_list.html", {"orgs": orgs, "users": users})
