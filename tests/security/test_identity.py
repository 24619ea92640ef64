"""Identity (等保 8.1.4.1 身份鉴别; ASVS V2, V3): passwords, lockout, sessions, second factor, tokens."""

from __future__ import annotations

import datetime as dt
import html
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from rest_framework.test import APIClient

from tuijin.audit.context import audit_context
from tuijin.audit.models import AuditEntry
from tuijin.orgs.models import ApiToken, User
from tuijin.orgs.passwords import random_password

pytestmark = pytest.mark.django_db

PASSWORD = "Tuijin@2022!"


# --- password policy --------------------------------------------------------------------------

@pytest.mark.parametrize("password", [
    "short1A!",              # under 12
    "alllowercaseletters",   # one class
    "lowercase12345678",     # two classes
    "Password1234",          # common-ish and like … (three classes but common)
    "jinshui2022Zz",         # like the user name
    "123456789012",          # numeric
])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, users["jinshui"])


def test_a_strong_password_passes(users):
    validate_password("Gk7#rT2!mWq9", users["jinshui"])


def test_random_passwords_meet_every_rule(users):
    for _ in range(20):
        validate_password(random_password(), users["jinshui"])


# --- lockout ----------------------------------------------------------------------------------

def test_five_failures_lock_the_account_and_the_sixth_fails_even_with_the_right_password(sign_in):
    for _ in range(5):
        client, response = sign_in("jinshui", "wrong-password")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    client, response = sign_in("jinshui", PASSWORD)
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "用户名或密码错误，或账户已被锁定、停用" in text
    assert AuditEntry.objects.filter(action="lockout", actor_name="jinshui").exists()
    # Another user from another address is not affected.
    other, _ = sign_in("zhongyuan", PASSWORD, ip="10.0.0.9")
    assert "_auth_user_id" in other.session


