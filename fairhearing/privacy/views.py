"""Data-subject requests (the one-month queue), exports and legal holds. Overseer pages: every
request is handled by the role that may see everything, and every export is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fairhearing.accounts.models import Role
from fairhearing.accounts.permissions import visible_cases
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.privacy import services
from fairhearing.privacy.export import subject_access_export
from fairhearing.privacy.forms import CompleteForm, HoldForm, SubjectRequestForm
from fairhearing.privacy.models import LegalHold, SubjectRequest
from fairhearing.privacy.selectors import request_queue


def _overseer(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) != Role.OVERSEER:
        raise Http404("No such page")


def requests_queue(request: HttpRequest) -> HttpResponse:
    _overseer(request)
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subject_request_record(actor=user_actor(request.user), **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Request recorded; it is due on {created.due_on:%d %B %Y}.")
            return redirect("privacy:request", public_id=created.public_id)
    today = clock.today()
    rows = [(r, (r.due_on - today).days) for r in request_queue(open_only=request.GET.get("all") != "1")]
    return render(request, "privacy/queue.html", {"rows": rows, "form": form, "today": today})


def request_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    _overseer(request)
    item = get_object_or_404(SubjectRequest, public_id=public_id)
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_request_complete(actor=user_actor(request.user), request=item, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error("outcome" if error.field == "outcome" else None, error.message)
        else:
            messages.success(request, "The request is closed.")
            return redirect("privacy:requests")
    return render(request, "privacy/request.html", {"item": item, "form": form, "days_left": (item.due_on - clock.today()).days})


@require_POST
def request_export(request: HttpRequest, public_id: Any) -> HttpResponse:
    _overseer(request)
    item = get_object_or_404(SubjectRequest, public_id=public_id)
    try:
        name, data = subject_access_export(actor=user_actor(request.user), request=item)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("privacy:request", public_id=item.public_id)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def hold_place(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user), public_id=public_id)  # type: ignore[arg-type]
    form = HoldForm(request.POST)
    try:
        services.legal_hold_place(actor=user_actor(request.user), case=case, reason=form.data.get("reason", ""))  # type: ignore[arg-type]
        messages.success(request, "Legal hold placed: retention will not touch this case until it is lifted.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
def hold_lift(request: HttpRequest, public_id: Any) -> HttpResponse:
    hold = get_object_or_404(LegalHold, public_id=public_id, case__in=visible_cases(request.user))  # type: ignore[arg-type]
    try:
        services.legal_hold_lift(actor=user_actor(request.user), hold=hold)  # type: ignore[arg-type]
        messages.success(request, "Legal hold lifted.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:detail", public_id=hold.case.public_id)
