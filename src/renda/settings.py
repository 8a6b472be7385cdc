"""Settings for renda, read from the environment (see docs/deploy.md).

- ``DATABASE_URL``: ``postgres://user:pass@host:port/name`` (psycopg 3); unset means SQLite
  at ``$RENDA_DATA_DIR/renda.sqlite3`` with WAL, IMMEDIATE transactions and a busy timeout.
- ``DATABASE_REPLICA_URL``: an optional PostgreSQL read replica for statistics, dashboards,
  exports and reports (``core/replica.py``, docs/deploy.md).
- ``RENDA_DATA_DIR``: where the database, the secret key, uploads and collected static
  files live (default ``var/`` in the working directory).
- ``RENDA_SECRET_KEY``: overrides the key generated on first start in the data dir.
- ``RENDA_DEBUG=1``: debug mode (never in production).
- ``RENDA_ALLOWED_HOSTS``: comma-separated host names (default localhost names).
- ``RENDA_SECURE=1``: production HTTPS settings (HSTS, secure cookies, SSL redirect).
- ``RENDA_TRUSTED_PROXIES``: comma-separated addresses or networks of the reverse proxies
  whose X-Forwarded-For names the client (audit trail, login throttling); default none.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("RENDA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The secret key: from the environment, else from a file generated on first start."""
    key = os.environ.get("RENDA_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def database_from_url(url: str | None, data_dir: Path) -> dict[str, object]:
    """One DATABASES entry from ``DATABASE_URL``; SQLite in ``data_dir`` when unset."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "renda.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": str(data_dir / "test-renda.sqlite3")},
        }
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, and a statement run five times on a connection
            # prepared there (parsed and planned once): docs/decisions/0026-prepared-statements.md.
            "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5} if _env_flag("RENDA_PG_PREPARE", True)
            else {},
        }
    if parsed.scheme == "sqlite":
        path = Path(unquote(parsed.path)) if parsed.path not in {"", "/"} else data_dir / "renda.sqlite3"
        return database_from_url(None, path.parent) | {"NAME": str(path)}
    raise ValueError(f"DATABASE_URL scheme not supported: {parsed.scheme!r}")


SECRET_KEY = _secret_key()
DEBUG = _env_flag("RENDA_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RENDA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
if DEBUG:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "renda.core",
    "renda.audit",
    "renda.calendar_days",
    "renda.places",
    "renda.units",
    "renda.accounts",
    "renda.people",
    "renda.congress",
    "renda.suggestions",
    "renda.shifts",
    "renda.petitions",
    "renda.risks",
    "renda.projects",
    "renda.duties",
    "renda.liaison",
    "renda.presidium",
    "renda.motions",
    "renda.gridwork",
    "renda.reports",
    "renda.notifications",
    "renda.ledger",
    "renda.portal",
    "renda.open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "renda.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "renda.core.middleware.RequestContextMiddleware",
    "renda.core.middleware.IntegerRangeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "renda.core.middleware.ActorContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "renda.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "renda.urls"
# Django's form renderer, with selects drawn in Python (the same HTML; core/forms_renderer.py).
FORM_RENDERER = "renda.core.forms_renderer.Renderer"
WSGI_APPLICATION = "renda.wsgi.application"

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
                "renda.core.context_processors.navigation",
                "renda.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"), DATA_DIR)}
# Reads of statistics, dashboards, exports and reports may go to a read replica (core/replica.py).
# The alias always exists — the primary itself when no replica is set, a test mirror in tests — and
# is used only when DATABASE_REPLICA_URL is set.
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")
DATABASES["replica"] = {
    **(database_from_url(_REPLICA_URL, DATA_DIR) if _REPLICA_URL else DATABASES["default"]),
    "TEST": {"MIRROR": "default"},
}
RENDA_READ_REPLICA = bool(_REPLICA_URL)
DATABASE_ROUTERS = ["renda.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["renda.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (renda.accounts.throttle): failures per (username, IP) and per IP.
RENDA_LOGIN_MAX_FAILURES = int(os.environ.get("RENDA_LOGIN_MAX_FAILURES", "5"))
RENDA_LOGIN_LOCK_SECONDS = int(os.environ.get("RENDA_LOGIN_LOCK_SECONDS", "900"))
RENDA_LOGIN_IP_MAX_FAILURES = int(os.environ.get("RENDA_LOGIN_IP_MAX_FAILURES", "50"))
# Open311 GeoReport v2 (docs/open311.md): the discovery's contact line, POSTs per client and hour
RENDA_OPEN311_CONTACT = os.environ.get("RENDA_OPEN311_CONTACT", "")
RENDA_OPEN311_HOURLY_LIMIT = int(os.environ.get("RENDA_OPEN311_HOURLY_LIMIT", "120"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing directory before collectstatic
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "renda.core.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The Content-Security-Policy of every response (renda.core.middleware): scripts, styles, fonts
# and images from the site itself only (data: images: Bootstrap's icons), no plugins, no framing.
RENDA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
if _env_flag("RENDA_SECURE"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
RENDA_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("RENDA_TRUSTED_PROXIES", "").split(",") if p.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("RENDA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Attachments carry personal data: readable by the server account only (renda.core.filemodes).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Every line carries the request id (``request=<hex>``, shown on the error page and echoed in
# X-Request-ID); a server error (django.request) is logged with its traceback, to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "renda.core.logs.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "loggers": {
        "renda": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "INFO")},
        "renda.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Notification delivery (the outbox, docs/notifications.md): SMS and e-mail back ends. The default
# ``log`` back ends write each message to the log and mark it sent: nothing is lost on an intranet.
RENDA_SMS_BACKEND = os.environ.get("RENDA_SMS_BACKEND", "log")  # log | gateway | dotted path
RENDA_EMAIL_BACKEND = os.environ.get("RENDA_EMAIL_BACKEND", "django" if os.environ.get("EMAIL_HOST") else "log")
RENDA_SMS_GATEWAY_URL = os.environ.get("RENDA_SMS_GATEWAY_URL", "")
RENDA_SMS_APP_KEY = os.environ.get("RENDA_SMS_APP_KEY", "")
RENDA_SMS_APP_SECRET = os.environ.get("RENDA_SMS_APP_SECRET", "")
RENDA_SMS_SIGN_NAME = os.environ.get("RENDA_SMS_SIGN_NAME", "")
RENDA_SMS_TIMEOUT = float(os.environ.get("RENDA_SMS_TIMEOUT", "10"))
#: verb → the gateway's pre-approved template id, as JSON ({"suggestion.reply": "SMS_1", "*": "SMS_0"}).
RENDA_SMS_TEMPLATES: dict[str, str] = json.loads(os.environ.get("RENDA_SMS_TEMPLATES") or "{}")
#: The in-app notifications that also go out by SMS/e-mail to the user's recorded phone/e-mail.
RENDA_OUTBOX_VERBS = [v.strip() for v in os.environ.get("RENDA_OUTBOX_VERBS", ",".join([
    "suggestion.assign", "suggestion.rehandle", "suggestion.remind", "risk.assign", "project.remind",
    "petition.due_soon", "petition.overdue", "liaison.voter", "liaison.presidium", "liaison.office",
])).split(",") if v.strip()]
#: Minutes to wait after each failed attempt; one attempt more than the list is long, then failed.
RENDA_OUTBOX_BACKOFF = [int(m) for m in os.environ.get("RENDA_OUTBOX_BACKOFF", "1,5,30,120,720").split(",")]
#: The site's address, for links in e-mails (``https://renda.example.gov.cn``; none: no link).
RENDA_SITE_URL = os.environ.get("RENDA_SITE_URL", "").rstrip("/")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "renda@localhost")
