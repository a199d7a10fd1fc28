"""System checks for staff sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

OTP = "django_otp.middleware.OTPMiddleware"
REQUIRE = "fairhearing.accounts.middleware.TwoFactorRequiredMiddleware"


def check_two_factor_middleware(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """With two-factor sign-in required, the middleware that enforces it must be installed, after
    the one that reads the session's checked device; otherwise every code check would be lost."""
    if not getattr(settings, "FAIRHEARING_REQUIRE_TWO_FACTOR", False):
        return []
    middleware = list(settings.MIDDLEWARE)
    if REQUIRE not in middleware or OTP not in middleware or middleware.index(OTP) > middleware.index(REQUIRE):
        return [Error(
            "FAIRHEARING_REQUIRE_TWO_FACTOR is on but two-factor sign-in is not enforced: MIDDLEWARE must hold "
            f"{OTP} and, after it, {REQUIRE}.",
            hint="Restore both lines in MIDDLEWARE (see fairhearing/settings.py), or set FAIRHEARING_REQUIRE_TWO_FACTOR=false.",
            id="fairhearing.accounts.E001",
        )]
    return []
