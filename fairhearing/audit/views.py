"""The overseer's pages (dashboard, audit log, contact register), break-glass access and the
form any staff member uses to record an outside contact. Every read of case data is audited."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from fairhearing.accounts.models import User
from fairhearing.accounts.permissions import is_overseer, may_break_glass, visible_cases
from fairhearing.audit import contacts as register
from fairhearing.audit import selectors, services
from fairhearing.audit.forms import BreakGlassForm, ContactForm
from fairhearing.audit.models import BreakGlassGrant
from fairhearing.cases.models import Case
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError

View = Callable[..., HttpResponse]


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": "Not available to you", "message": message}, status=403)


def overseer_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_overseer(request.user):  # type: ignore[arg-type]
            return _forbidden(request, "Only the overseer can see this page.")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@overseer_only
def dashboard(request: HttpRequest) -> HttpResponse:
    summary = selectors.oversight_summary()
    services.audit_record(actor=user_actor(request.user), action="oversight.dashboard_viewed", subject="audit:dashboard", payload={"head_seq": summary.head_seq})  # type: ignore[arg-type]
    return render(request, "audit/dashboard.html", {"s": summary})


@require_GET
@overseer_only
def events(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("before", "")
    action = request.GET.get("action", "").strip()
    subject = request.GET.get("subject", "").strip()
    page = selectors.events_page(before=int(before) if before.isdigit() else None, action=action, subject=subject)
    services.audit_record(actor=user_actor(request.user), action="audit.log_viewed", subject="audit:log", payload={  # type: ignore[arg-type]
        "action": action, "subject": subject, "seqs": [page[0].seq, page[-1].seq] if page else [],
    })
    return render(request, "audit/events.html", {"events": page, "action": action, "subject": subject, "older": page[-1].seq if len(page) == 100 else None})


@require_POST
@overseer_only
def verify_now(request: HttpRequest) -> HttpResponse:
    outcome = services.audit_verify(actor=user_actor(request.user))  # type: ignore[arg-type]
    if outcome.ok:
        messages.success(request, f"The log verifies: {outcome.report.message}.")
    else:
        report = outcome.report
        messages.error(request, f"The log is damaged ({report.damage}, first bad event {report.first_bad_seq}): {report.message}")
    return redirect("audit:dashboard")


def break_glass(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not may_break_glass(user):
        return _forbidden(request, "Break-glass access is for caseworkers, panel members and reviewers.")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
        if case is None:
            form.add_error("reference", "No case has that reference; check it and try again.")
        else:
            try:
                grant = services.break_glass_grant(actor=user_actor(user), case=case, reason=form.cleaned_data["reason"], hours=form.cleaned_data["hours"])
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.warning(request, f"Break-glass access to {case.reference} until {grant.expires_at:%H:%M}. The overseer has been told.")
                return redirect("cases:detail", public_id=case.public_id)
    grants = BreakGlassGrant.objects.filter(user=user).select_related("case")[:20]
    return render(request, "audit/break_glass.html", {"form": form, "grants": grants})


@require_POST
def break_glass_end(request: HttpRequest, public_id: Any) -> HttpResponse:
    grant = get_object_or_404(BreakGlassGrant, public_id=public_id)
    try:
        services.break_glass_end(actor=user_actor(request.user), grant=grant)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Break-glass access ended.")
    return redirect("audit:dashboard" if is_overseer(request.user) else "audit:break_glass")  # type: ignore[arg-type]


@require_GET
@overseer_only
def contacts(request: HttpRequest) -> HttpResponse:
    services.audit_record(actor=user_actor(request.user), action="contact.listed", subject="contact:*", payload={})  # type: ignore[arg-type]
    return render(request, "audit/contacts.html", {"people": register.contact_people()})


@require_GET
@overseer_only
def contacts_person(request: HttpRequest, key: str) -> HttpResponse:
    entries = list(register.contacts_by_person(actor=user_actor(request.user), key=key))  # type: ignore[arg-type]
    if not entries:
        raise Http404("No contacts recorded for that person")
    return render(request, "audit/contacts_list.html", {"title": f"Contacts made by {entries[0].contact_name}", "entries": entries})


@require_GET
@overseer_only
def contacts_case(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = get_object_or_404(Case, public_id=public_id)
    entries = list(register.contacts_for_case(actor=user_actor(request.user), case=case))  # type: ignore[arg-type]
    return render(request, "audit/contacts_list.html", {"title": f"Outside contacts about case {case.reference}", "entries": entries, "case": case})


def contact_record(request: HttpRequest, public_id: Any) -> HttpResponse:
    try:
        case = visible_cases(request.user).get(public_id=public_id)  # type: ignore[arg-type]
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register.external_contact_record(actor=user_actor(request.user), case=case, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The contact is on the record. The overseer can see it.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "audit/contact_record.html", {"form": form, "case": case})
