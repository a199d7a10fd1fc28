"""Two-factor sign-in pages: set-up with a first code, the code check after the password, and the
administrator's overview and reset. Each works without JavaScript; every form posts with CSRF."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhearing.accounts import selectors, services
from fairhearing.accounts.forms import CodeForm, ResetForm
from fairhearing.accounts.middleware import two_factor_not_required
from fairhearing.accounts.models import User
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError

# From this many wrong codes in a row the wait before the next try is worth mentioning.
MENTION_WAIT_AFTER = 3


def _next(request: HttpRequest) -> str:
    """Where to go after the check: the page first asked for, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    from urllib.parse import urlencode

    return redirect(f"{resolve_url(name)}?{urlencode({'next': _next(request)})}")


def _is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check is not None and check())


def _checked(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark this session as checked, under a new session key (the old one may have been seen)."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _refuse(form: CodeForm, result: services.CodeCheck) -> int:
    """Put the reason a code was refused on the form; returns the status to answer with."""
    if result.outcome == services.CodeOutcome.WAIT:
        form.add_error("code", f"There have been {result.failures} wrong codes in a row, so for your security the next try "
                               f"must wait. Wait {result.wait_seconds} seconds, then enter the code your app shows at that time. "
                               "If you cannot get a right code, ask an administrator to reset your two-factor sign-in.")
        return 429
    message = ("That code was not accepted. Check that you are reading the code for this site, and enter the one "
               "your app shows now: each code lasts 30 seconds and works once.")
    if result.failures >= MENTION_WAIT_AFTER and result.retry_at is not None:
        message += f" After {result.failures} wrong codes in a row, wait {result.wait_seconds} seconds before the next try."
    form.add_error("code", message)
    return 200


@two_factor_not_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if _is_verified(request):
        return redirect(_next(request))
    if selectors.confirmed_device(user) is None:
        return _to("accounts:two_factor_enrol", request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.two_factor_verify(actor=user_actor(user), code=form.cleaned_data["code"])
        if result.accepted and result.device is not None:
            _checked(request, result.device)
            return redirect(_next(request))
        if result.outcome == services.CodeOutcome.NO_DEVICE:
            return _to("accounts:two_factor_enrol", request)
        status = _refuse(form, result)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}, status=status)


@two_factor_not_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actor = user_actor(user)
    if selectors.confirmed_device(user) is not None:
        if _is_verified(request):
            messages.info(request, "Two-factor sign-in is already set up for your account. To move it to a new phone, ask an administrator to reset it.")
            return redirect(_next(request))
        return _to("accounts:two_factor_verify", request)
    try:
        device = services.two_factor_enrolment_start(actor=actor)
    except DomainError:  # confirmed in another tab a moment ago
        return _to("accounts:two_factor_verify", request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.two_factor_enrolment_confirm(actor=actor, code=form.cleaned_data["code"])
        except DomainError:
            return _to("accounts:two_factor_verify", request)
        if result.accepted and result.device is not None:
            _checked(request, result.device)
            messages.success(request, "Two-factor sign-in is set up. Each time you sign in from now on, you will also enter a code from your app.")
            return redirect(_next(request))
        status = _refuse(form, result)
    context: dict[str, Any] = {"form": form, "next": _next(request), "key": selectors.setup_key(device), "uri": device.config_url}
    return render(request, "accounts/two_factor_enrol.html", context, status=status)


def _not_admin(request: HttpRequest) -> HttpResponse | None:
    if services.may_reset_two_factor(user_actor(request.user)):  # type: ignore[arg-type]
        return None
    return render(request, "core/error.html", {"title": "Not available to you", "message": "Only an administrator can manage staff two-factor sign-in."}, status=403)


@require_GET
def two_factor_staff(request: HttpRequest) -> HttpResponse:
    if denied := _not_admin(request):
        return denied
    return render(request, "accounts/two_factor_staff.html", {"rows": selectors.staff_two_factor(), "required": selectors.two_factor_required()})


@require_http_methods(["GET", "POST"])
def two_factor_reset(request: HttpRequest, user_id: Any) -> HttpResponse:
    if denied := _not_admin(request):
        return denied
    target = get_object_or_404(User, public_id=user_id, is_active=True)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_reset(actor=user_actor(request.user), user=target, cause=form.cleaned_data["cause"])  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Two-factor sign-in for {target} was reset. The next time they sign in they will set up "
                                      "their app again: ask them to do it soon, as until then their password alone leads to that step.")
            return redirect("accounts:two_factor_staff")
    return render(request, "accounts/two_factor_reset.html", {"form": form, "target": target, "own": target.pk == request.user.pk})
