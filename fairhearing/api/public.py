"""Public endpoints: submit a complaint, follow it up, send a message. The same intake services
as the web form; the receipt code travels in the body, never in a URL."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from fairhearing.api import ratelimit
from fairhearing.api.auth import client_address
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.schemas import (
    ComplaintIn,
    LookupIn,
    MessageIn,
    MessageOut,
    ReceiptOut,
    StatusOut,
)
from fairhearing.cases.models import Channel, Complaint
from fairhearing.core.errors import DomainError

router = Router(tags=["complaints"])

# The web form's fill-time heuristic does not apply to a program; the API's own per-address rate
# limit and the intake app's hourly limit do.
API_FILL_SECONDS = 3600.0


def _lookup(request: HttpRequest, reference: str, code: str) -> Complaint:
    from fairhearing.intake.services import complaint_lookup

    ratelimit.hit("lookup", client_address(request))
    try:
        return complaint_lookup(reference=reference, code=code, ip=client_address(request))
    except DomainError as error:
        raise NotFound(error.message) from None


@router.post("/complaints", response={201: ReceiptOut, **ERRORS}, auth=None, summary="Submit a complaint")
def submit(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, str]]:
    from fairhearing.intake.selectors import complaint_status
    from fairhearing.intake.services import ComplaintInput, complaint_submit

    ratelimit.hit("submit", client_address(request))
    result = complaint_submit(data=ComplaintInput(**payload.dict()), ip=client_address(request),
                              fill_seconds=API_FILL_SECONDS, channel=Channel.API)
    status = complaint_status(result.complaint)
    return Status(201, {"reference": result.complaint.reference, "receipt_code": result.receipt_code, "stage": status.stage_label})


@router.post("/complaints/status", response={200: StatusOut, **ERRORS}, auth=None, summary="Follow up a complaint")
def follow_up(request: HttpRequest, payload: LookupIn) -> dict[str, object]:
    from fairhearing.intake.selectors import complaint_status

    complaint = _lookup(request, payload.reference, payload.receipt_code)
    status = complaint_status(complaint)
    return {"reference": complaint.reference, "stage": status.stage_label, "explanation": status.explanation,
            "next_deadline": status.due_on, "paused": status.paused, "closed": status.closed,
            "messages": [{"direction": m.direction, "sent_at": m.created_at, "text": m.text} for m in status.messages]}


@router.post("/complaints/messages", response={201: MessageOut, **ERRORS}, auth=None, summary="Send a message about a complaint")
def message(request: HttpRequest, payload: MessageIn) -> Status[dict[str, object]]:
    from fairhearing.intake.services import complaint_message_send

    complaint = _lookup(request, payload.reference, payload.receipt_code)
    sent = complaint_message_send(complaint=complaint, text=payload.text)
    return Status(201, {"direction": sent.direction, "sent_at": sent.created_at, "text": sent.text})
