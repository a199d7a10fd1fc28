"""Data-subject requests (the one-month queue, completion, the access export) and legal holds,
as endpoints. The same privacy services as the overseer's pages; each export is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status

from fairhearing.accounts.permissions import require_overseer, visible_cases
from fairhearing.api.auth import require_scope
from fairhearing.api.lookups import case_for, one, user_of
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS
from fairhearing.api.schemas.cases import HoldOut
from fairhearing.api.schemas.oversight import (
    CompleteIn,
    HoldIn,
    SubjectRequestIn,
    SubjectRequestOut,
)
from fairhearing.api.staff import hold_row
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.privacy.models import LegalHold, SubjectRequest

router = Router(tags=["privacy"])
ZIP_RESPONSE = {"responses": {200: {"description": "The export: a watermarked ZIP of JSON and files",
                                    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}}


def _row(item: SubjectRequest) -> dict[str, Any]:
    return {"public_id": item.public_id, "kind": item.kind, "subject_name": item.subject_name, "subject_email": item.subject_email,
            "membership_number": item.membership_number, "details": item.details, "received_on": item.received_on,
            "due_on": item.due_on, "days_left": (item.due_on - clock.today()).days, "status": item.status, "outcome": item.outcome,
            "completed_at": item.completed_at}


def _request(actor: Actor, public_id: UUID) -> SubjectRequest:
    # The queue is the overseer's, as on the web pages; the services check again.
    require_overseer(actor)
    return one(SubjectRequest.objects.all(), "data-subject request", public_id=public_id)  # type: ignore[return-value]


class QueueQuery(Schema):
    all: bool = False


@router.get("/privacy/requests", response={200: list[SubjectRequestOut], **ERRORS}, summary="The data-subject request queue (open by default)")
def queue(request: HttpRequest, query: Query[QueueQuery]) -> list[dict[str, Any]]:
    from fairhearing.privacy.selectors import request_queue

    require_overseer(require_scope(request, Scope.PRIVACY_READ))
    return [_row(r) for r in request_queue(open_only=not query.all)]


@router.post("/privacy/requests", response={201: SubjectRequestOut, **ERRORS}, summary="Record an access, erasure or rectification request")
def record(request: HttpRequest, payload: SubjectRequestIn) -> Status[dict[str, Any]]:
    from fairhearing.privacy.services import subject_request_record

    actor = require_scope(request, Scope.PRIVACY_WRITE)
    return Status(201, _row(subject_request_record(actor=actor, **payload.dict())))


@router.get("/privacy/requests/{public_id}", response={200: SubjectRequestOut, **ERRORS}, summary="One data-subject request")
def detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _row(_request(require_scope(request, Scope.PRIVACY_READ), public_id))


@router.post("/privacy/requests/{public_id}/completion", response={200: SubjectRequestOut, **ERRORS},
             summary="Close a request with what was done (an erasure anonymises the person's closed cases)")
def complete(request: HttpRequest, public_id: UUID, payload: CompleteIn) -> dict[str, Any]:
    from fairhearing.privacy.services import subject_request_complete

    actor = require_scope(request, Scope.PRIVACY_WRITE)
    item = _request(actor, public_id)
    return _row(subject_request_complete(actor=actor, request=item, outcome=payload.outcome, refused=payload.refused))


@router.post("/privacy/requests/{public_id}/export", response={**ERRORS}, openapi_extra=ZIP_RESPONSE,
             summary="Export everything about the person (access requests), watermarked and audited")
def export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from fairhearing.privacy.export import subject_access_export

    actor = require_scope(request, Scope.PRIVACY_WRITE)
    name, data = subject_access_export(actor=actor, request=_request(actor, public_id))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/cases/{public_id}/legal-hold", response={201: HoldOut, **ERRORS}, summary="Place a legal hold: retention leaves the case alone")
def hold_place(request: HttpRequest, public_id: UUID, payload: HoldIn) -> Status[dict[str, Any]]:
    from fairhearing.privacy.services import legal_hold_place

    actor = require_scope(request, Scope.PRIVACY_WRITE)
    return Status(201, hold_row(legal_hold_place(actor=actor, case=case_for(request, public_id), reason=payload.reason)))


@router.post("/legal-holds/{public_id}/lift", response={200: HoldOut, **ERRORS}, summary="Lift a legal hold")
def hold_lift(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    from fairhearing.privacy.services import legal_hold_lift

    actor = require_scope(request, Scope.PRIVACY_WRITE)
    hold: Any = one(LegalHold.objects.select_related("case").filter(case__in=visible_cases(user_of(request))), "legal hold", public_id=public_id)
    return hold_row(legal_hold_lift(actor=actor, hold=hold))
