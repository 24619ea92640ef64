"""Settings, read from the environment.

Defaults make `make run` work with nothing set (SQLite under ./var, DEBUG on).
With DEBUG off the settings refuse an insecure set-up (see `_require_secure`).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TUIJIN_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from exc


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tuijin.toolkit",
    "tuijin.plan",
    "tuijin.orgs",
    "tuijin.audit",
    "tuijin.projects",
    "tuijin.jobs",
    "tuijin.reporting",
    "tuijin.stats",
    "tuijin.assessment",
    "tuijin.bulletins",
    "tuijin.bonds",
    "tuijin.promotion",
    "tuijin.incentives",
    "tuijin.reits",
    "tuijin.programmes",
    "tuijin.cockpit",
    "tuijin.web",
    "tuijin.demo",
    "tuijin.problems",
    "tuijin.supervision",
    "tuijin.notifications",
    "tuijin.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tuijin.toolkit.http.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tuijin.audit.middleware.AuditRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "tuijin.orgs.middleware.SessionLimitsMiddleware",
    "tuijin.orgs.middleware.AccountDutiesMiddleware",
    "tuijin.toolkit.http.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "tuijin.urls"
WSGI_APPLICATION = "tuijin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tuijin.web.context.navigation",
                "tuijin.web.context.business_clock",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tuijin.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tuijin.orgs.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
AUTHENTICATION_BACKENDS = [
    "tuijin.orgs.backends.LockoutBackend",  # django-axes: refuses a locked-out user name or address
    "tuijin.orgs.backends.AccountBackend",  # ModelBackend that also refuses expired accounts
]
#: Days after which a password must be changed (等保: 定期更换); 0 turns rotation off.
TUIJIN_PASSWORD_MAX_AGE_DAYS = env_int("TUIJIN_PASSWORD_MAX_AGE_DAYS", 90)
#: Absolute session lifetime (seconds), whatever the activity.
TUIJIN_SESSION_ABSOLUTE_SECONDS = env_int("TUIJIN_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
#: The three administrators (三员) must pass a TOTP second factor.
TUIJIN_ADMIN_TOTP_REQUIRED = env_bool("TUIJIN_ADMIN_TOTP_REQUIRED", True)
#: API tokens expire after this many days.
TUIJIN_API_TOKEN_DAYS = env_int("TUIJIN_API_TOKEN_DAYS", 30)
#: Audit entries younger than this may not be purged (网络安全法 第二十一条: at least six months).
TUIJIN_AUDIT_RETENTION_DAYS = max(180, env_int("TUIJIN_AUDIT_RETENTION_DAYS", 180))
OTP_TOTP_ISSUER = "tuijin"

# Lockout (django-axes): 5 consecutive failures lock the user name for 15 minutes; an address
# with TUIJIN_LOGIN_IP_FAILURES failures (any user names) is locked as well.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "tuijin.orgs.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "tuijin.orgs.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "token"]
AXES_VERBOSE = False
TUIJIN_LOGIN_IP_FAILURES = env_int("TUIJIN_LOGIN_IP_FAILURES", 30)
# The per-address limit is tuijin.orgs.lockout.LockoutHandler's (a separate, higher threshold than the
# user name's, so that one office behind NAT is not locked out by one person's typos).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: idle timeout (seconds), refreshed on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from hx-headers on <body>, never from the cookie
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
# The interface is Chinese whatever the browser asks for; English stays the source language of the catalogue.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "files"

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tuijin.orgs.tokens.ApiTokenAuthentication",  # hashed, expiring, revocable (orgs.ApiToken)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tuijin.toolkit.http.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "tuijin.toolkit.http.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tuijin API",
    "DESCRIPTION": "推进 — 扩大有效投资工作平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "tuijin.projects.models.Stage",
        "DealStageEnum": "tuijin.promotion.models.DealStage",
        "ReitsStageEnum": "tuijin.reits.models.ReitsStage",
    },
}

# The plans: one file per city and year (every number of a plan comes from there). The platform's city
# is TUIJIN_CITY (its name or the city part of the plan ids, e.g. "zhengzhou"); empty: the only city.
TUIJIN_PLANS_DIR = Path(os.environ.get("TUIJIN_PLANS_DIR", PROJECT_DIR / "plans"))
TUIJIN_CITY = os.environ.get("TUIJIN_CITY", "")

# Local mode (make run: loopback only). The business date may be set there by anyone at the console
# and by the demo; outside it only by the system administrator (tuijin clock --set … --as <sysadmin>).
TUIJIN_LOCAL = env_bool("TUIJIN_LOCAL", DEBUG)
# The clock's business date is read again at most this often per process (seconds).
TUIJIN_CLOCK_REFRESH_SECONDS = env_int("TUIJIN_CLOCK_REFRESH_SECONDS", 5)

# Background jobs: huey with SQLite storage by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "tuijin",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})
#: Imports with more data rows than this run as background jobs.
TUIJIN_ASYNC_IMPORT_ROWS = env_int("TUIJIN_ASYNC_IMPORT_ROWS", 3000)
#: Upload limits (bytes, data rows).
TUIJIN_MAX_UPLOAD_BYTES = env_int("TUIJIN_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
TUIJIN_MAX_IMPORT_ROWS = env_int("TUIJIN_MAX_IMPORT_ROWS", 200_000)
#: Zip-bomb limits for uploaded xlsx: total uncompressed size, and compression ratio of a large entry.
TUIJIN_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("TUIJIN_XLSX_MAX_UNCOMPRESSED_BYTES", 1 << 30)
TUIJIN_XLSX_MAX_RATIO = env_int("TUIJIN_XLSX_MAX_RATIO", 200)
#: Uploaded files are kept under random names here, outside STATIC_ROOT and any served folder.
TUIJIN_UPLOAD_DIR = VAR_DIR / "uploads"
#: Backups: a Fernet key (urlsafe base64, 32 bytes) from the environment encrypts them when set.
TUIJIN_BACKUP_KEY = os.environ.get("TUIJIN_BACKUP_KEY", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# E-mail for notifications (tuijin.notifications): sent only when SMTP is configured (EMAIL_HOST set).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tuijin@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Log lines cannot be forged: newlines and control characters in messages are escaped.
    "formatters": {"safe": {"()": "tuijin.toolkit.logging.SafeFormatter",
                            "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters")

_ = _  # gettext_lazy kept importable for settings-level labels

# Incentive application evidence: stored outside every served folder; size and types (checked from the content).
INCENTIVE_ATTACHMENT_DIR = VAR_DIR / "private" / "incentives"
INCENTIVE_ATTACHMENT_MAX_BYTES = env_int("INCENTIVE_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
INCENTIVE_ATTACHMENT_TYPES = ("pdf", "png", "jpeg", "xlsx", "docx")
