"""Test settings: the real settings with a fast password hasher."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

HUEY = {**HUEY, "immediate": True}  # noqa: F405

# Test fixtures across the suite create DRF's plain tokens (``Token.objects.create``); only here are
# they accepted besides the hashed, expiring ``orgs.ApiToken`` (tuijin.orgs.tokens; tests/security).
TUIJIN_ACCEPT_FIXTURE_TOKENS = True
# Fixture clients sign in with force_login (no second factor); tests/security turn this on.
TUIJIN_ADMIN_TOTP_REQUIRED = False
TUIJIN_SCHEMA_PUBLIC = True  # schemathesis loads the schema at collection (see tuijin.web.schema)
# The clock's setting is read once and kept until a test sets it (query counts must not depend on time).
TUIJIN_CLOCK_REFRESH_SECONDS = None
