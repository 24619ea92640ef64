"""Pages for organisations and users, the password change and the second factor."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tuijin.audit import services as audit
from tuijin.orgs import policy
from tuijin.toolkit.errors import ApplicationError, PermissionRefused

from . import services
from .models import Org, User
from .roles import GRANTABLE_ROLES


@policy.requires("manage_organisations")
@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "manage_organisations",
                   message="只有安全管理员、系统管理员和市发展改革委管理员可以查看组织和用户")
    orgs = Org.objects.select_related("parent").annotate(n_users=Count("users"))
    users = User.objects.select_related("org").order_by("org__sort_order", "username")
    return render(request, "orgs/org_list.html", {"orgs": orgs, "users": users,
                                                  "may_manage": policy.can(request.user, "manage_accounts")})


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@policy.signed_in
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (forced for initial, reset and expired passwords)."""
    error = None
    if request.method == "POST":
        try:
            services.password_change(user=request.user, old_password=request.POST.get("old_password", ""),
                                     new_password=request.POST.get("new_password", ""))
        except ApplicationError as exc:
            error = exc.message
        else:
            if request.POST.get("new_password") != request.POST.get("new_password2"):
                pass
            update_session_auth_hash(request, request.user)  # keep this session, end the others
            messages.success(request, "密码已修改")
            return redirect(_next(request))
    return render(request, "orgs/password_change.html", {
        "error": error, "next": _next(request),
        "forced": request.user.must_change_password or request.user.password_expired()}, status=400 if error else 200)


def _totp_devices(user: User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user)


@policy.signed_in
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The administrators' second factor: a 6-digit TOTP code (first time: enrol a device)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    device = _totp_devices(user).filter(confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = _totp_devices(user).filter(confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="tuijin", confirmed=False)
    error = None
    if request.method == "POST":
        code = request.POST.get("otp", "").strip()
        if code.isdigit() and device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(action="otp", obj=user, reason="绑定动态口令设备" if enrolling else "动态口令验证通过")
            return redirect(_next(request))
        error = "动态口令不正确或已过期"
        audit.record(action="otp", obj=user, reason="动态口令验证失败")
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["otpauth"] = device.config_url
    return render(request, "orgs/otp.html", context, status=400 if error else 200)


# ---------------------------------------------------------------------------
# The security administrator's account pages (三员分立)


def _account_form_values(request: HttpRequest) -> dict:
    roles = request.POST.getlist("roles")
    org = Org.objects.filter(code=request.POST.get("org", "")).first()
    return {"roles": roles, "org": org}


@policy.requires("manage_accounts")
@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "manage_accounts")
    password = error = None
    created = None
    if request.method == "POST":
        values = _account_form_values(request)
        try:
            created, password = services.account_create(
                actor=request.user, username=request.POST.get("username", "").strip(), org=values["org"],
                roles=values["roles"], full_name=request.POST.get("full_name", "").strip())
        except ApplicationError as exc:
            error = exc.message
            if isinstance(exc, PermissionRefused):
                return render(request, "web/error.html", {"error": exc}, status=403)
    return render(request, "orgs/account_form.html", {
        "account": None, "created": created, "password": password, "error": error,
        "orgs": Org.objects.all(), "grantable": sorted(GRANTABLE_ROLES)}, status=400 if error else 200)


@policy.requires("manage_accounts")
@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(request.user, "manage_accounts")
    account = get_object_or_404(User, pk=pk)
    error = None
    if request.method == "POST":
        values = _account_form_values(request)
        try:
            services.account_update(actor=request.user, user=account, roles=values["roles"],
                                    org=values["org"] or account.org,
                                    is_active=request.POST.get("is_active") == "on")
        except PermissionRefused as exc:
            return render(request, "web/error.html", {"error": exc}, status=403)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "账户已保存")
            return redirect("orgs:account-edit", pk=account.pk)
    return render(request, "orgs/account_form.html", {
        "account": account, "error": error, "orgs": Org.objects.all(),
        "grantable": sorted(GRANTABLE_ROLES)}, status=400 if error else 200)


@policy.requires("manage_accounts")
@login_required
@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        password = services.password_reset(actor=request.user, user=account)
    except PermissionRefused as exc:
        return render(request, "web/error.html", {"error": exc}, status=403)
    return render(request, "orgs/account_form.html", {
        "account": account, "password": password, "orgs": Org.objects.all(),
        "grantable": sorted(GRANTABLE_ROLES)})