def test_the_lock_lifts_after_fifteen_minutes(sign_in):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in("jinshui", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client, _ = sign_in("jinshui", PASSWORD)
    assert "_auth_user_id" in client.session


def test_the_refusal_looks_the_same_for_wrong_password_and_lockout(sign_in):
    _, wrong = sign_in("jinshui", "wrong-password")
    for _ in range(5):
        sign_in("jinshui", "wrong-password")
    _, locked = sign_in("jinshui", PASSWORD)
    assert wrong.status_code == locked.status_code == 200
    for response in (wrong, locked):
        assert "用户名或密码错误，或账户已被锁定、停用" in response.content.decode()


def test_one_address_trying_many_user_names_is_locked(sign_in, settings, users):
    settings.TUIJIN_LOGIN_IP_FAILURES = 6
    for i in range(6):
        sign_in(f"nobody{i}", "wrong-password", ip="10.9.9.9")
    client, _ = sign_in("zhongyuan", PASSWORD, ip="10.9.9.9")
    assert "_auth_user_id" not in client.session
    elsewhere, _ = sign_in("zhongyuan", PASSWORD, ip="10.9.9.10")
    assert "_auth_user_id" in elsewhere.session


def test_the_api_token_endpoint_is_locked_too(users):
    api = APIClient(REMOTE_ADDR="10.1.1.1")
    url = "/api/v1/auth/token/"
    for _ in range(5):
        assert api.post(url, {"username": "jinshui", "password": "nope-nope-nope"}, format="json").status_code == 400
    response = api.post(url, {"username": "jinshui", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "token" not in response.json()


# --- sessions ---------------------------------------------------------------------------------

def test_signing_in_issues_a_new_session_id(users):
    client = Client()
    client.get(reverse("login"))
    client.session["probe"] = 1
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": "jinshui", "password": PASSWORD})
    assert client.session.session_key and client.session.session_key != before


def test_logging_out_kills_the_server_session(sign_in):
    from django.contrib.sessions.models import Session

    client, _ = sign_in("jinshui")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get(reverse("home")).status_code == 302


def test_sessions_idle_out_after_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_sessions_end_after_twelve_hours_whatever_the_activity(sign_in):
    client, _ = sign_in("jinshui")
    assert client.get(reverse("projects:list")).status_code == 200
    session = client.session
    session["tj_login_at"] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_disabled_or_expired_account_cannot_sign_in(sign_in, users, system_context):
    users["jinshui"].is_active = False
    users["jinshui"].save()
    users["zhongyuan"].account_expires = timezone.localdate()
    users["zhongyuan"].save()
    for name in ("jinshui", "zhongyuan"):
        client, response = sign_in(name)
        assert "_auth_user_id" not in client.session
        assert "用户名或密码错误，或账户已被锁定、停用" in response.content.decode()


def test_an_account_disabled_while_signed_in_loses_its_session(sign_in, users, system_context):
    client, _ = sign_in("jinshui")
    users["jinshui"].is_active = False
    users["jinshui"].save()
    assert client.get(reverse("projects:list")).status_code == 302


# --- forced and periodic password change ------------------------------------------------------

def test_a_reset_password_must_be_changed_at_first_sign_in(sign_in, users, client_for):
    secadmin = client_for("secadmin")
    page = secadmin.post(reverse("orgs:account-reset-password", args=[users["jinshui"].pk]))
    password = page.context["password"]
    assert page.status_code == 200 and password in html.unescape(page.content.decode())
    client, _ = sign_in("jinshui", password)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password-change"))
    weak = client.post(reverse("password-change"), {"old_password": password, "new_password": "jinshui12345"})
    assert weak.status_code == 400
    ok = client.post(reverse("password-change"), {"old_password": password, "new_password": "Qz8!mLp4#vRt"})
    assert ok.status_code == 302
    assert client.get(reverse("projects:list")).status_code == 200
    actions = set(AuditEntry.objects.filter(object_type="orgs.user", object_id=str(users["jinshui"].pk))
                  .values_list("action", flat=True))
    assert {"password_reset", "password_change"} <= actions


def test_a_password_older_than_the_rotation_period_prompts_a_change(sign_in, users, settings, system_context):
    assert settings.TUIJIN_PASSWORD_MAX_AGE_DAYS == 90
    User.objects.filter(pk=users["jinshui"].pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    client, _ = sign_in("jinshui")
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password-change"))


def test_no_password_or_token_reaches_the_audit_log(sign_in, users, client_for):
    sign_in("jinshui", "Secret-Typo-123")
    secadmin = client_for("secadmin")
    password = secadmin.post(reverse("orgs:account-reset-password", args=[users["zhongyuan"].pk])).context["password"]
    api = APIClient()
    client, _ = sign_in("zhongyuan", password)
    client.post(reverse("password-change"), {"old_password": password, "new_password": "Qz8!mLp4#vRt"})
    token = api.post("/api/v1/auth/token/", {"username": "zhongyuan", "password": "Qz8!mLp4#vRt"},
                     format="json").json()["token"]
    dump = " ".join(str(x) for x in AuditEntry.objects.values_list("before", "after", "reason", "object_repr"))
    for secret in ("Secret-Typo-123", password, "Qz8!mLp4#vRt", token, client.session.session_key):
        assert secret not in dump


# --- second factor for the three administrators -------------------------------------------------

def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_administrators_must_enrol_and_pass_a_totp_code(sign_in, totp_required):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client, _ = sign_in("auditor")
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp-verify"))
    page = client.get(reverse("otp-verify"))
    assert "otpauth://totp/" in page.content.decode()
    assert client.post(reverse("otp-verify"), {"otp": "000000"}).status_code == 400
    device = TOTPDevice.objects.get(user__username="auditor")
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    assert client.post(reverse("otp-verify"), {"otp": _code(device)}).status_code == 302
    assert client.get(reverse("audit:list")).status_code == 200
    # Next time: the enrolled device is required, and no new key is shown.
    again, _ = sign_in("auditor")
    assert again.get(reverse("audit:list")).status_code == 302
    assert "otpauth://" not in again.get(reverse("otp-verify")).content.decode()


def test_other_roles_need_no_second_factor(sign_in, totp_required):
    client, _ = sign_in("jinshui")
    assert client.get(reverse("projects:list")).status_code == 200


def test_an_administrator_gets_no_api_token_without_the_code(users, totp_required):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "secadmin", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "otp" in response.json()["errors"]


# --- API tokens ---------------------------------------------------------------------------------

@pytest.fixture
def production_tokens(settings):
    settings.TUIJIN_ACCEPT_FIXTURE_TOKENS = False


def test_api_tokens_are_shown_once_stored_hashed_and_expire(users, production_tokens, settings):
    api = APIClient()
    body = api.post("/api/v1/auth/token/", {"username": "jinshui", "password": PASSWORD}, format="json").json()
    raw = body["token"]
    stored = ApiToken.objects.get(user=users["jinshui"])
    assert raw not in (stored.digest, stored.prefix) and stored.digest != raw and len(stored.digest) == 64
    assert stored.expires_at - timezone.now() > dt.timedelta(days=settings.TUIJIN_API_TOKEN_DAYS - 1)
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/projects/").status_code == 200
    listed = api.get("/api/v1/auth/tokens/").json()
    assert raw not in str(listed) and listed["results"][0]["prefix"] == raw[:8]
    with audit_context(source="system"):
        ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("/api/v1/projects/").status_code == 401


def test_api_tokens_can_be_revoked(users, production_tokens):
    api = APIClient()
    raw = api.post("/api/v1/auth/token/", {"username": "jinshui", "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    token_id = ApiToken.objects.get(user=users["jinshui"]).pk
    assert api.post(f"/api/v1/auth/tokens/{token_id}/revoke/").status_code == 200
    assert api.get("/api/v1/projects/").status_code == 401
    assert AuditEntry.objects.filter(object_type="orgs.apitoken", object_id=str(token_id)).count() == 2


def test_production_settings_refuse_drf_plain_tokens(users, production_tokens):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=users["jinshui"]).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/projects/").status_code == 401


def test_another_users_token_cannot_be_revoked(users, production_tokens):
    from tuijin.orgs.services import api_token_issue

    with audit_context(source="system"):
        token, raw = api_token_issue(user=users["zhongyuan"])
    api = APIClient()
    mine = api.post("/api/v1/auth/token/", {"username": "jinshui", "password": PASSWORD}, format="json").json()
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    assert api.post(f"/api/v1/auth/tokens/{token.pk}/revoke/").status_code == 404
