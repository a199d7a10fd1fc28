"""Hearings on referrals for expulsion: notice, one short postponement, and the outcome."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from fairhearing.accounts.permissions import require_manage
from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case, Party
from fairhearing.cases.notify import notification_queue
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions.catalogue import HEARING_OUTCOMES, NO_CASE, get_catalogue
from fairhearing.decisions.models import Decision, Finding, Hearing, Panel
from fairhearing.decisions.services.deciding import (
    check_band,
    check_reasons,
    check_sanction,
    current_seat,
    require_full,
)
from fairhearing.decisions.services.panels import MIN_REASON_LENGTH, subject
from fairhearing.workflow.config import get_calendar
from fairhearing.workflow.services import case_transition

MAX_POSTPONEMENT_DAYS = 5


def _notify_respondent(case: Case, hearing: Hearing, tag: str) -> None:
    for party in case.parties.filter(kind=Party.Kind.RESPONDENT):
        notification_queue(
            kind="hearing_notice",
            dedupe_key=f"hearing_notice:{hearing.public_id}:{party.public_id}:{tag}",
            recipient_role="respondent",
            case=case,
            recipient_email=party.email,
            context={"party": party, "hearing": hearing, "postponed": tag != "first", "max_postponement_days": MAX_POSTPONEMENT_DAYS},
        )


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@transaction.atomic
def hearing_schedule(*, actor: Actor, case: Case, starts_at: datetime, place: str = "", video_link: str = "") -> Hearing:
    """The caseworker sets the hearing's date and place or video link; the respondent is sent
    notice naming their right to be accompanied and to ask once for a short postponement."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_manage(actor, case)
    if case.stage != "hearing":
        raise DomainError("A hearing is scheduled while the case is at 'Hearing'.")
    referral = Decision.objects.filter(case=case, status=Decision.Status.REFERRED).order_by("-recorded_at").first()
    if referral is None:
        raise DomainError("There is no referral for expulsion on this case.")
    if Hearing.objects.filter(referral=referral).exists():
        raise DomainError("The hearing is already scheduled; the respondent may ask once to move it.")
    if not place.strip() and not video_link.strip():
        raise MissingInformation("Give the place of the hearing or a video link.", field="place")
    starts_at = _aware(starts_at)
    if starts_at <= clock.now():
        raise MissingInformation("The hearing must be in the future.", field="starts_at")
    hearing = Hearing.objects.create(case=case, referral=referral, starts_at=starts_at, place=place.strip(), video_link=video_link.strip())
    audit_append(actor=actor, action="hearing.scheduled", subject=subject(case), payload={"hearing": str(hearing.public_id), "starts_at": starts_at.isoformat()})
    _notify_respondent(case, hearing, "first")
    return hearing


@transaction.atomic
def hearing_postpone(*, actor: Actor, case: Case, starts_at: datetime, reason: str) -> Hearing:
    """Move the hearing once, at the respondent's request (made by them or recorded by the
    caseworker), to a date no more than 5 working days after the original one."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor.kind != "respondent":  # a respondent acts through their signed link, checked by the view
        require_manage(actor, case)
    hearing = Hearing.objects.select_for_update().filter(case=case, held_at__isnull=True).order_by("-id").first()
    if hearing is None:
        raise DomainError("There is no scheduled hearing to postpone.")
    if hearing.original_starts_at is not None:
        raise DomainError("The hearing has already been postponed once; it cannot be moved again.")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(f"Say why the hearing needs to move (at least {MIN_REASON_LENGTH} characters).", field="reason")
    starts_at = _aware(starts_at)
    original = timezone.localdate(hearing.starts_at)
    latest = get_calendar().add_working_days(original, MAX_POSTPONEMENT_DAYS)
    if starts_at <= hearing.starts_at or timezone.localdate(starts_at) > latest:
        raise MissingInformation(
            f"Choose a new date after the original one and no later than {latest:%d %B %Y} ({MAX_POSTPONEMENT_DAYS} working days after it).",
            field="starts_at",
        )
    hearing.original_starts_at = hearing.starts_at
    hearing.starts_at = starts_at
    hearing.postponement_reason = reason.strip()
    hearing.save(update_fields=["original_starts_at", "starts_at", "postponement_reason"])
    audit_append(actor=actor, action="hearing.postponed", subject=subject(case), payload={
        "hearing": str(hearing.public_id), "starts_at": starts_at.isoformat(),
        "reason": stated_reason_create(action="hearing.postponed", field="reason", text=hearing.postponement_reason, case=case),
    })
    _notify_respondent(case, hearing, "postponed")
    return hearing


@transaction.atomic
def hearing_record_outcome(
    *, actor: Actor, case: Case, outcome: str, reasons: str, term_months: int | None = None, band_departure_reason: str = ""
) -> Decision:
    """A member of the panel records the hearing's outcome; the findings of the referral stand
    unless the outcome is 'no case to answer'. The case goes on to the written decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != "hearing":
        raise DomainError("A hearing outcome is recorded while the case is at 'Hearing'.")
    try:
        seat = current_seat(actor, case, Panel.Purpose.DECISION)
    except NotPermitted:
        raise NotPermitted("Only a member of the panel that heard the case can record the hearing's outcome.") from None
    require_full(seat.panel)
    hearing = Hearing.objects.filter(case=case, held_at__isnull=True).order_by("-id").first()
    if hearing is None:
        raise DomainError("Schedule the hearing before recording its outcome.")
    if hearing.starts_at > clock.now():
        raise DomainError(f"The hearing is on {timezone.localtime(hearing.starts_at):%d %B %Y at %H:%M}; record its outcome after it has taken place.")
    if outcome not in HEARING_OUTCOMES:
        raise MissingInformation(f"Choose an outcome: {', '.join(HEARING_OUTCOMES)}.", field="outcome")
    text = check_reasons(reasons)
    catalogue = get_catalogue()
    term = check_sanction(catalogue, outcome, term_months)
    referral = hearing.referral
    upheld = [] if outcome == NO_CASE else [f.clause.identifier for f in referral.findings.select_related("clause") if f.upheld]
    departures = check_band(catalogue, outcome, upheld, band_departure_reason)
    assert actor.user is not None
    decision = Decision.objects.create(
        case=case, panel=seat.panel, body=Decision.Body.HEARING, recorded_by=actor.user, outcome=outcome, term_months=term,
        education_required=catalogue.education_required(upheld), reasons=text,
        band_departure_reason=band_departure_reason.strip() if departures else "",
        status=Decision.Status.DETERMINED, recorded_at=clock.now(), determined_on=clock.today(),
    )
    for finding in referral.findings.all():
        Finding.objects.create(decision=decision, allegation=finding.allegation, clause=finding.clause,
                               upheld=finding.upheld and outcome != NO_CASE, text=finding.text)
    hearing.outcome = outcome
    hearing.held_at = clock.now()
    hearing.save(update_fields=["outcome", "held_at"])
    audit_append(actor=actor, action="hearing.outcome_recorded", subject=subject(case),
                 payload={"hearing": str(hearing.public_id), "decision": str(decision.public_id), "outcome": outcome,
                          "term_months": term, "band_departures": departures})
    case_transition(reserved_ok=True, actor=actor, case=case, transition_key="record_hearing_outcome", reasons=text, outcome=outcome)
    return decision
