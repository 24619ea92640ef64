"""Lockout (django-axes): by user name (5 failures → 15 minutes) and by address.

Whatever the reason a log-in is refused (wrong password, locked, disabled, expired) the person
sees one generic message, so that the answer tells an attacker nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tuijin.toolkit import clock

GENERIC_MESSAGE = "用户名或密码错误，或账户已被锁定、停用"


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        since = clock.real_now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
        failures = (AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
                    .aggregate(n=Sum("failures_since_start"))["n"] or 0)
        return failures >= settings.TUIJIN_LOGIN_IP_FAILURES


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None,
                     *args: Any, **kwargs: Any) -> HttpResponse:
    """The same answer as a wrong password: the log-in page (or a JSON 400) with the generic message."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": GENERIC_MESSAGE, "code": "invalid"}, status=400)
    from django.contrib.auth.forms import AuthenticationForm

    return render(request, "orgs/login.html", {"form": AuthenticationForm(request), "login_refused": True},
                  status=200)
