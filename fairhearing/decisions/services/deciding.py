"""A panel records its decision: findings per allegation, outcome, sanction and reasons. The case
then moves on through the process: to review, to a hearing, or to the written decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Allegation, Case
from fairhearing.conduct.models import Clause, CodeVersion
from fairhearing.core import clock
from fairhearing.core.actors import Actor, system_actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions.catalogue import NO_CASE, PANEL_OUTCOMES, Catalogue, get_catalogue
from fairhearing.decisions.models import Decision, Finding, Panel, Seat
from fairhearing.decisions.services.panels import MIN_REASON_LENGTH, draw_reviewer, subject
from fairhearing.workflow.config import get_process
from fairhearing.workflow.services import case_transition


@dataclass(frozen=True)
class FindingInput:
    """The panel's finding on one allegation (by the allegation's public id)."""

    allegation: str
    clause_id: int
    upheld: bool
    text: str


def current_seat(actor: Actor, case: Case, purpose: str) -> Seat:
    """The actor's seat on the case's current panel of ``purpose``; NotPermitted otherwise."""
    seat = (
        Seat.objects.select_related("panel")
        .filter(panel__case=case, panel__purpose=purpose, panel__ended_at__isnull=True, user=actor.user, recused_at__isnull=True)
        .first()
        if actor.user is not None
        else None
    )
    if seat is None:
        raise NotPermitted("Only a member sitting on this case's current panel can record its decision.")
    return seat


def require_full(panel: Panel) -> None:
    seated = panel.seats.filter(recused_at__isnull=True).count()
    if seated < panel.size:
        raise DomainError(f"The panel has {seated} of {panel.size} members; the caseworker must draw the empty seat first.")


def check_reasons(reasons: str) -> str:
    if len(reasons.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(f"Write the reasons for the decision (at least {MIN_REASON_LENGTH} characters).", field="reasons")
    return reasons.strip()


def check_sanction(catalogue: Catalogue, outcome: str, term_months: int | None) -> int | None:
    """Validate the term against the catalogue; returns the term to store."""
    if outcome == NO_CASE:
        if term_months:
            raise MissingInformation("'No case to answer' takes no term.", field="term_months")
        return None
    sanction = catalogue.sanction(outcome)
    if sanction.needs_term:
        if term_months is None or not sanction.min_months <= term_months <= sanction.max_months:  # type: ignore[operator]
            raise MissingInformation(
                f"{sanction.label} needs a term of {sanction.min_months} to {sanction.max_months} months.", field="term_months"
            )
        return term_months
    if term_months:
        raise MissingInformation(f"{sanction.label} takes no term.", field="term_months")
    return None


def check_band(catalogue: Catalogue, outcome: str, upheld: list[str], departure_reason: str) -> list[dict[str, str]]:
    """Departures from the sanctions guidance; raises unless a reason for departing is given."""
    if outcome == NO_CASE or not upheld:
        return []
    departures = [
        {"clause": clause, "lowest": band.lowest, "highest": band.highest}
        for clause, band in catalogue.departures(outcome, upheld)
    ]
    if departures and len(departure_reason.strip()) < MIN_REASON_LENGTH:
        described = "; ".join(f"{d['clause']}: {d['lowest']} to {d['highest']}".replace("_", " ") for d in departures)
        raise MissingInformation(
            f"The sanction is outside the guidance ({described}). Record why the panel departs from it.",
            field="band_departure_reason",
        )
    return departures


def build_findings(case: Case, findings: list[FindingInput]) -> list[tuple[Allegation, Clause, FindingInput]]:
    """Match inputs to the case's allegations: exactly one finding per allegation, with an
    adopted clause and written findings."""
    allegations = {str(a.public_id): a for a in case.allegations.all()}
    seen: set[str] = set()
    out = []
    for item in findings:
        allegation = allegations.get(item.allegation)
        if allegation is None:
            raise MissingInformation("A finding names an allegation that is not part of this case.", field="findings")
        if item.allegation in seen:
            raise MissingInformation("Give one finding per allegation.", field="findings")
        seen.add(item.allegation)
        clause = Clause.objects.select_related("version").filter(pk=item.clause_id, version__status=CodeVersion.Status.ADOPTED).first()
        if clause is None:
            raise MissingInformation("Each finding must cite a clause of an adopted code of conduct.", field="findings")
        if len(item.text.strip()) < MIN_REASON_LENGTH:
            raise MissingInformation(f"Write the findings on each allegation (at least {MIN_REASON_LENGTH} characters).", field="findings")
        out.append((allegation, clause, item))
    missing = set(allegations) - seen
    if missing:
        raise MissingInformation(f"{len(missing)} allegation(s) have no finding; record upheld or not for every allegation.", field="findings")
    return out


def finding_payload(decision: Decision) -> list[dict[str, object]]:
    return [
        {"allegation": str(f.allegation.public_id), "clause": f.clause.identifier, "code_version": f.clause.version.label, "upheld": f.upheld}
        for f in decision.findings.select_related("clause__version", "allegation")
    ]


@transaction.atomic
def decision_record(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    findings: list[FindingInput],
    reasons: str,
    term_months: int | None = None,
    band_departure_reason: str = "",
) -> Decision:
    """Record the panel's decision and move the case on: a referral for expulsion goes to a
    hearing; a case in a review category goes to independent review (a reviewer is drawn when
    one is eligible); any other goes to the written decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != "decision":
        raise DomainError("A panel decision is recorded while the case is at 'Panel decision'.")
    seat = current_seat(actor, case, Panel.Purpose.DECISION)
    require_full(seat.panel)
    catalogue = get_catalogue()
    if outcome not in PANEL_OUTCOMES:
        raise MissingInformation(f"Choose an outcome: {', '.join(PANEL_OUTCOMES)}.", field="outcome")
    text = check_reasons(reasons)
    rows = build_findings(case, findings)
    upheld = [clause.identifier for _, clause, item in rows if item.upheld]
    if upheld and outcome == NO_CASE:
        raise MissingInformation("An allegation is upheld, so choose a sanction rather than 'no case to answer'.", field="outcome")
    if not upheld and outcome != NO_CASE:
        raise MissingInformation("No allegation is upheld, so the outcome can only be 'no case to answer'.", field="outcome")
    term = check_sanction(catalogue, outcome, term_months)
    departures = check_band(catalogue, outcome, upheld, band_departure_reason)
    review = case.category in get_process().review_categories
    if outcome == "referral_for_expulsion":
        status, transition = Decision.Status.REFERRED, "refer_to_hearing"
    elif review:
        status, transition = Decision.Status.AWAITING_REVIEW, "send_for_review"
    else:
        status, transition = Decision.Status.DETERMINED, "determine"
    assert actor.user is not None
    decision = Decision.objects.create(
        case=case,
        panel=seat.panel,
        recorded_by=actor.user,
        outcome=outcome,
        term_months=term,
        education_required=catalogue.education_required(upheld),
        reasons=text,
        band_departure_reason=band_departure_reason.strip() if departures else "",
        status=status,
        recorded_at=clock.now(),
        determined_on=clock.today() if status == Decision.Status.DETERMINED else None,
    )
    for allegation, clause, item in rows:
        Finding.objects.create(decision=decision, allegation=allegation, clause=clause, upheld=item.upheld, text=item.text.strip())
    audit_append(
        actor=actor,
        action="decision.recorded",
        subject=subject(case),
        payload={
            "decision": str(decision.public_id),
            "outcome": outcome,
            "term_months": term,
            "education_required": decision.education_required,
            "findings": finding_payload(decision),
            "band_departures": departures,
            "band_departure_reason": stated_reason_create(
                action="decision.recorded", field="band_departure_reason", text=decision.band_departure_reason, case=case
            ),
        },
    )
    clause_ids = sorted({clause.pk for _, clause, item in rows if item.upheld or not upheld})
    case_transition(
        reserved_ok=True,
        actor=actor,
        case=case,
        transition_key=transition,
        reasons=text,
        clause_ids=clause_ids,
        outcome="" if transition == "refer_to_hearing" else outcome,
    )
    if transition == "send_for_review":
        _try_draw_reviewer(case)
    return decision


def _try_draw_reviewer(case: Case) -> None:
    from fairhearing.cases.models import Assignment

    if Assignment.objects.filter(case=case, role=Assignment.Role.REVIEWER, active=True).exists():
        return
    try:
        with transaction.atomic():
            draw_reviewer(actor=system_actor("review-draw"), case=case)
    except DomainError as error:
        audit_append(actor=system_actor("review-draw"), action="review.no_reviewer", subject=subject(case),
                     payload={"why": stated_reason_create(action="review.no_reviewer", field="why", text=error.message, case=case)})
