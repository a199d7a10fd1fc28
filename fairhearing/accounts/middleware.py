"""Two-factor sign-in for staff: with ``FAIRHEARING_REQUIRE_TWO_FACTOR`` on, a password alone opens
no staff page.

Every view that needs a signed-in user (everything not marked ``login_not_required``) also needs
a session whose user passed a code check in it (``django_otp``'s ``user.is_verified()``). Anyone
else is sent to set up an authenticator app (no confirmed device yet) or to enter a code, and
comes back to the page they asked for. Public pages, the complainant's and respondent's pages and
the API (which authenticates by token, never by session) are marked ``login_not_required`` and so
are untouched. The set-up, check and sign-out views are marked :func:`two_factor_not_required`.

Install after ``django_otp.middleware.OTPMiddleware`` and ``LoginRequiredMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url

from fairhearing.accounts import selectors

View = Callable[..., HttpResponseBase]


def two_factor_not_required(view: View) -> View:
    """Mark a signed-in view as reachable before the code check (set-up, check, sign-out)."""
    view.two_factor_required = False  # type: ignore[attr-defined]
    return view


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: View, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        if not selectors.two_factor_required():
            return None
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "two_factor_required", True):
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # LoginRequiredMiddleware sends them to sign in first
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        target = "accounts:two_factor_verify" if selectors.confirmed_device(user) else "accounts:two_factor_enrol"
        return redirect_to_login(request.get_full_path(), resolve_url(target))
