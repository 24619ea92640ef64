"""Session limits and the duties a signed-in user must meet before using the platform.

* absolute session lifetime (``TUIJIN_SESSION_ABSOLUTE_SECONDS``, 12 hours) on top of the 30-minute
  idle timeout (``SESSION_COOKIE_AGE`` refreshed on every request);
* a password that is random (initial or reset) or older than ``TUIJIN_PASSWORD_MAX_AGE_DAYS`` must be
  changed first;
* the three administrators (三员) must pass their TOTP second factor (django-otp) first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import policy

LOGIN_AT = "tj_login_at"

#: Paths a user with an open duty may still reach.
ALWAYS_OPEN = ("/static/", "/login/", "/logout/", "/account/password/", "/account/otp/")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(LOGIN_AT)
            if started is None:
                request.session[LOGIN_AT] = time.time()
            elif time.time() - float(started) > settings.TUIJIN_SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the server-side session
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "会话已过期，请重新登录", "code": "not_authenticated"}, status=401)
                return redirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)


def admin_needs_second_factor(user: object) -> bool:
    if not settings.TUIJIN_ADMIN_TOTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if not policy.can(user, "administer_system"):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class AccountDutiesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(ALWAYS_OPEN):
            if admin_needs_second_factor(user):
                return self._refuse(request, "请先完成动态口令（TOTP）验证", "otp-verify")
            if user.must_change_password or user.password_expired():
                return self._refuse(request, "请先修改密码（初始密码、重置密码或已到期的密码）", "password-change")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, message: str, url_name: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "permission_denied"}, status=403)
        return redirect(f"{reverse(url_name)}?next={request.path}")
