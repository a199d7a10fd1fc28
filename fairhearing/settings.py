"""Django settings for fairhearing, read from the environment through typed helpers.

Every variable is documented in README.md. A bad value stops start-up with a message naming the
variable and the fix (see fairhearing.core.env and the system checks in fairhearing.core.checks).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from fairhearing.core.env import (
    ConfigurationError,
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_storage,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

try:
    DEBUG = env_bool("DEBUG", False)
    VAR_DIR = env_path("FAIRHEARING_VAR_DIR", BASE_DIR / "var")
    # A missing key with DEBUG off is reported by system check fairhearing.E001.
    SECRET_KEY = env_str("SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    DATABASES = {
        "default": database_from_url(
            env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fairhearing.sqlite3'}"), base_dir=BASE_DIR
        )
    }
    _replica_url = env_str("DATABASE_REPLICA_URL", "")
    if _replica_url.strip():
        # A read-only copy of the primary for the published statistics (fairhearing.core.routers).
        DATABASES["replica"] = {
            **database_from_url(_replica_url, base_dir=BASE_DIR, variable="DATABASE_REPLICA_URL"),
            "TEST": {"MIRROR": "default"},
        }
    _email = email_from_url(env_str("EMAIL_URL", "console:"))
    TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
    FAIRHEARING_PROCESS = env_path(
        "FAIRHEARING_PROCESS", PACKAGE_DIR / "workflow" / "processes" / "default.toml"
    )
    FAIRHEARING_CALENDAR = env_str("FAIRHEARING_CALENDAR", "GB-ENG")
    # Empty: the shipped fairhearing/privacy/retention.toml (checked at start-up, fairhearing.privacy.E001).
    FAIRHEARING_RETENTION_FILE = env_str("FAIRHEARING_RETENTION_FILE", "")
    FAIRHEARING_AUDIT_KEY = env_path("FAIRHEARING_AUDIT_KEY", VAR_DIR / "audit-signing-key.pem")
    FAIRHEARING_EVIDENCE_DIR = env_path("FAIRHEARING_EVIDENCE_DIR", VAR_DIR / "evidence")
    # Evidence goes through Django's storage API, so several application servers can share one
    # object store; the default is the local directory above.
    _evidence_storage = env_storage(
        "FAIRHEARING_EVIDENCE_STORAGE",
        {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(FAIRHEARING_EVIDENCE_DIR)}},
    )
    FAIRHEARING_ORGANISATION = env_str("FAIRHEARING_ORGANISATION", "Example Membership Organisation")
    FAIRHEARING_BASE_URL = env_str("FAIRHEARING_BASE_URL", "http://127.0.0.1:8000")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "complaints@example.org")
    AXES_FAILURE_LIMIT = env_int("FAIRHEARING_LOGIN_FAILURE_LIMIT", 5, minimum=1)
    TASK_BACKEND = env_str("FAIRHEARING_TASK_BACKEND", "database")
    REDIS_URL = redis_url(env_str("REDIS_URL", "redis://127.0.0.1:6379/0"))
    SECURE_COOKIES = env_bool("FAIRHEARING_SECURE_COOKIES", not DEBUG)
    # Staff pass a code from an authenticator app in each session (fairhearing.accounts.middleware).
    FAIRHEARING_REQUIRE_TWO_FACTOR = env_bool("FAIRHEARING_REQUIRE_TWO_FACTOR", not DEBUG)
except ConfigurationError as error:
    sys.stderr.write(f"fairhearing cannot start: {error}\n")
    raise

if TASK_BACKEND not in ("database", "rq", "immediate"):
    raise ConfigurationError(
        "FAIRHEARING_TASK_BACKEND", f"unknown backend {TASK_BACKEND!r}", "Use database (default), rq or immediate."
    )

EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "fairhearing.core",
    "fairhearing.accounts",
    "fairhearing.audit",
    "fairhearing.conduct",
    "fairhearing.workflow",
    "fairhearing.cases",
    "fairhearing.intake",
    "fairhearing.decisions",
    "fairhearing.registry",
    "fairhearing.screening",
    "fairhearing.suggestions",
    "fairhearing.reports",
    "fairhearing.privacy",
    "fairhearing.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fairhearing.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "fairhearing.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

DATABASE_ROUTERS = ["fairhearing.core.routers.ReplicaRouter"]

ROOT_URLCONF = "fairhearing.urls"
WSGI_APPLICATION = "fairhearing.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:queues"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairhearing.core.context_processors.site",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

OTP_TOTP_ISSUER = FAIRHEARING_ORGANISATION  # the name staff see beside the codes in their app

AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASK_BACKEND],
        "QUEUES": ["default", "email"],
    }
}
if TASK_BACKEND == "rq":
    # The production setting: tasks go to Redis and any number of `fairhearing worker` processes,
    # on any number of machines, take them. The database queue stays the embedded default, so a
    # single machine needs neither PostgreSQL nor Redis.
    if importlib.util.find_spec("django_tasks_rq") is None or importlib.util.find_spec("django_rq") is None:
        raise ConfigurationError(
            "FAIRHEARING_TASK_BACKEND", "rq needs django-tasks-rq and django-rq, which are not installed",
            "Install them with pip install 'fairhearing[redis]', or use the database backend.",
        )
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in TASKS["default"]["QUEUES"]}
    # Workers started by django-rq's own rqworker command also run jobs as django-tasks tasks.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}

LANGUAGE_CODE = "en-gb"
USE_I18N = True
USE_TZ = True

STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": _evidence_storage,
}

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = 8 * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "fairhearing": {"handlers": ["console"], "level": env_str("FAIRHEARING_LOG_LEVEL", "INFO")},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}
