"""Public pages: the complaint form, the receipt, the status page and the respondent's link.

Views that accept files put a size-capping upload handler first, which must happen before the
request body is read; so they are CSRF-exempt at the outer layer and CSRF-protected inside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from fairhearing.cases.models import Complaint
from fairhearing.core.errors import DomainError
from fairhearing.intake import selectors, services
from fairhearing.intake.files import (
    EvidenceUnavailable,
    SizeLimitUploadHandler,
    evidence_file_response,
)
from fairhearing.intake.forms import (
    ComplaintForm,
    EvidenceForm,
    LookupForm,
    MessageForm,
    MoveHearingForm,
    ReplyForm,
    form_started_token,
    seconds_since,
)
from fairhearing.intake.respondent import LinkRefused

SESSION_COMPLAINTS = "intake_complaints"
SESSION_RECEIPT = "intake_receipt"


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def with_upload_limit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    protected = csrf_protect(view)

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))  # type: ignore[union-attr]
        return protected(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(csrf_exempt(wrapped))


def _field_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _data(cleaned: dict[str, Any]) -> services.ComplaintInput:
    keys = services.ComplaintInput.__dataclass_fields__
    return services.ComplaintInput(**{k: v for k, v in cleaned.items() if k in keys})


@with_upload_limit
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The complaint form; on success, the receipt page (post/redirect/get)."""
    if request.method == "GET":
        form = ComplaintForm(initial={"started": form_started_token()})
        return render(request, "intake/complaint_form.html", {"form": form})
    form = ComplaintForm(request.POST, request.FILES, oversize=getattr(request, "oversize_files", []))
    status = 400
    if form.is_valid():
        try:
            result = services.complaint_submit(
                data=_data(form.cleaned_data), ip=_ip(request), honeypot=form.cleaned_data["website"],
                fill_seconds=seconds_since(form.cleaned_data["started"]),
            )
        except DomainError as error:
            _field_error(form, error)
            if isinstance(error, services.EvidenceNotStored):
                status = 503  # the fault is on this side: the same form can be sent again later
        else:
            request.session[SESSION_RECEIPT] = {"reference": result.complaint.reference, "code": result.receipt_code,
                                                "event_hash": result.complaint.submission_event_hash}
            _remember(request, result.complaint)
            return redirect("intake:receipt")
    if not form.data.get("started"):
        # A fresh start time for a form that arrived without one, so the re-shown form can be sent.
        form.data = form.data.copy()  # type: ignore[attr-defined]
        form.data["started"] = form_started_token()  # type: ignore[index]
    return render(request, "intake/complaint_form.html", {"form": form, "files_dropped": bool(request.FILES)}, status=status)


def _remember(request: HttpRequest, complaint: Complaint) -> None:
    known = list(request.session.get(SESSION_COMPLAINTS, []))
    if str(complaint.public_id) not in known:
        known.append(str(complaint.public_id))
    request.session[SESSION_COMPLAINTS] = known[-10:]


@login_not_required
def receipt(request: HttpRequest) -> HttpResponse:
    """Shown once: the code is removed from the session as the page is rendered."""
    data = request.session.pop(SESSION_RECEIPT, None)
    if data is None:
        return render(request, "intake/receipt_gone.html", status=410)
    response = render(request, "intake/receipt.html", {"receipt": data})
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_lookup(reference=form.cleaned_data["reference"], code=form.cleaned_data["code"], ip=_ip(request))
        except DomainError as error:
            _field_error(form, error)
        else:
            request.session.cycle_key()
            _remember(request, complaint)
            return redirect("intake:status", public_id=complaint.public_id)
    return render(request, "intake/lookup.html", {"form": form}, status=400 if form.errors else 200)


def _own_complaint(request: HttpRequest, public_id: Any) -> Complaint:
    if str(public_id) not in request.session.get(SESSION_COMPLAINTS, []):
        raise Http404("Look the complaint up with its reference and receipt code first.")
    return Complaint.objects.select_related("case").get(public_id=public_id)


