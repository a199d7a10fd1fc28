"""The caseworker's side of intake, as endpoints: complaints on visible cases, replies to the
complainant, linking and unlinking, and the spam queue. Same services as the intake staff pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from fairhearing.accounts.models import Role
from fairhearing.accounts.permissions import visible_cases
from fairhearing.api.auth import require_scope
from fairhearing.api.lookups import complaint_for, user_of
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.public import evidence_row
from fairhearing.api.schemas.cases import (
    ComplaintCaseOut,
    LinkCaseIn,
    ReasonIn,
    SpamIn,
    SpamOut,
    StaffComplaintDetailOut,
    StaffComplaintOut,
    TextIn,
)
from fairhearing.api.schemas.public import MessageOut
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Complaint
from fairhearing.core.errors import DomainError, NotPermitted

router = Router(tags=["intake"])
LIST_SIZE = 100


def _row(complaint: Complaint) -> dict[str, Any]:
    case = complaint.case
    return {"public_id": complaint.public_id, "reference": complaint.reference, "received_at": complaint.received_at,
            "channel": complaint.channel, "case": case.public_id if case else None, "case_reference": case.reference if case else None,
            "category": complaint.category, "anonymous": complaint.anonymous, "complainant_name": complaint.complainant_name,
            "respondent_name": complaint.respondent_name}


def _moved(complaint: Complaint) -> dict[str, Any]:
    complaint.refresh_from_db()
    case = complaint.case
    assert case is not None
    return {"complaint": complaint.public_id, "complaint_reference": complaint.reference, "case": case.public_id, "case_reference": case.reference}


@router.get("/intake/complaints", response={200: list[StaffComplaintOut], **ERRORS}, summary="Complaints on the cases you may see, newest first")
def complaints(request: HttpRequest) -> list[dict[str, Any]]:
    from fairhearing.intake.selectors import complaints_for_staff

    require_scope(request, Scope.CASES_READ)
    return [_row(c) for c in complaints_for_staff(visible_cases(user_of(request)))[:LIST_SIZE]]


@router.get("/intake/complaints/{public_id}", response={200: StaffComplaintDetailOut, **ERRORS}, summary="One complaint, its messages and evidence")
def complaint_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    from fairhearing.intake.models import ComplaintLink, Evidence, Message

    actor = require_scope(request, Scope.CASES_READ)
    complaint = complaint_for(request, public_id)
    audit_record(actor=actor, action="complaint.viewed", subject=f"case:{complaint.case.public_id}",  # type: ignore[union-attr]
                 payload={"complaint": complaint.reference})
    evidence = list(Evidence.objects.filter(complaint=complaint))
    link = ComplaintLink.objects.filter(complaint=complaint, undone_at__isnull=True).first()
    return {**_row(complaint), "account": complaint.account,
            "messages": [{"direction": m.direction, "sent_at": m.created_at, "text": m.text} for m in Message.objects.filter(complaint=complaint)],
            "evidence": [evidence_row(e) for e in evidence],
            "evidence_files": [e.public_id for e in evidence if e.kind == Evidence.Kind.FILE],
            "linked_on": link.matched_on if link else None}


@router.post("/intake/complaints/{public_id}/reply", response={201: MessageOut, **ERRORS}, summary="Write to the complainant")
def reply(request: HttpRequest, public_id: UUID, payload: TextIn) -> Status[dict[str, Any]]:
    from fairhearing.intake.services import complaint_reply

    actor = require_scope(request, Scope.CASES_WRITE)
    sent = complaint_reply(actor=actor, complaint=complaint_for(request, public_id), text=payload.text)
    return Status(201, {"direction": sent.direction, "sent_at": sent.created_at, "text": sent.text})


@router.post("/intake/complaints/{public_id}/unlink", response={200: ComplaintCaseOut, **ERRORS}, summary="Give a linked complaint its own case")
def unlink(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> dict[str, Any]:
    from fairhearing.intake.services import complaint_unlink

    actor = require_scope(request, Scope.CASES_WRITE)
    complaint = complaint_for(request, public_id)
    complaint_unlink(actor=actor, complaint=complaint, reason=payload.reason)
    return _moved(complaint)


@router.post("/intake/complaints/{public_id}/link", response={200: ComplaintCaseOut, **ERRORS},
             summary="Join a complaint to another open case you handle")
def link(request: HttpRequest, public_id: UUID, payload: LinkCaseIn) -> dict[str, Any]:
    from fairhearing.intake.services import complaint_link

    actor = require_scope(request, Scope.CASES_WRITE)
    complaint = complaint_for(request, public_id)
    reference = payload.case_reference.strip().upper()
    case = visible_cases(user_of(request)).filter(reference=reference).first()
    if case is None:
        raise DomainError(f"No open case {reference} that you handle. Check the reference.", field="case_reference")
    complaint_link(actor=actor, complaint=complaint, case=case, reason=payload.reason)
    return _moved(complaint)


def _spam(hold: Any) -> dict[str, Any]:
    complaint = hold.complaint
    complaint.refresh_from_db()
    return {"complaint": complaint.public_id, "complaint_reference": complaint.reference, "held_at": hold.held_at,
            "reasons": list(hold.reasons), "status": hold.status, "case": complaint.case.public_id if complaint.case else None}


@router.get("/intake/spam", response={200: list[SpamOut], **ERRORS}, summary="Submissions held as possible spam")
def spam_queue(request: HttpRequest) -> list[dict[str, Any]]:
    from fairhearing.intake.models import SpamHold

    require_scope(request, Scope.CASES_READ)
    if user_of(request).role != Role.CASEWORKER:
        raise NotPermitted("Only caseworkers review the spam queue.")
    return [_spam(h) for h in SpamHold.objects.filter(status=SpamHold.Status.PENDING).select_related("complaint")]


@router.post("/intake/spam/{complaint}", response={200: SpamOut, **ERRORS}, summary="Release a held submission, or confirm it as spam")
def spam_decide(request: HttpRequest, complaint: UUID, payload: SpamIn) -> dict[str, Any]:
    from fairhearing.intake.models import SpamHold
    from fairhearing.intake.services import spam_review

    actor = require_scope(request, Scope.CASES_WRITE)
    hold = SpamHold.objects.select_related("complaint").filter(complaint__public_id=complaint).first()
    if hold is None:
        raise NotFound("No held submission for that complaint.")
    done = spam_review(actor=actor, hold=hold, release=payload.decision == "release", note=payload.note)
    return _spam(done)
