"""Security and bookkeeping keep real time when the platform runs at a business date (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import ApiToken
from tuijin.toolkit import clock

PASSWORD = "Tuijin@2022!"


@pytest.fixture
def production_tokens(settings):
    settings.TUIJIN_ACCEPT_FIXTURE_TOKENS = False


@pytest.mark.parametrize("day", ["2022-07-15", "2040-01-01"])
def test_an_api_token_lives_in_real_time_whatever_the_business_date(users, production_tokens, settings,
                                                                    business_date, day):
    business_date(day)
    api = APIClient()
    raw = api.post("/api/v1/auth/token/", {"username": "jinshui", "password": PASSWORD}, format="json").json()["token"]
    stored = ApiToken.objects.get(user=users["jinshui"])
    lifetime = stored.expires_at - clock.real_now()
    assert dt.timedelta(days=settings.TUIJIN_API_TOKEN_DAYS - 1) < lifetime <= dt.timedelta(
        days=settings.TUIJIN_API_TOKEN_DAYS)
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/projects/").status_code == 200


def test_an_account_expiring_after_the_business_date_but_before_today_cannot_sign_in(users, business_date, client):
    from tuijin.audit.context import audit_context

    business_date("2022-07-15")
    with audit_context(source="system", reason="test"):
        user = users["jinshui"]
        user.account_expires = clock.real_today() - dt.timedelta(days=1)
        user.save()
    assert not client.login(username="jinshui", password=PASSWORD)


def test_audit_entries_are_stamped_in_real_time(users, business_date, client_for):
    business_date("2022-07-15")
    before = clock.real_now()
    client_for("fgw").post("/api/v1/auth/token/", {"username": "jinshui", "password": PASSWORD},
                           content_type="application/json")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.at >= before - dt.timedelta(seconds=1)
