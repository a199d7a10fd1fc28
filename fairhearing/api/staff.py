"""Token-authenticated endpoints for cases: the list, recording a complaint, one case, process
steps; and statistics and the platform check. Each one calls the same permission helpers,
selectors and services as the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import can_manage_case, visible_cases
from fairhearing.api import ratelimit
from fairhearing.api.auth import client_address, require_scope
from fairhearing.api.lookups import case_for, user_of
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS
from fairhearing.api.schemas.cases import (
    CaseDetailOut,
    CaseListOut,
    CheckIn,
    CheckOut,
    RecordedOut,
    RecordIn,
    ReportOut,
    StatisticsOut,
    TransitionIn,
)
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case
from fairhearing.core.actors import Actor
from fairhearing.core.errors import MissingInformation

router = Router(tags=["cases"])
PAGE_SIZE = 50


def case_row(case: Case) -> dict[str, Any]:
    from fairhearing.workflow.config import get_process

    return {"public_id": case.public_id, "reference": case.reference, "category": case.category, "stage": case.stage,
            "stage_label": get_process().stage(case.stage).label, "due_on": case.due_on, "paused": case.paused,
            "fast_tracked": case.fast_tracked, "closed": case.closed, "outcome": case.outcome, "opened_at": case.opened_at,
            "closed_at": case.closed_at}


def _person(user: User) -> dict[str, Any]:
    return {"public_id": user.public_id, "name": str(user)}


def hold_row(hold: Any) -> dict[str, Any]:
    return {"public_id": hold.public_id, "case": hold.case.public_id, "reason": hold.reason, "placed_at": hold.placed_at,
            "lifted_at": hold.lifted_at}


def case_detail_data(actor: Actor, case: Case) -> dict[str, Any]:
    """What the case page shows this user: the case, the steps they may take, its parties,
    allegations, complaints, people, notes, pause and legal hold."""
    from fairhearing.privacy.services import active_hold
    from fairhearing.workflow.config import get_process
    from fairhearing.workflow.services import available_transitions

    assert actor.user is not None
    case.refresh_from_db()
    manage = can_manage_case(actor.user, case)
    pause = case.pauses.filter(ended_on__isnull=True).first()
    hold = active_hold(case)
    return {
        **case_row(case),
        "transitions": [{"key": t.key, "label": t.label, "requires": sorted(t.requires), "outcomes": list(t.outcomes)}
                        for t in available_transitions(actor, case)],
        "can_manage": manage,
        "pause_kinds": [p.key for p in get_process().pauses.values() if case.stage in p.stages] if manage else [],
        "pause": {"kind": pause.kind, "reason": pause.reason, "started_on": pause.started_on, "limit_on": pause.limit_on} if pause else None,
        "parties": [{"public_id": p.public_id, "kind": p.kind, "name": str(p), "anonymous": p.anonymous, "active": p.ended_at is None}
                    for p in case.parties.all()],
        "allegations": [{"public_id": a.public_id, "text": a.text, "conduct_date": a.conduct_date,
                         "clauses": [c.identifier for c in a.clauses.all()]} for a in case.allegations.prefetch_related("clauses")],
        "complaints": [{"public_id": c.public_id, "reference": c.reference, "received_at": c.received_at, "channel": c.channel}
                       for c in case.complaints.order_by("received_at")],
        "assignments": [{**_person(a.user), "role": a.role} for a in case.assignments.filter(active=True).select_related("user")],
        "notes": [{"author": str(n.author), "text": n.text, "created_at": n.created_at} for n in case.notes.select_related("author")],
        "legal_hold": hold_row(hold) if hold else None,
        "caseworkers": [_person(u) for u in User.objects.filter(role=Role.CASEWORKER, is_active=True).order_by("username")] if manage else [],
    }


class Paging(Schema):
    page: int = 1
    open_only: bool = True


@router.get("/cases", response={200: CaseListOut, **ERRORS}, summary="Cases you may see")
def cases(request: HttpRequest, query: Query[Paging]) -> dict[str, Any]:
    actor = require_scope(request, Scope.CASES_READ)
    rows = visible_cases(user_of(request)).order_by("due_on", "opened_at")
    if query.open_only:
        rows = rows.filter(closed=False)
    if query.page < 1:
        raise MissingInformation("page starts at 1.", field="page")
    pages = Paginator(rows, PAGE_SIZE)
    page = pages.get_page(query.page)
    audit_record(actor=actor, action="case.listed", subject="api:cases", payload={"page": page.number, "cases": [c.reference for c in page]})
    return {"items": [case_row(c) for c in page], "page": page.number, "pages": pages.num_pages, "total": pages.count}


@router.post("/cases", response={201: RecordedOut, **ERRORS}, summary="Record a complaint received by post, email, telephone or in person")
def record(request: HttpRequest, payload: RecordIn) -> Status[dict[str, Any]]:
    from fairhearing.cases.services import complaint_record

    actor = require_scope(request, Scope.CASES_WRITE)
    complaint = complaint_record(actor=actor, **payload.dict())
    case = complaint.case
    assert case is not None
    return Status(201, {"complaint": complaint.public_id, "complaint_reference": complaint.reference,
                        "case": case.public_id, "case_reference": case.reference})


@router.get("/cases/{public_id}", response={200: CaseDetailOut, **ERRORS}, summary="One case and the steps you may take")
def case_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    actor = require_scope(request, Scope.CASES_READ)
    case = case_for(request, public_id)
    audit_record(actor=actor, action="case.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference})
    return case_detail_data(actor, case)


@router.post("/cases/{public_id}/transitions", response={200: CaseDetailOut, **ERRORS}, summary="Take a process step")
def case_transition(request: HttpRequest, public_id: UUID, payload: TransitionIn) -> dict[str, Any]:
    from fairhearing.workflow.services import case_transition as transition

    actor = require_scope(request, Scope.CASES_WRITE)
    case = case_for(request, public_id)
    case = transition(actor=actor, case=case, transition_key=payload.transition, reasons=payload.reasons,
                      clause_ids=clause_ids(case, payload.clauses), outcome=payload.outcome)
    return case_detail_data(actor, case)


def clause_ids(case: Case, identifiers: list[str], field: str = "clauses") -> list[int]:
    """Clause identifiers to their ids in the code in force for the case, as the web forms offer them."""
    from fairhearing.conduct.models import Clause
    from fairhearing.conduct.selectors import version_in_force

    if not identifiers:
        return []
    version = version_in_force(case.opened_at.date())
    found = dict(Clause.objects.filter(version=version, identifier__in=identifiers).values_list("identifier", "pk"))
    unknown = [c for c in identifiers if c not in found]
    if unknown:
        raise MissingInformation(f"Unknown clause(s) {', '.join(unknown)} in the code in force for this case.", field=field)
    return [found[c] for c in identifiers]


class Period(Schema):
    start: date | None = Field(None, alias="from", description="First day, e.g. 2026-01-01")
    end: date | None = Field(None, alias="to", description="Last day, e.g. 2026-03-31")


def _report(period: Period) -> dict[str, Any]:
    from fairhearing.core import clock
    from fairhearing.reports.statistics import build_report, previous_quarter

    if (period.start is None) != (period.end is None):
        raise MissingInformation("Give both 'from' and 'to', or neither for the last full quarter.", field="from")
    start, end = (period.start, period.end) if period.start and period.end else previous_quarter(clock.today())
    if end < start:
        raise MissingInformation(f"The period ends ({end}) before it starts ({start}).", field="to")
    built = build_report(start, end).as_dict()
    return {"from": start, "to": end, "tables": built["tables"], "stage_times": built["measures"]["stage_times"],
            "members": built["measures"]["members"], "complaints_per_1000_members": built["measures"]["complaints_per_1000_members"]}


@router.get("/reports", response={200: ReportOut, **ERRORS}, by_alias=True, tags=["statistics"],
            summary="Statistics for a period (last full quarter by default)")
def report(request: HttpRequest, period: Query[Period]) -> dict[str, Any]:
    require_scope(request, Scope.REPORTS_READ)
    return _report(period)


@router.get("/statistics", response={200: StatisticsOut, **ERRORS}, by_alias=True, auth=None, tags=["statistics"],
            summary="The published statistics and decision summaries, as on the public page (no token needed)")
def statistics(request: HttpRequest, period: Query[Period]) -> dict[str, Any]:
    from fairhearing.reports.selectors import published_summaries

    ratelimit.hit("anonymous", client_address(request))
    return {**_report(period), "summaries": [{"category": s.category, "outcome": s.outcome, "text": s.text, "published_at": s.published_at}
                                             for s in published_summaries()]}


@router.post("/platform-check", response={200: list[CheckOut], **ERRORS}, tags=["registry"],
             summary="Is any named speaker suspended or expelled?")
def platform_check(request: HttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    from fairhearing.registry.services import platform_check as check

    actor = require_scope(request, Scope.REGISTRY_CHECK)
    results = check(actor=actor, items=[(n.name, n.membership_number) for n in payload.names])
    return [{"name": r.query, "membership_number": r.membership_number, "verdict": str(r.verdict), "score": r.score} for r in results]
