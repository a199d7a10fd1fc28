"""The caseworker's actions on a case page, as endpoints: pause, resume, fast-track, notes,
hand-over, screening suggestions, the published summary, and evidence files. Each calls the
service the page calls; the service checks permission and writes the audit event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from ninja import Router
from ninja.responses import Status

from fairhearing.accounts.models import User
from fairhearing.accounts.permissions import visible_cases
from fairhearing.api.auth import require_scope
from fairhearing.api.lookups import case_for, one, user_of
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS, Gone, NotFound, Problem
from fairhearing.api.schemas.cases import (
    AssignIn,
    AssignmentOut,
    CaseDetailOut,
    NoteIn,
    NoteOut,
    PauseIn,
    ReasonIn,
    ReasonsIn,
    ScreeningOut,
    SuggestionDecisionIn,
    SuggestionOut,
    SummaryIn,
    SummaryOut,
)
from fairhearing.api.staff import case_detail_data
from fairhearing.api.uploads import FILE_RESPONSE
from fairhearing.audit.services import audit_record
from fairhearing.core.errors import DomainError

router = Router(tags=["casework"])



@router.post("/cases/{public_id}/pause", response={200: CaseDetailOut, **ERRORS}, summary="Pause the stage clock while the case waits on a party")
def pause(request: HttpRequest, public_id: UUID, payload: PauseIn) -> dict[str, Any]:
    from fairhearing.workflow.services import case_pause

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    case_pause(actor=actor, case=case, pause_key=payload.kind, reason=payload.reason)
    return case_detail_data(actor, case)


@router.post("/cases/{public_id}/resume", response={200: CaseDetailOut, **ERRORS}, summary="Restart the stage clock")
def resume(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> dict[str, Any]:
    from fairhearing.workflow.services import case_resume

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    case_resume(actor=actor, case=case, reason=payload.reason)
    return case_detail_data(actor, case)


@router.post("/cases/{public_id}/fast-track", response={200: CaseDetailOut, **ERRORS}, summary="Put a clear case on the fast track")
def fast_track(request: HttpRequest, public_id: UUID, payload: ReasonsIn) -> dict[str, Any]:
    from fairhearing.workflow.services import case_fast_track

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    case_fast_track(actor=actor, case=case, reasons=payload.reasons)
    return case_detail_data(actor, case)


@router.post("/cases/{public_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a note to the case")
def note(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Status[dict[str, Any]]:
    from fairhearing.cases.services import case_add_note

    actor = require_scope(request, Scope.CASES_WRITE)
    added = case_add_note(actor=actor, case=case_for(request, public_id), text=payload.text)
    return Status(201, {"author": str(added.author), "text": added.text, "created_at": added.created_at})


@router.post("/cases/{public_id}/assignment", response={200: AssignmentOut, **ERRORS},
             summary="Hand the case to a caseworker (or take it from the intake pool)")
def assign(request: HttpRequest, public_id: UUID, payload: AssignIn) -> dict[str, Any]:
    from fairhearing.cases.services import case_assign

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    target = User.objects.filter(public_id=payload.user).first()
    if target is None:
        raise DomainError("No user has that public_id; choose one of the case's 'caseworkers'.", field="user")
    done = case_assign(actor=actor, case=case, user=target, role="caseworker")
    return {"public_id": target.public_id, "name": str(target), "role": done.role}


@router.get("/cases/{public_id}/suggestions", response={200: list[ScreeningOut], **ERRORS}, summary="Screening suggestions for a case")
def suggestions(request: HttpRequest, public_id: UUID) -> list[dict[str, Any]]:
    from fairhearing.suggestions.selectors import case_screening

    actor = require_scope(request, Scope.CASES_READ)
    case = case_for(request, public_id)
    runs = case_screening(case)
    audit_record(actor=actor, action="suggestion.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference, "runs": len(runs)})
    return [{"run": v.run.public_id, "label": v.label, "text": "".join(p.text for p in v.pieces), "state": v.run.state,
             "framing": v.run.framing, "duplicate": v.run.duplicate_of_id is not None,
             "suggestions": [_suggestion(r.suggestion, r.title) for r in v.rows]} for v in runs]


def _suggestion(s: Any, title: str) -> dict[str, Any]:
    return {"public_id": s.public_id, "clause": s.clause_identifier, "title": title, "confidence": s.confidence, "status": s.status,
            "triggers": list(s.triggers), "note": s.note, "decided_at": s.decided_at}


@router.post("/suggestions/{public_id}/decision", response={200: SuggestionOut, **ERRORS}, summary="Accept or reject a screening suggestion")
def suggestion_decide(request: HttpRequest, public_id: UUID, payload: SuggestionDecisionIn) -> dict[str, Any]:
    from fairhearing.suggestions.models import Suggestion
    from fairhearing.suggestions.services import suggestion_decide as decide

    actor = require_scope(request, Scope.CASES_WRITE)
    found = Suggestion.objects.select_related("run__case").filter(
        public_id=public_id, run__case__in=visible_cases(user_of(request))).first()
    if found is None:
        raise NotFound("No suggestion with that id on a case you may see.")
    done = decide(actor=actor, suggestion=found, accept=payload.decision == "accept", note=payload.note)
    return _suggestion(done, "")


@router.post("/cases/{public_id}/summary", response={201: SummaryOut, **ERRORS}, summary="Publish the anonymised summary of a closed case")
def summary(request: HttpRequest, public_id: UUID, payload: SummaryIn) -> Status[dict[str, Any]]:
    from fairhearing.reports.services import summary_publish

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    done = summary_publish(actor=actor, case=case, text=payload.text)
    return Status(201, {"public_id": done.public_id, "case": case.public_id, "category": done.category, "outcome": done.outcome,
                        "text": done.text, "published_at": done.published_at})


@router.get("/evidence/{public_id}", response={**ERRORS, 410: Problem}, openapi_extra=FILE_RESPONSE, summary="Download an evidence file (audited)")
def evidence_file(request: HttpRequest, public_id: UUID) -> FileResponse:
    from fairhearing.intake.files import EvidenceUnavailable, evidence_file_response
    from fairhearing.intake.models import Evidence

    actor = require_scope(request, Scope.CASES_READ)
    cases = visible_cases(user_of(request))
    item: Any = one(Evidence.objects.filter(kind=Evidence.Kind.FILE).filter(Q(complaint__case__in=cases) | Q(case__in=cases))
                    .select_related("complaint__case", "case"), "evidence file", public_id=public_id)
    case = item.case or item.complaint.case
    try:
        response = evidence_file_response(item)
    except EvidenceUnavailable as error:
        raise Gone(error.message) from error
    audit_record(actor=actor, action="evidence.downloaded", subject=f"case:{case.public_id}",
                 payload={"evidence": str(item.public_id), "sha256": item.sha256})
    return response
