"""Oversight actions, as endpoints: record an outside contact about a case, take or end
break-glass access, verify the audit log. The same services as the audit pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from fairhearing.accounts.permissions import require_overseer
from fairhearing.api.auth import require_scope
from fairhearing.api.lookups import case_for, one
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.schemas.oversight import (
    BreakGlassIn,
    ContactIn,
    ContactOut,
    GrantOut,
    VerificationOut,
)
from fairhearing.cases.models import Case

router = Router(tags=["oversight"])


def _grant(grant: Any) -> dict[str, Any]:
    return {"public_id": grant.public_id, "case": grant.case.public_id, "case_reference": grant.case.reference,
            "granted_at": grant.granted_at, "expires_at": grant.expires_at, "ended_at": grant.ended_at}


@router.post("/cases/{public_id}/contacts", response={201: ContactOut, **ERRORS}, summary="Record an outside contact about the case")
def contact(request: HttpRequest, public_id: UUID, payload: ContactIn) -> Status[dict[str, Any]]:
    from fairhearing.audit.contacts import external_contact_record

    actor = require_scope(request, Scope.AUDIT_WRITE)
    case = case_for(request, public_id)
    made = external_contact_record(actor=actor, case=case, **payload.dict())
    return Status(201, {"public_id": made.public_id, "case": case.public_id, "recorded_at": made.recorded_at})


@router.post("/break-glass", response={201: GrantOut, **ERRORS}, summary="Take time-limited, reasoned sight of an unassigned case")
def break_glass(request: HttpRequest, payload: BreakGlassIn) -> Status[dict[str, Any]]:
    from fairhearing.audit.services import break_glass_grant

    actor = require_scope(request, Scope.AUDIT_WRITE)
    # Any case by its reference, as on the break-glass page: the point is a case one cannot see.
    case = Case.objects.filter(reference=payload.reference.strip().upper()).first()
    if case is None:
        raise NotFound("No case has that reference; check it and try again.")
    grant = break_glass_grant(actor=actor, case=case, reason=payload.reason, hours=payload.hours)
    return Status(201, _grant(grant))


@router.post("/break-glass/{public_id}/end", response={200: GrantOut, **ERRORS}, summary="End break-glass access early")
def break_glass_end(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    from fairhearing.audit.models import BreakGlassGrant
    from fairhearing.audit.services import break_glass_end as end

    actor = require_scope(request, Scope.AUDIT_WRITE)
    grant: Any = one(BreakGlassGrant.objects.select_related("case"), "break-glass grant", public_id=public_id)
    return _grant(end(actor=actor, grant=grant))


@router.post("/audit/verify", response={200: VerificationOut, **ERRORS}, summary="Verify the audit log now (overseer)")
def verify(request: HttpRequest) -> dict[str, Any]:
    from fairhearing.audit.services import audit_verify

    actor = require_scope(request, Scope.AUDIT_WRITE)
    # The verify page is the overseer's; audit_verify itself also serves the command, so the
    # page's check is made here, with the same permission helper.
    require_overseer(actor)
    outcome = audit_verify(actor=actor)
    report = outcome.report
    return {"ok": report.ok, "message": report.message, "events_checked": report.events_checked,
            "checkpoints_checked": report.checkpoints_checked, "first_bad_seq": report.first_bad_seq,
            "damage": str(report.damage or ""), "signatures_checked": outcome.signatures_checked, "note": outcome.note}
