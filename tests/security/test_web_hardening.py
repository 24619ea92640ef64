"""Web hardening (等保 8.1.4.4 入侵防范; ASVS V14, V3.4): CSP, headers, error pages, the API schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "tuijin"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_inline_script_or_style():
    """Every template of every app (new apps included): the CSP without unsafe-inline depends on it."""
    offenders = []
    for template in sorted(SRC.rglob("templates/**/*.html")):
        rel = str(template.relative_to(SRC))
        text = template.read_text(encoding="utf-8")
        found = [name for name, pattern in (("<script> without src", INLINE_SCRIPT), ("<style>", STYLE_BLOCK),
                                            ("style=", STYLE_ATTR), ("on…= handler", EVENT_ATTR),
                                            ("javascript: URL", JS_URL)) if pattern.search(text)]
        if found:
            offenders.append(f"{rel}: {', '.join(found)}")
    assert offenders == []


def test_pages_carry_a_strict_content_security_policy(client_for):
    response = client_for("fgw").get(reverse("projects:list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_gets_the_csrf_token_from_hx_headers_on_body(client_for):
    html = client_for("jinshui").get(reverse("projects:list")).content.decode()
    assert re.search(r"<body[^>]*hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)
    assert '"includeIndicatorStyles": false' in html  # htmx would otherwise inject a <style>


def test_the_csrf_cookie_is_not_readable_by_scripts(settings):
    assert settings.CSRF_COOKIE_HTTPONLY and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("path", ["/no-such-page/", "/projects/999999999/"])
def test_not_found_pages_are_generic_with_a_request_id(client_for, path):
    response = client_for("jinshui").get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert response["X-Request-ID"] in text
    assert "Traceback" not in text and "urlpatterns" not in text


def test_a_server_error_page_is_generic_with_the_request_id(users, settings, monkeypatch):
    from tuijin.web import views

    def boom(request):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(views, "plan_view", boom)
    from django.urls import clear_url_caches

    clear_url_caches()
    import importlib

    import tuijin.urls
    import tuijin.web.urls

    importlib.reload(tuijin.web.urls)
    importlib.reload(tuijin.urls)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(users["fgw"])
        response = client.get("/plan/")
        assert response.status_code == 500
        text = response.content.decode()
        assert "hunter2" not in text and "secret internals" not in text
        assert response["X-Request-ID"] in text if "X-Request-ID" in response else "请求编号" in text
    finally:
        monkeypatch.undo()
        importlib.reload(tuijin.web.urls)
        importlib.reload(tuijin.urls)
        clear_url_caches()


def test_the_api_schema_and_docs_are_for_signed_in_users_only(settings, client_for):
    settings.TUIJIN_SCHEMA_PUBLIC = False
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    assert anonymous.get("/api/docs/").status_code in (401, 403)
    assert client_for("jinshui").get("/api/schema/").status_code == 200
    docs = client_for("jinshui").get("/api/docs/")
    assert docs.status_code == 200 and "<script>" not in docs.content.decode().replace("<script src", "")


def test_production_settings_do_not_relax_the_schema():
    import tuijin.settings as production

    assert not getattr(production, "TUIJIN_SCHEMA_PUBLIC", False)
    assert not getattr(production, "TUIJIN_ACCEPT_FIXTURE_TOKENS", False)
    assert production.TUIJIN_ADMIN_TOTP_REQUIRED
