"""Reads about staff accounts: two-factor devices and their state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhearing.accounts.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def two_factor_required() -> bool:
    """Whether every signed-in staff member must pass a code check in each session."""
    return bool(settings.FAIRHEARING_REQUIRE_TWO_FACTOR)


def confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    """The user's confirmed authenticator device, if they have set one up (the oldest, if several)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user: User) -> TOTPDevice | None:
    """The device whose secret the user was shown but has not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def setup_key(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it: base32, in groups of four for reading aloud
    or typing (apps ignore the spaces)."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class StaffTwoFactor:
    """One row of the administrator's overview."""

    user: User
    state: str  # "set_up", "waiting" (secret shown, no code yet) or "none"
    set_up_at: datetime | None
    last_used_at: datetime | None
    failures: int

    @property
    def resettable(self) -> bool:
        return self.state != "none"


def staff_two_factor() -> list[StaffTwoFactor]:
    """Every active staff account with the state of its two-factor sign-in, by name."""
    devices: dict[int, list[TOTPDevice]] = {}
    for device in TOTPDevice.objects.order_by("id"):
        devices.setdefault(device.user_id, []).append(device)
    rows = []
    for user in User.objects.filter(is_active=True).order_by("username"):
        own = devices.get(user.pk, [])
        confirmed = [d for d in own if d.confirmed]
        if confirmed:
            first = confirmed[0]
            rows.append(StaffTwoFactor(user, "set_up", first.created_at, first.last_used_at, first.throttling_failure_count))
        elif own:
            rows.append(StaffTwoFactor(user, "waiting", None, None, own[-1].throttling_failure_count))
        else:
            rows.append(StaffTwoFactor(user, "none", None, None, 0))
    return rows
