"""The respondent's link, as endpoints: read the allegations and evidence pack, reply (with
files), ask once to move a hearing, fetch a file of the pack. The same intake services and
selectors as the respond page; the link's token travels in the body, never in a URL."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, UploadedFile
from ninja.responses import Status

from fairhearing.api import ratelimit
from fairhearing.api.auth import client_address
from fairhearing.api.problems import LINK_ERRORS, Gone, NotFound
from fairhearing.api.schemas.public import (
    LinkIn,
    MoveIn,
    MoveOut,
    PackFileIn,
    PackOut,
    ReplyIn,
    ReplyOut,
)
from fairhearing.api.uploads import FILE_RESPONSE, uploaded
from fairhearing.core import clock
from fairhearing.intake.models import RespondentLink

router = Router(tags=["respondent"])



def _link(request: HttpRequest, token: str) -> RespondentLink:
    """The live link, as the respond page resolves it: unknown is 404, expired or replaced is 410."""
    from fairhearing.intake.respondent import LinkRefused
    from fairhearing.intake.services import respondent_link_resolve

    ratelimit.hit("lookup", client_address(request))
    try:
        return respondent_link_resolve(token)
    except LinkRefused as refused:
        if "expired" in refused.message or "replaced" in refused.message:
            raise Gone(refused.message) from None
        raise NotFound(refused.message) from None


@router.post("/respondent/pack", response={200: PackOut, **LINK_ERRORS}, auth=None, summary="Read the allegations and evidence pack")
def pack(request: HttpRequest, payload: LinkIn) -> dict[str, Any]:
    from fairhearing.intake.selectors import respondent_pack, respondent_pack_viewed

    link = _link(request, payload.token)
    respondent_pack_viewed(link)
    found = respondent_pack(link)
    return {
        "case_reference": found.case.reference, "reply_due_on": found.reply_due_on, "link_expires_at": link.expires_at,
        "allegations": [{"text": a.text, "conduct_date": a.conduct_date,
                         "clauses": [{"identifier": c.identifier, "title": c.title} for c in a.clauses.all()]} for a in found.allegations],
        "evidence": [{"public_id": i.evidence.public_id, "kind": i.evidence.kind, "text": i.text, "redacted": i.redacted,
                      "name": "" if i.redacted else i.evidence.original_name, "size": 0 if i.redacted else i.evidence.size,
                      "content_type": "" if i.redacted else i.evidence.content_type} for i in found.evidence],
        "replies": [{"sent_at": r.created_at, "text": r.text} for r in found.replies],
        "hearing_move_requested": found.hearing_move_requested,
    }


@router.post("/respondent/pack/file", response={**LINK_ERRORS}, auth=None, openapi_extra=FILE_RESPONSE, summary="Fetch a file of the pack")
def pack_file(request: HttpRequest, payload: PackFileIn) -> FileResponse:
    from fairhearing.intake.files import EvidenceUnavailable, evidence_file_response
    from fairhearing.intake.selectors import respondent_file

    link = _link(request, payload.token)
    item = respondent_file(link, payload.evidence)
    if item is None:
        raise NotFound("No such file in your evidence pack.")
    try:
        return evidence_file_response(item)
    except EvidenceUnavailable as error:
        raise Gone(error.message) from error


@router.post("/respondent/replies", response={201: ReplyOut, **LINK_ERRORS}, auth=None, summary="Reply to the allegations, with files")
def reply(request: HttpRequest, payload: Form[ReplyIn], files: File[list[UploadedFile]] = None) -> Status[dict[str, Any]]:  # type: ignore[assignment]
    from fairhearing.intake.services import respondent_reply

    link = _link(request, payload.token)
    uploads = uploaded(request, files)
    sent = respondent_reply(link=link, text=payload.text, files=uploads)
    return Status(201, {"case_reference": link.case.reference, "sent_at": sent.created_at, "files": len(uploads),
                        "late": clock.today() > link.reply_due_on})


@router.post("/respondent/hearing-move", response={201: MoveOut, **LINK_ERRORS}, auth=None, summary="Ask once to move a hearing")
def hearing_move(request: HttpRequest, payload: MoveIn) -> Status[dict[str, Any]]:
    from fairhearing.intake.services import respondent_hearing_move

    link = _link(request, payload.token)
    made = respondent_hearing_move(link=link, reason=payload.reason)
    return Status(201, {"case_reference": link.case.reference, "requested_at": made.created_at})
