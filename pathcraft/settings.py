"""Settings that run with no configuration (SQLite in ./data); production changes values, not code.

Every knob is read from the environment through the small helpers below.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """An environment variable; set but empty counts as unset."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


PRODUCTION = envbool("PATHCRAFT_PRODUCTION", False)
DEBUG = envbool("PATHCRAFT_DEBUG", not PRODUCTION)
DATA_DIR = Path(env("PATHCRAFT_DATA_DIR", str(Path.cwd() / "data")))

if PRODUCTION:
    SECRET_KEY = os.environ["PATHCRAFT_SECRET_KEY"]  # no default: production must set it
else:
    SECRET_KEY = env("PATHCRAFT_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")

ALLOWED_HOSTS = [h for h in env("PATHCRAFT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("PATHCRAFT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = env("PATHCRAFT_SITE_URL", "http://127.0.0.1:8000")
# Folders under which team leads may register git repositories (os.pathsep-separated); unset allows any path the
# server can read, which suits a single-team install but not a shared one.
CODE_REPOSITORY_ROOTS = [p for p in env("PATHCRAFT_CODE_ROOTS", "").split(os.pathsep) if p]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "pathcraft.people",
    "pathcraft.paths",
    "pathcraft.feedback",
    "pathcraft.workload",
    "pathcraft.code",
    "pathcraft.reviews",
    "pathcraft.growth",
    "pathcraft.ops",
    "pathcraft.demo",
    "pathcraft.api",
    "pathcraft.sso",
    "pathcraft.provisioning",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pathcraft.ops.logging.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes documents
]

ROOT_URLCONF = "pathcraft.urls"
WSGI_APPLICATION = "pathcraft.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pathcraft.people.context.viewer",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("PATHCRAFT_DATABASE_URL", f"sqlite:///{DATA_DIR / 'pathcraft.sqlite3'}"),
        conn_max_age=envint("PATHCRAFT_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the worker and the web server use the same file; a timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed-login throttling first (django-axes), then the user/password check (admins only when password login is
# off), then OpenID Connect sign-in (pathcraft/sso, configured by PATHCRAFT_OIDC_*; see docs/sso.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pathcraft.sso.backends.PasswordBackend",
    "pathcraft.sso.backends.OidcBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served by the app itself (WhiteNoise), so one process is a whole installation.
# Production serves the collected copies (`pathcraft migrate` collects them): names carry a hash of the content
# and gzip/brotli copies sit beside them, so browsers may cache them for a year and a new version is a new name.
# Development and the tests serve straight from the apps (no collect step; a missing manifest cannot break them).
STATIC_ROOT = Path(env("PATHCRAFT_STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_STORAGE = (
    "pathcraft.ops.static_storage.HashedCompressedStaticFiles"
    if PRODUCTION
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATIC_STORAGE},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {
    "default": {
        "BACKEND": env("PATHCRAFT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env("PATHCRAFT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("PATHCRAFT_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("PATHCRAFT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("PATHCRAFT_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("PATHCRAFT_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("PATHCRAFT_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("PATHCRAFT_FROM_EMAIL", "pathcraft@localhost")

# Anonymity thresholds: see pathcraft/people/data/privacy.yaml for their sources.
FEEDBACK_MIN_ANSWERS = max(3, envint("PATHCRAFT_FEEDBACK_MIN_ANSWERS", 3))
SURVEY_MIN_ANSWERS = max(3, envint("PATHCRAFT_SURVEY_MIN_ANSWERS", 5))

# Seals the private fields of backups (docs/backup.md): Fernet keys, comma-separated, the first seals. Kept
# apart from SECRET_KEY so that rotating the secret or restoring on another host keeps backups readable.
BACKUP_KEY = env("PATHCRAFT_BACKUP_KEY")

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("PATHCRAFT_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("PATHCRAFT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("PATHCRAFT_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from pathcraft.ops.logging import configure_logging  # noqa: E402 - needs DEBUG/PRODUCTION above

LOGGING_CONFIG = None
configure_logging(
    json_logs=envbool("PATHCRAFT_JSON_LOGS", PRODUCTION), level=env("PATHCRAFT_LOG_LEVEL", "INFO")
)

# Login throttling (django-axes) and security headers (django-csp); defaults with their sources in ops/data.
from pathcraft.ops.security import *  # noqa: E402,F403

# Single sign-on (OpenID Connect): every PATHCRAFT_OIDC_* variable, timing defaults in sso/data/sso.yaml.
from pathcraft.sso.conf import *  # noqa: E402,F403
from pathcraft.sso.conf import csp_with_issuer  # noqa: E402

CONTENT_SECURITY_POLICY = csp_with_issuer(CONTENT_SECURITY_POLICY, SSO_OIDC_ISSUER)  # noqa: F405
