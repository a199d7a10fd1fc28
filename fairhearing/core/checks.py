"""System checks: misconfiguration fails at start with an id and a fix."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=False)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    if not settings.DEBUG and not key:
        return [
            Error(
                "SECRET_KEY is not set and DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random string "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
                "or run `make demo`, which generates one into var/.",
                id="fairhearing.E001",
            )
        ]
    if not settings.DEBUG and len(key) < 32:
        return [
            Error(
                "SECRET_KEY is shorter than 32 characters.",
                hint="Use a long random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="fairhearing.E002",
            )
        ]
    return []


@register()
def check_process_file(app_configs: Any, **kwargs: Any) -> list[Error]:
    from fairhearing.workflow.process import ProcessError, load_process

    path = settings.FAIRHEARING_PROCESS
    try:
        load_process(path)
    except FileNotFoundError:
        return [Error(f"FAIRHEARING_PROCESS: no file at {path}.", hint="Point FAIRHEARING_PROCESS at a process TOML file, or unset it for the default.", id="fairhearing.E003")]
    except ProcessError as error:
        lines = "; ".join(f"{p.location}: {p.message}" for p in error.problems[:10])
        return [Error(f"FAIRHEARING_PROCESS: {path} has problems: {lines}", hint="Run `fairhearing check-process FILE` for the full list and fix each one.", id="fairhearing.E004")]
    return []


@register()
def check_calendar(app_configs: Any, **kwargs: Any) -> list[Error]:
    from fairhearing.core.calendar import parse_calendar_setting

    try:
        parse_calendar_setting(settings.FAIRHEARING_CALENDAR)
    except ValueError as error:
        return [Error(f"FAIRHEARING_CALENDAR: {error}", hint="Use COUNTRY or COUNTRY-SUBDIVISION as the holidays package names them, e.g. GB-ENG, GB-SCT, IE.", id="fairhearing.E005")]
    return []


@register()
def check_evidence_storage(app_configs: Any, **kwargs: Any) -> list[Error]:
    from django.core.files.storage import InvalidStorageError, storages

    try:
        storages.create_storage(settings.STORAGES["evidence"])
    except (InvalidStorageError, ImportError, TypeError, ValueError, ImproperlyConfigured) as error:
        return [Error(f"FAIRHEARING_EVIDENCE_STORAGE: the evidence storage cannot be built: {error}",
                      hint="Check BACKEND names an installed storage class and OPTIONS holds only the options it accepts.",
                      id="fairhearing.E006")]
    return []
