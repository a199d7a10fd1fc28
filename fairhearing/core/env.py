"""Typed readers for settings that come from the environment.

Each reader fails at start with :class:`ConfigurationError`, whose message names the variable,
what was wrong with its value and how to fix it. ``DEBUG=False`` really means false here: only
the spellings listed in :data:`TRUE_WORDS` and :data:`FALSE_WORDS` are accepted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigurationError(Exception):
    """A setting read from the environment is unusable; the message says how to fix it."""

    def __init__(self, variable: str, problem: str, fix: str) -> None:
        self.variable = variable
        super().__init__(f"{variable}: {problem}. {fix}")


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    source = os.environ if environ is None else environ
    return source.get(name)


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(
        name, f"{value!r} is not a yes/no value", "Use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(
    name: str, default: int, environ: Mapping[str, str] | None = None, *, minimum: int | None = None
) -> int:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigurationError(name, f"{value!r} is not a whole number", "Set it to a whole number such as 10.") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(name, f"{number} is below the minimum {minimum}", f"Set it to {minimum} or more.")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ConfigurationError(name, "is set but empty", "Give a comma-separated list, or unset it for the default.")
    return items


def env_path(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    return Path(value).expanduser()


def env_existing_file(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    path = env_path(name, default, environ)
    if not path.is_file():
        raise ConfigurationError(name, f"no file at {path}", "Point it at an existing file, or unset it for the default.")
    return path


_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
STORAGE_EXAMPLE = '{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "evidence"}}'


def env_storage(
    name: str, default: dict[str, object], environ: Mapping[str, str] | None = None
) -> dict[str, object]:
    """A Django ``STORAGES`` entry given as JSON: ``{"BACKEND": "dotted.Class", "OPTIONS": {...}}``.

    The JSON's shape and the backend's module are checked here; whether the class exists and
    accepts the options is checked when the storage is built (system check fairhearing.E006),
    since importing a storage backend can need settings that are still being read.
    """
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return default
    fix = f"Give a JSON object such as {STORAGE_EXAMPLE}, or unset it for files on local disk."
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise ConfigurationError(name, f"is not valid JSON ({error.msg} at column {error.colno})", fix) from None
    if not isinstance(parsed, dict):
        raise ConfigurationError(name, f"is JSON but not an object ({type(parsed).__name__})", fix)
    unknown = sorted(set(parsed) - {"BACKEND", "OPTIONS"})
    if unknown:
        raise ConfigurationError(name, f"has unknown keys {', '.join(unknown)}", "Use only BACKEND and OPTIONS. " + fix)
    backend = parsed.get("BACKEND")
    if not isinstance(backend, str) or not _DOTTED_NAME.match(backend):
        raise ConfigurationError(name, f"BACKEND {backend!r} is not a dotted class path", fix)
    options = parsed.get("OPTIONS", {})
    if not isinstance(options, dict):
        raise ConfigurationError(name, f"OPTIONS is {type(options).__name__}, not an object", fix)
    module = backend.rpartition(".")[0]
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ConfigurationError(
            name, f"the module {module!r} of BACKEND {backend!r} cannot be found",
            "Install the package that provides it (object storage needs django-storages and its client library), or correct the path.",
        )
    return {"BACKEND": backend, "OPTIONS": options}


def redis_url(url: str, variable: str = "REDIS_URL") -> str:
    """Check a Redis address: ``redis://host:6379/0``, ``rediss://`` (TLS) or ``unix:///path``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("redis", "rediss", "unix"):
        raise ConfigurationError(variable, f"unsupported scheme {parts.scheme or '(none)'!r}", "Use redis://host:6379/0, rediss://host:6380/0 or unix:///path/to/redis.sock.")
    if parts.scheme.lower() != "unix" and not parts.hostname:
        raise ConfigurationError(variable, f"{url!r} names no host", "Use redis://host:6379/0.")
    return url


def database_from_url(url: str, *, base_dir: Path, variable: str = "DATABASE_URL") -> dict[str, object]:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` into a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw_path = unquote(parts.path)
        if raw_path in ("", "/"):
            raise ConfigurationError(variable, f"{url!r} names no database file", "Use sqlite:///relative/path.sqlite3 or sqlite:////absolute/path.sqlite3.")
        path = Path(raw_path[1:]) if raw_path.startswith("/") else Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigurationError(variable, f"{url!r} names no database", "Add the database name: postgres://user@host:5432/name.")
        options: dict[str, object] = {}
        for key, values in parse_qs(parts.query).items():
            options[key] = values[-1]
        try:
            port = parts.port
        except ValueError:
            raise ConfigurationError(variable, f"{url!r} has a port that is not a number", "Use host:5432 form.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigurationError(variable, f"unsupported scheme {scheme or '(none)'!r}", "Use sqlite:///path or postgres://user@host:5432/name.")


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def email_from_url(url: str, variable: str = "EMAIL_URL") -> EmailSettings:
    """``console:`` (default), ``locmem:``, ``smtp://user:pass@host:587`` or ``smtps://...``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return EmailSettings("django.core.mail.backends.console.EmailBackend")
    if scheme == "locmem":
        return EmailSettings("django.core.mail.backends.locmem.EmailBackend")
    if scheme in ("smtp", "smtps", "submission"):
        if not parts.hostname:
            raise ConfigurationError(variable, f"{url!r} names no host", "Use smtp://user:password@host:587.")
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[scheme]
        return EmailSettings(
            "django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or default_port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=scheme == "submission" or "tls=1" in parts.query,
            use_ssl=scheme == "smtps",
        )
    raise ConfigurationError(variable, f"unsupported scheme {scheme or '(none)'!r}", "Use console:, smtp://host:25, submission://user:pass@host:587 or smtps://host:465.")
