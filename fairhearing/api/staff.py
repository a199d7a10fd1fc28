"""Token-authenticated endpoints: cases, transitions, statistics, the platform check. Each one
calls the same permission helpers, selectors and services as the web pages."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fairhearing.accounts.permissions import visible_cases
from fairhearing.api.auth import require_scope
from fairhearing.api.models import Scope
from fairhearing.api.problems import ERRORS, NotFound
from fairhearing.api.schemas import (
    CaseDetailOut,
    CaseListOut,
    CheckIn,
    CheckOut,
    ReportOut,
    TransitionIn,
)
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case
from fairhearing.core.actors import Actor
from fairhearing.core.errors import MissingInformation

router = Router(tags=["staff"])
PAGE_SIZE = 50


def _case_row(case: Case) -> dict[str, Any]:
    from fairhearing.workflow.config import get_process

    return {"public_id": case.public_id, "reference": case.reference, "category": case.category, "stage": case.stage,
            "stage_label": get_process().stage(case.stage).label, "due_on": case.due_on, "paused": case.paused,
            "fast_tracked": case.fast_tracked, "closed": case.closed, "outcome": case.outcome, "opened_at": case.opened_at,
            "closed_at": case.closed_at}


def _case(request: HttpRequest, public_id: UUID) -> Case:
    try:
        return visible_cases(request.auth).get(public_id=public_id)  # type: ignore[attr-defined]
    except Case.DoesNotExist:
        raise NotFound("No case with that id, or you may not see it.") from None


def _detail(actor: Actor, case: Case) -> dict[str, Any]:
    from fairhearing.workflow.services import available_transitions

    return {**_case_row(case), "transitions": [
        {"key": t.key, "label": t.label, "requires": sorted(t.requires), "outcomes": list(t.outcomes)}
        for t in available_transitions(actor, case)]}


class Paging(Schema):
    page: int = 1
    open_only: bool = True


@router.get("/cases", response={200: CaseListOut, **ERRORS}, summary="Cases you may see")
def cases(request: HttpRequest, query: Query[Paging]) -> dict[str, Any]:
    actor = require_scope(request, Scope.CASES_READ)
    rows = visible_cases(request.auth).order_by("due_on", "opened_at")  # type: ignore[attr-defined]
    if query.open_only:
        rows = rows.filter(closed=False)
    if query.page < 1:
        raise MissingInformation("page starts at 1.", field="page")
    pages = Paginator(rows, PAGE_SIZE)
    page = pages.get_page(query.page)
    audit_record(actor=actor, action="case.listed", subject="api:cases", payload={"page": page.number, "cases": [c.reference for c in page]})
    return {"items": [_case_row(c) for c in page], "page": page.number, "pages": pages.num_pages, "total": pages.count}


@router.get("/cases/{public_id}", response={200: CaseDetailOut, **ERRORS}, summary="One case and the steps you may take")
def case_detail(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    actor = require_scope(request, Scope.CASES_READ)
    case = _case(request, public_id)
    audit_record(actor=actor, action="case.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference})
    return _detail(actor, case)


@router.post("/cases/{public_id}/transitions", response={200: CaseDetailOut, **ERRORS}, summary="Take a process step")
def case_transition(request: HttpRequest, public_id: UUID, payload: TransitionIn) -> dict[str, Any]:
    from fairhearing.conduct.models import Clause
    from fairhearing.conduct.selectors import version_in_force
    from fairhearing.workflow.services import case_transition as transition

    actor = require_scope(request, Scope.CASES_WRITE)
    case = _case(request, public_id)
    clause_ids: list[int] = []
    if payload.clauses:
        version = version_in_force(case.opened_at.date())
        found = dict(Clause.objects.filter(version=version, identifier__in=payload.clauses).values_list("identifier", "pk"))
        unknown = [c for c in payload.clauses if c not in found]
        if unknown:
            raise MissingInformation(f"Unknown clause(s) {', '.join(unknown)} in the code in force for this case.", field="clauses")
        clause_ids = list(found.values())
    case = transition(actor=actor, case=case, transition_key=payload.transition, reasons=payload.reasons,
                      clause_ids=clause_ids, outcome=payload.outcome)
    return _detail(actor, case)


class Period(Schema):
    start: date | None = Field(None, alias="from", description="First day, e.g. 2026-01-01")
    end: date | None = Field(None, alias="to", description="Last day, e.g. 2026-03-31")


@router.get("/reports", response={200: ReportOut, **ERRORS}, by_alias=True, summary="Statistics for a period (last full quarter by default)")
def report(request: HttpRequest, period: Query[Period]) -> dict[str, Any]:
    from fairhearing.core import clock
    from fairhearing.reports.statistics import build_report, previous_quarter

    require_scope(request, Scope.REPORTS_READ)
    if (period.start is None) != (period.end is None):
        raise MissingInformation("Give both 'from' and 'to', or neither for the last full quarter.", field="from")
    start, end = (period.start, period.end) if period.start and period.end else previous_quarter(clock.today())
    if end < start:
        raise MissingInformation(f"The period ends ({end}) before it starts ({start}).", field="to")
    built = build_report(start, end).as_dict()
    return {"from": start, "to": end, "tables": built["tables"], "stage_times": built["measures"]["stage_times"],
            "members": built["measures"]["members"], "complaints_per_1000_members": built["measures"]["complaints_per_1000_members"]}


@router.post("/platform-check", response={200: list[CheckOut], **ERRORS}, summary="Is any named speaker suspended or expelled?")
def platform_check(request: HttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    from fairhearing.registry.services import platform_check as check

    actor = require_scope(request, Scope.REGISTRY_CHECK)
    results = check(actor=actor, items=[(n.name, n.membership_number) for n in payload.names])
    return [{"name": r.query, "membership_number": r.membership_number, "verdict": str(r.verdict), "score": r.score} for r in results]
