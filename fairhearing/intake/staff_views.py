"""The caseworker's side of intake: new complaints, a complaint's messages, linking and the spam queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fairhearing.accounts.models import Role
from fairhearing.accounts.permissions import visible_cases
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case, Complaint
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.intake import selectors, services
from fairhearing.intake.forms import LinkForm, StaffReplyForm, UnlinkForm
from fairhearing.intake.models import ComplaintLink, Evidence, Message, SpamHold


def _complaint(request: HttpRequest, public_id: Any) -> Complaint:
    try:
        return Complaint.objects.select_related("case").get(public_id=public_id, case__in=visible_cases(request.user))  # type: ignore[arg-type]
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None


@require_GET
def complaints(request: HttpRequest) -> HttpResponse:
    rows = selectors.complaints_for_staff(visible_cases(request.user))[:100]  # type: ignore[arg-type]
    held = SpamHold.objects.filter(status=SpamHold.Status.PENDING).count() if request.user.role == Role.CASEWORKER else 0  # type: ignore[union-attr]
    return render(request, "intake/staff_complaints.html", {"rows": rows, "held": held})


@require_GET
def complaint_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _complaint(request, public_id)
    audit_record(actor=user_actor(request.user), action="complaint.viewed", subject=f"case:{complaint.case.public_id}",  # type: ignore[union-attr,arg-type]
                 payload={"complaint": complaint.reference})
    return render(request, "intake/staff_complaint.html", {
        "complaint": complaint, "messages_list": Message.objects.filter(complaint=complaint),
        "evidence": Evidence.objects.filter(complaint=complaint), "link": ComplaintLink.objects.filter(complaint=complaint, undone_at__isnull=True).first(),
        "reply_form": StaffReplyForm(), "unlink_form": UnlinkForm(), "link_form": LinkForm(),
    })


def _act(request: HttpRequest, complaint: Complaint, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    complaint.refresh_from_db()
    if complaint.case is not None and visible_cases(request.user).filter(pk=complaint.case.pk).exists():  # type: ignore[arg-type]
        return redirect("intake:staff_complaint", public_id=complaint.public_id)
    return redirect("intake:staff_complaints")


@require_POST
def complaint_reply(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _complaint(request, public_id)
    text = request.POST.get("text", "")
    return _act(request, complaint, lambda: services.complaint_reply(actor=user_actor(request.user), complaint=complaint, text=text),  # type: ignore[arg-type]
                "Your reply has been sent to the complainant.")


@require_POST
def complaint_unlink(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _complaint(request, public_id)
    reason = request.POST.get("reason", "")
    return _act(request, complaint, lambda: services.complaint_unlink(actor=user_actor(request.user), complaint=complaint, reason=reason),  # type: ignore[arg-type]
                "The complaint now has its own case.")


@require_POST
def complaint_link(request: HttpRequest, public_id: Any) -> HttpResponse:
    complaint = _complaint(request, public_id)
    reference = request.POST.get("case_reference", "").strip().upper()
    case = visible_cases(request.user).filter(reference=reference).first()  # type: ignore[arg-type]

    def act() -> Case:
        if case is None:
            raise DomainError(f"No open case {reference or '(blank)'} that you handle. Check the reference.")
        return services.complaint_link(actor=user_actor(request.user), complaint=complaint, case=case, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]

    return _act(request, complaint, act, "The complaint has been linked to that case.")


@require_GET
def spam_queue(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.CASEWORKER:  # type: ignore[union-attr]
        raise Http404("Only caseworkers review the spam queue.")
    holds = SpamHold.objects.filter(status=SpamHold.Status.PENDING).select_related("complaint")
    return render(request, "intake/spam_queue.html", {"holds": holds})


@require_POST
def spam_decide(request: HttpRequest, pk: int) -> HttpResponse:
    hold = SpamHold.objects.filter(pk=pk).first()
    if hold is None:
        raise Http404("No such held submission")
    try:
        services.spam_review(actor=user_actor(request.user), hold=hold, release=request.POST.get("decision") == "release",  # type: ignore[arg-type]
                             note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Recorded.")
    return redirect("intake:spam_queue")


@require_GET
def evidence_download(request: HttpRequest, public_id: Any) -> HttpResponseBase:
    """A stored evidence file, for staff who may see its case; every download is audited."""
    from django.db.models import Q

    from fairhearing.intake.files import EvidenceUnavailable, evidence_file_response

    cases = visible_cases(request.user)  # type: ignore[arg-type]
    item = (Evidence.objects.filter(public_id=public_id, kind=Evidence.Kind.FILE)
            .filter(Q(complaint__case__in=cases) | Q(case__in=cases)).select_related("complaint__case", "case").first())
    if item is None:
        raise Http404("No such evidence file")
    case = item.case or item.complaint.case  # type: ignore[union-attr]
    try:
        response = evidence_file_response(item)
    except EvidenceUnavailable as error:
        messages.error(request, error.message)
        return redirect("cases:detail", public_id=case.public_id)  # type: ignore[union-attr]
    audit_record(actor=user_actor(request.user), action="evidence.downloaded", subject=f"case:{case.public_id}",  # type: ignore[union-attr,arg-type]
                 payload={"evidence": str(item.public_id), "sha256": item.sha256})
    return response
