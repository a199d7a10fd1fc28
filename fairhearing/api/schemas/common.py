"""The base of every request schema, and checks shared by several of them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from ninja import Schema
from pydantic import ValidationInfo, field_validator


def _no_nul(value: Any, where: str) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(f"{where or 'a field'} contains a NUL character (\\u0000); remove it and send the text again")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_nul(item, f"{where}[{index}]")


class InputSchema(Schema):
    """Base of every request body: text containing NUL characters is refused with a clear
    error (no database stores them, and no person types them)."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any, info: ValidationInfo) -> Any:
        _no_nul(value, info.field_name or "")
        return value


def check_links(text: str) -> str:
    """One web link per line, as the complaint form asks; blank lines are dropped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        try:
            URLValidator(schemes=["http", "https"])(line)
        except DjangoValidationError:
            raise ValueError(f"{line[:80]} is not a web link. Give full links starting https://, one per line.") from None
    return "\n".join(lines)


def check_email(text: str) -> str:
    """An email address, or nothing, as the complaint form asks."""
    text = text.strip()
    if text:
        try:
            validate_email(text)
        except DjangoValidationError:
            raise ValueError("Enter an email address like name@example.org, or leave it empty.") from None
    return text


EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def check_moment(value: datetime) -> datetime:
    """A date and time within a sensible range; without a UTC offset it is read in the site's
    time zone, as the web forms read it."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"Give a date and time between the years {EARLIEST_YEAR} and {LATEST_YEAR}, e.g. 2026-03-20T10:00:00+00:00.")
    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    # Stored in UTC: PostgreSQL refuses offsets beyond about ±16 hours, which ISO 8601 allows.
    return aware.astimezone(UTC)
