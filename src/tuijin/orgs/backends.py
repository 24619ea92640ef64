"""Authentication backends: lockout (django-axes) first, then user name + password."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from tuijin.toolkit import clock


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, on every door that passes the request (log-in page, API token endpoint).

    Without a request (``Client.login`` in tests, the shell) there is no address to check: the
    check is skipped and the password backend decides alone.
    """

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(ModelBackend):
    """User name + password; disabled and expired accounts cannot sign in."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        expires = getattr(user, "account_expires", None)
        return expires is None or expires > clock.real_today()