def _status_page(request: HttpRequest, complaint: Complaint, status: int = 200, **forms: Any) -> HttpResponse:
    context = {"complaint": complaint, "status": selectors.complaint_status(complaint),
               "message_form": forms.get("message_form") or MessageForm(), "evidence_form": forms.get("evidence_form") or EvidenceForm()}
    response = render(request, "intake/status.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_http_methods(["GET"])
def status(request: HttpRequest, public_id: Any) -> HttpResponse:
    try:
        complaint = _own_complaint(request, public_id)
    except Http404:
        messages.info(request, "Enter your reference and receipt code to see your complaint.")
        return redirect("intake:lookup")
    return _status_page(request, complaint)


@login_not_required
@require_http_methods(["POST"])
def status_message(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _own_complaint(request, public_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_message_send(complaint=complaint, text=form.cleaned_data["text"])
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, "Your message has been sent to the complaints team.")
            return redirect("intake:status", public_id=complaint.public_id)
    return _status_page(request, complaint, status=400, message_form=form)


@with_upload_limit
@require_http_methods(["POST"])
def status_evidence(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _own_complaint(request, public_id)
    form = EvidenceForm(request.POST, request.FILES, oversize=getattr(request, "oversize_files", []))
    if form.is_valid():
        try:
            services.complaint_evidence_add(complaint=complaint, files=form.cleaned_data["files"],
                                            pasted_text=form.cleaned_data["pasted_text"], links=form.cleaned_data["links"])
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, "Your evidence has been added to the complaint.")
            return redirect("intake:status", public_id=complaint.public_id)
    return _status_page(request, complaint, status=400, evidence_form=form)


def _link_or_refusal(request: HttpRequest, token: str) -> Any:
    try:
        return services.respondent_link_resolve(token)
    except LinkRefused as refused:
        return render(request, "intake/link_refused.html", {"reason": refused.message}, status=410 if "expired" in refused.message or "replaced" in refused.message else 404)


def _respond_page(request: HttpRequest, link: Any, status: int = 200, **forms: Any) -> HttpResponse:
    context = {"link": link, "pack": selectors.respondent_pack(link), "token": request.resolver_match.kwargs["token"],  # type: ignore[union-attr]
               "reply_form": forms.get("reply_form") or ReplyForm(), "move_form": forms.get("move_form") or MoveHearingForm()}
    response = render(request, "intake/respond.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@with_upload_limit
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    link = _link_or_refusal(request, token)
    if isinstance(link, HttpResponse):
        return link
    if request.method == "GET":
        selectors.respondent_pack_viewed(link)
        return _respond_page(request, link)
    form = ReplyForm(request.POST, request.FILES, oversize=getattr(request, "oversize_files", []))
    if form.is_valid():
        try:
            services.respondent_reply(link=link, text=form.cleaned_data["text"], files=form.cleaned_data["files"])
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, "Your reply has been received and added to the case.")
            return redirect(reverse("intake:respond", kwargs={"token": token}))
    return _respond_page(request, link, status=400, reply_form=form)


@login_not_required
@require_http_methods(["POST"])
def respond_move(request: HttpRequest, token: str) -> HttpResponse:
    link = _link_or_refusal(request, token)
    if isinstance(link, HttpResponse):
        return link
    form = MoveHearingForm(request.POST)
    if form.is_valid():
        try:
            services.respondent_hearing_move(link=link, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, "Your request to move the hearing has been sent.")
            return redirect(reverse("intake:respond", kwargs={"token": token}))
    return _respond_page(request, link, status=400, move_form=form)


@login_not_required
@require_http_methods(["GET"])
def respond_evidence(request: HttpRequest, token: str, public_id: Any) -> HttpResponseBase:
    link = _link_or_refusal(request, token)
    if isinstance(link, HttpResponse):
        return link
    item = selectors.respondent_file(link, public_id)
    if item is None:
        raise Http404("No such file in your evidence pack.")
    try:
        return evidence_file_response(item)
    except EvidenceUnavailable as error:
        messages.error(request, error.message)
        return redirect(reverse("intake:respond", kwargs={"token": token}))
