"""API tokens (ASVS V3.5): random, shown once, stored as SHA-256, expiring, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from rest_framework import authentication, exceptions

from tuijin.toolkit import clock

from .models import ApiToken, User


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_for(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the raw token (never stored, shown this once)."""
    raw = secrets.token_hex(20)
    lifetime = settings.TUIJIN_API_TOKEN_DAYS if days is None else days
    token = ApiToken.objects.create(user=user, name=name[:64], prefix=raw[:8], digest=token_digest(raw),
                                    expires_at=clock.real_now() + dt.timedelta(days=lifetime))
    return token, raw


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <token>`` checked against the stored digests."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        if not getattr(settings, "TUIJIN_ACCEPT_FIXTURE_TOKENS", False):
            self.model = ApiToken  # never DRF's plain-text token table
        return super().authenticate(request)

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first())
        if token is None:
            if getattr(settings, "TUIJIN_ACCEPT_FIXTURE_TOKENS", False):
                return super().authenticate_credentials(key)  # test settings only: DRF's plain tokens
            raise exceptions.AuthenticationFailed("令牌无效")
        user = token.user
        if token.revoked_at is not None or token.expires_at <= clock.real_now():
            raise exceptions.AuthenticationFailed("令牌已吊销或已过期")
        if not user.is_active or (user.account_expires and user.account_expires <= clock.real_today()):
            raise exceptions.AuthenticationFailed("账户已停用")
        return user, token
