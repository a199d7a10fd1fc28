"""The decision workspace, as endpoints: panel draw, recusal (with its replacement draw), the
decision with a finding per allegation, independent review (and a later reviewer draw), the hearing (schedule, postpone,
outcome), the written decision, appeals; and a pool member's register of interests.

Each endpoint is the workspace action of the same name: it calls the same service, which checks
permission and writes the audit event; the answer says what happened, as the page does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.responses import Status

from fairhearing.api.auth import require_scope
from fairhearing.api.lookups import case_for, still_visible
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.schemas.decisions import (
    ActionOut,
    AppealDecisionIn,
    AppealIn,
    DecisionIn,
    InterestIn,
    InterestOut,
    PostponeIn,
    RecuseIn,
    ReviewIn,
    SanctionIn,
    ScheduleIn,
    WorkspaceOut,
)
from fairhearing.api.staff import case_row, clause_ids
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case
from fairhearing.core.actors import Actor
from fairhearing.core.errors import NotPermitted
from fairhearing.decisions import services

router = Router(tags=["decisions"])
PDF_RESPONSE = {"responses": {200: {"description": "The written decision (PDF)",
                                   "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


def workspace_data(case: Case) -> dict[str, Any]:
    """What the workspace page shows: panels and their members, the latest decision with its
    findings, the hearing and the appeals."""
    from fairhearing.decisions import selectors
    from fairhearing.decisions.models import Panel

    case.refresh_from_db()
    decision = selectors.latest_decision(case)
    hearing = selectors.case_hearing(case)
    return {
        "case": case_row(case),
        "panels": [{"public_id": p.public_id, "purpose": p.purpose, "size": p.size, "drawn_at": p.drawn_at, "ended_at": p.ended_at,
                    "members": [{"public_id": s.user.public_id, "name": str(s.user), "recused": s.recused_at is not None} for s in p.seats.all()]}
                   for p in Panel.objects.filter(case=case).prefetch_related("seats__user").order_by("drawn_at")],
        "decision": None if decision is None else {
            "public_id": decision.public_id, "body": decision.body, "outcome": decision.outcome, "status": decision.status,
            "term_months": decision.term_months, "education_required": decision.education_required, "reasons": decision.reasons,
            "recorded_at": decision.recorded_at, "determined_on": decision.determined_on, "issued_at": decision.issued_at,
            "findings": [{"allegation": f.allegation.public_id, "clause": f.clause.identifier, "code_version": f.clause.version.label,
                          "upheld": f.upheld, "text": f.text} for f in decision.findings.select_related("allegation", "clause__version")]},
        "hearing": None if hearing is None else {
            "public_id": hearing.public_id, "starts_at": hearing.starts_at, "original_starts_at": hearing.original_starts_at,
            "place": hearing.place, "video_link": hearing.video_link, "outcome": hearing.outcome, "held_at": hearing.held_at},
        "appeals": [{"public_id": a.public_id, "appellant": a.appellant, "grounds": a.grounds, "lodged_at": a.lodged_at,
                     "outcome": a.outcome, "substituted_outcome": a.substituted_outcome, "decided_at": a.decided_at}
                    for a in selectors.case_appeals(case)],
    }


def _act(request: HttpRequest, public_id: UUID, step: Callable[[Actor, Case], str]) -> dict[str, Any]:
    actor = require_scope(request, Scope.DECISIONS_WRITE)
    case = case_for(request, public_id)
    done = step(actor, case)
    return {"done": done, "case": case.public_id, "workspace": workspace_data(case) if still_visible(request, case) else None}


@router.get("/cases/{public_id}/workspace", response={200: WorkspaceOut, **ERRORS}, summary="The decision workspace of a case")
def workspace(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    actor = require_scope(request, Scope.CASES_READ)
    case = case_for(request, public_id)
    audit_record(actor=actor, action="panel.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference})
    return workspace_data(case)


@router.get("/cases/{public_id}/written-decision", response={**ERRORS}, openapi_extra=PDF_RESPONSE,
            summary="The written decision, as the PDF the parties receive")
def written_decision(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from fairhearing.decisions import selectors
    from fairhearing.decisions.letter import build_letter
    from fairhearing.decisions.models import Decision
    from fairhearing.decisions.pdf import render_decision_pdf

    actor = require_scope(request, Scope.CASES_READ)
    case = case_for(request, public_id)
    decision = selectors.issued_decision(case) or selectors.latest_decision(case)
    if decision is None or decision.status not in (Decision.Status.DETERMINED, Decision.Status.ISSUED):
        raise NotFound("No decision has been determined on this case.")
    audit_record(actor=actor, action="decision.viewed", subject=f"case:{case.public_id}", payload={"decision": str(decision.public_id)})
    appeal_by = case.due_on if case.stage == "appeal_window" else None
    response = HttpResponse(render_decision_pdf(build_letter(decision, appeal_by)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{case.reference}.pdf"'
    return response


@router.post("/cases/{public_id}/panel", response={200: ActionOut, **ERRORS}, summary="Draw the panel (decision or appeal), or fill its empty seats")
def draw(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.panel_draw(actor=actor, case=case)
        return "The panel has been drawn."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/panel/recusal", response={200: ActionOut, **ERRORS}, summary="Step down from the panel; a replacement is drawn")
def recuse(request: HttpRequest, public_id: UUID, payload: RecuseIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        replacement = services.panel_recuse(actor=actor, case=case, reason=payload.reason)
        return "You have stepped down; a replacement was drawn." if replacement else "You have stepped down; the caseworker must draw a replacement."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/decision", response={200: ActionOut, **ERRORS}, summary="Record the panel's decision, a finding per allegation")
def decide(request: HttpRequest, public_id: UUID, payload: DecisionIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        ids = clause_ids(case, [f.clause for f in payload.findings], field="findings")
        findings = [services.FindingInput(allegation=str(f.allegation), clause_id=pk, upheld=f.upheld, text=f.text)
                    for f, pk in zip(payload.findings, ids, strict=True)]
        services.decision_record(actor=actor, case=case, outcome=payload.outcome, findings=findings, reasons=payload.reasons,
                                 term_months=payload.term_months, band_departure_reason=payload.band_departure_reason)
        return "The decision is recorded."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/review", response={200: ActionOut, **ERRORS}, summary="Verify or veto the decision (independent review)")
def review(request: HttpRequest, public_id: UUID, payload: ReviewIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.review_record(actor=actor, case=case, verdict=payload.verdict, reasons=payload.reasons)
        return "Your review is recorded."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/review/reviewer", response={200: ActionOut, **ERRORS},
             summary="Draw an independent reviewer for a case awaiting review that has none")
def draw_reviewer(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.reviewer_draw(actor=actor, case=case)
        return "An independent reviewer has been drawn."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/hearing", response={200: ActionOut, **ERRORS}, summary="Schedule the hearing; the respondent is notified")
def schedule(request: HttpRequest, public_id: UUID, payload: ScheduleIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.hearing_schedule(actor=actor, case=case, starts_at=payload.starts_at, place=payload.place, video_link=payload.video_link)
        return "The hearing is scheduled and the respondent notified."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/hearing/postponement", response={200: ActionOut, **ERRORS}, summary="Move the hearing once, at the respondent's request")
def postpone(request: HttpRequest, public_id: UUID, payload: PostponeIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.hearing_postpone(actor=actor, case=case, starts_at=payload.starts_at, reason=payload.reason)
        return "The hearing is postponed and the respondent notified."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/hearing/outcome", response={200: ActionOut, **ERRORS}, summary="Record the hearing's outcome")
def hearing_outcome(request: HttpRequest, public_id: UUID, payload: SanctionIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.hearing_record_outcome(actor=actor, case=case, outcome=payload.outcome, reasons=payload.reasons,
                                        term_months=payload.term_months, band_departure_reason=payload.band_departure_reason)
        return "The hearing's outcome is recorded."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/decision/issue", response={200: ActionOut, **ERRORS}, summary="Issue the written decision to both parties")
def issue(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.decision_issue(actor=actor, case=case)
        return "The written decision has been issued to both parties."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/appeal", response={200: ActionOut, **ERRORS}, summary="Lodge an appeal for a party")
def appeal(request: HttpRequest, public_id: UUID, payload: AppealIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.appeal_lodge(actor=actor, case=case, grounds=payload.grounds, appellant=payload.appellant)
        return "The appeal is lodged. Draw an appeal panel next."

    return _act(request, public_id, step)


@router.post("/cases/{public_id}/appeal/decision", response={200: ActionOut, **ERRORS}, summary="Decide the appeal (appeal panel)")
def decide_appeal(request: HttpRequest, public_id: UUID, payload: AppealDecisionIn) -> dict[str, Any]:
    def step(actor: Actor, case: Case) -> str:
        services.appeal_decide(actor=actor, case=case, outcome=payload.outcome, reasons=payload.reasons,
                               substituted_outcome=payload.substituted_outcome, term_months=payload.term_months)
        return "The appeal is decided and the case closed."

    return _act(request, public_id, step)


def _pool_entry(request: HttpRequest) -> Any:
    from fairhearing.decisions.models import PoolMember

    entry = PoolMember.objects.filter(user=request.auth).first()  # type: ignore[attr-defined]
    if entry is None:
        raise NotPermitted("Only panel members and reviewers in the pool declare interests.")
    return entry


@router.get("/interests", response={200: list[InterestOut], **ERRORS}, summary="Your own register of interests")
def interests(request: HttpRequest) -> list[dict[str, Any]]:
    from fairhearing.decisions.models import Interest

    require_scope(request, Scope.DECISIONS_WRITE)
    entry = _pool_entry(request)
    return [{"kind": i.kind, "value": i.value, "declared_at": i.declared_at} for i in Interest.objects.filter(pool_member=entry)]


@router.post("/interests", response={201: InterestOut, **ERRORS}, summary="Declare an interest; it applies to every later draw")
def interest_declare(request: HttpRequest, payload: InterestIn) -> Status[dict[str, Any]]:
    actor = require_scope(request, Scope.DECISIONS_WRITE)
    made = services.interest_declare(actor=actor, kind=payload.kind, value=payload.value)
    return Status(201, {"kind": made.kind, "value": made.value, "declared_at": made.declared_at})
