"""Public endpoints: submit a complaint (with evidence files), follow it up, send a message
(with files), add evidence. The same intake services as the web forms; the receipt code travels
in the body, never in a URL. Each endpoint reads multipart/form-data, or the same fields as a
JSON object when there are no files."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, UploadedFile
from ninja.responses import Status

from fairhearing.api import ratelimit
from fairhearing.api.auth import client_address
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.schemas.public import (
    ComplaintIn,
    EvidenceIn,
    EvidenceOut,
    LookupIn,
    MessageIn,
    MessageSentOut,
    ReceiptOut,
    StatusOut,
)
from fairhearing.api.uploads import uploaded
from fairhearing.cases.models import Channel, Complaint
from fairhearing.core.errors import DomainError

router = Router(tags=["complaints"])

# The web form's fill-time heuristic does not apply to a program; the API's own per-address rate
# limit and the intake app's hourly limit do.
API_FILL_SECONDS = 3600.0

Files = File[list[UploadedFile]]


def _lookup(request: HttpRequest, reference: str, code: str) -> Complaint:
    from fairhearing.intake.services import complaint_lookup

    ratelimit.hit("lookup", client_address(request))
    try:
        return complaint_lookup(reference=reference, code=code, ip=client_address(request))
    except DomainError as error:
        raise NotFound(error.message) from None


def evidence_row(item: Any) -> dict[str, Any]:
    name = item.original_name if item.kind == "file" else (item.text if item.kind == "link" else "")
    return {"kind": item.kind, "name": name, "size": item.size, "sha256": item.sha256, "added_at": item.created_at}


@router.post("/complaints", response={201: ReceiptOut, **ERRORS}, auth=None, summary="Submit a complaint, with evidence files")
def submit(request: HttpRequest, payload: Form[ComplaintIn], files: Files = None) -> Status[dict[str, Any]]:  # type: ignore[assignment]
    """Up to 5 files (PDF, images, office documents or plain text, 10 MB each), checked by their
    content as on the web form. The complaint, its evidence and its audit event are stored together."""
    from fairhearing.intake.selectors import complaint_status
    from fairhearing.intake.services import ComplaintInput, complaint_submit

    ratelimit.hit("submit", client_address(request))
    data = ComplaintInput(**payload.dict(), files=uploaded(request, files))
    result = complaint_submit(data=data, ip=client_address(request), fill_seconds=API_FILL_SECONDS, channel=Channel.API)
    status = complaint_status(result.complaint)
    return Status(201, {"reference": result.complaint.reference, "receipt_code": result.receipt_code,
                        "stage": status.stage_label, "evidence": len(status.evidence)})


@router.post("/complaints/status", response={200: StatusOut, **ERRORS}, auth=None, summary="Follow up a complaint")
def follow_up(request: HttpRequest, payload: LookupIn) -> dict[str, object]:
    from fairhearing.intake.selectors import complaint_status

    complaint = _lookup(request, payload.reference, payload.receipt_code)
    status = complaint_status(complaint)
    return {"reference": complaint.reference, "stage": status.stage_label, "explanation": status.explanation,
            "next_deadline": status.due_on, "paused": status.paused, "closed": status.closed,
            "messages": [{"direction": m.direction, "sent_at": m.created_at, "text": m.text} for m in status.messages],
            "evidence": [evidence_row(e) for e in status.evidence]}


@router.post("/complaints/messages", response={201: MessageSentOut, **ERRORS}, auth=None,
             summary="Send a message about a complaint, with evidence files")
def message(request: HttpRequest, payload: Form[MessageIn], files: Files = None) -> Status[dict[str, object]]:  # type: ignore[assignment]
    """The message and its files are stored together, or neither is."""
    from fairhearing.intake.services import complaint_evidence_add, complaint_message_send

    complaint = _lookup(request, payload.reference, payload.receipt_code)
    uploads = uploaded(request, files)
    with transaction.atomic():
        sent = complaint_message_send(complaint=complaint, text=payload.text)
        added = complaint_evidence_add(complaint=complaint, files=uploads) if uploads else []
    return Status(201, {"direction": sent.direction, "sent_at": sent.created_at, "text": sent.text,
                        "evidence": [evidence_row(e) for e in added]})


@router.post("/complaints/evidence", response={201: list[EvidenceOut], **ERRORS}, auth=None,
             summary="Add evidence to a complaint: files, pasted text, links")
def evidence(request: HttpRequest, payload: Form[EvidenceIn], files: Files = None) -> Status[list[dict[str, Any]]]:  # type: ignore[assignment]
    from fairhearing.intake.services import complaint_evidence_add

    complaint = _lookup(request, payload.reference, payload.receipt_code)
    added = complaint_evidence_add(complaint=complaint, files=uploaded(request, files),
                                   pasted_text=payload.pasted_text, links=payload.links)
    return Status(201, [evidence_row(e) for e in added])
