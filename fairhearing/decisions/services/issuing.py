"""Issuing the written decision to both parties, and appeals against it."""

from __future__ import annotations

from django.db import transaction

from fairhearing.accounts.permissions import require_manage
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Assignment, Case
from fairhearing.cases.notify import notification_queue
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions.catalogue import APPEAL_OUTCOMES, NO_CASE, get_catalogue
from fairhearing.decisions.models import Appeal, Decision, Panel, Seat
from fairhearing.decisions.services.deciding import (
    check_reasons,
    check_sanction,
    current_seat,
    require_full,
)
from fairhearing.decisions.services.panels import MIN_REASON_LENGTH, retire_panels, subject
from fairhearing.workflow.services import case_transition


def _notify_parties(case: Case, kind: str, decision: Decision, extra: dict[str, object]) -> None:
    for party in case.parties.filter(ended_at__isnull=True):
        notification_queue(
            kind=kind,
            dedupe_key=f"{kind}:{decision.public_id}:{party.public_id}",
            recipient_role=party.kind,
            case=case,
            recipient_email=party.email,
            context={"party": party, "decision": decision, "findings": list(decision.findings.select_related("clause__version")), **extra},
        )


@transaction.atomic
def decision_issue(*, actor: Actor, case: Case) -> Decision:
    """The caseworker issues the determined decision in writing to both parties, opening the
    appeal window. A decision without written reasons or findings is never issued. A suspension
    or expulsion enters the sanctions registry from today; any interim suspension on the case
    ends, replaced by the decision (the member's status follows both)."""
    from fairhearing.registry.services import sanction_from_decision, sanctions_end_interim

    case = Case.objects.select_for_update().get(pk=case.pk)
    require_manage(actor, case)
    if case.stage != "written_decision":
        raise DomainError("A written decision is issued while the case is at 'Written decision'.")
    decision = Decision.objects.select_for_update().filter(case=case, status=Decision.Status.DETERMINED).order_by("-recorded_at").first()
    if decision is None:
        raise DomainError("There is no determined decision to issue.")
    if len(decision.reasons.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation("The decision has no written reasons, so it cannot be issued; the panel must record them.", field="reasons")
    if not decision.findings.exists():
        raise MissingInformation("The decision has no findings, so it cannot be issued.", field="findings")
    decision.status = Decision.Status.ISSUED
    decision.issued_at = clock.now()
    decision.save(update_fields=["status", "issued_at"])
    audit_append(actor=actor, action="decision.issued", subject=subject(case), payload={"decision": str(decision.public_id), "outcome": decision.outcome})
    case = case_transition(reserved_ok=True, actor=actor, case=case, transition_key="issue_decision", reasons="The written decision was issued to both parties.")
    sanction_from_decision(actor=actor, decision=decision)
    sanctions_end_interim(actor=actor, case=case, reason="replaced by the written decision")
    label = "No case to answer" if decision.outcome == NO_CASE else get_catalogue().sanction(decision.outcome).label
    _notify_parties(case, "decision_issued", decision, {"outcome_label": label, "appeal_by": case.due_on, "education_label": get_catalogue().education_label})
    return decision


@transaction.atomic
def appeal_lodge(*, actor: Actor, case: Case, grounds: str, appellant: str = "") -> Appeal:
    """A party appeals within the window, with grounds; the caseworker may lodge it for them.
    The caseworker then draws an appeal panel, which excludes everyone involved before."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor.kind in ("complainant", "respondent"):
        appellant = actor.kind
    if appellant not in ("complainant", "respondent"):
        raise MissingInformation("Say who is appealing: the complainant or the respondent.", field="appellant")
    if len(grounds.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(f"Give the grounds of appeal (at least {MIN_REASON_LENGTH} characters).", field="grounds")
    decision = Decision.objects.filter(case=case, status=Decision.Status.ISSUED).order_by("-issued_at").first()
    if decision is None:
        raise DomainError("There is no issued decision to appeal.")
    appeal = Appeal.objects.create(case=case, decision=decision, appellant=appellant, grounds=grounds.strip(), lodged_at=clock.now(), lodged_by=actor.audit_name)
    audit_append(actor=actor, action="appeal.lodged", subject=subject(case), payload={"appeal": str(appeal.public_id), "appellant": appellant})
    case_transition(reserved_ok=True, actor=actor, case=case, transition_key="lodge_appeal", reasons=grounds)
    retire_panels(case, Panel.Purpose.DECISION)
    return appeal


def _require_uninvolved(actor: Actor, case: Case, panel: Panel) -> None:
    """Nobody who investigated, decided or reviewed sits on the appeal."""
    user = actor.user
    earlier_seat = Seat.objects.filter(panel__case=case, user=user).exclude(panel=panel).exists()
    other_roles = Assignment.objects.filter(case=case, user=user).exclude(role=Assignment.Role.PANEL, assigned_at__gte=panel.drawn_at).exists()
    if earlier_seat or other_roles:
        raise NotPermitted("You were involved in this case before the appeal, so you cannot decide it.")


@transaction.atomic
def appeal_decide(
    *, actor: Actor, case: Case, outcome: str, reasons: str, substituted_outcome: str = "", term_months: int | None = None
) -> Appeal:
    """A member of the appeal panel records the outcome: dismissed (the decision stands), allowed
    (the sanction is lifted, and the member's status restored) or sanction substituted. The case
    closes; both parties are told."""
    from fairhearing.registry.services import sanction_from_decision, sanctions_end_for_decision

    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != "appeal":
        raise DomainError("An appeal is decided while the case is at 'Appeal'.")
    appeal = Appeal.objects.select_for_update().filter(case=case, decided_at__isnull=True).order_by("-lodged_at").first()
    if appeal is None:
        raise DomainError("There is no appeal waiting for a decision.")
    try:
        seat = current_seat(actor, case, Panel.Purpose.APPEAL)
    except NotPermitted:
        raise NotPermitted("Only a member of this case's appeal panel can decide the appeal.") from None
    require_full(seat.panel)
    _require_uninvolved(actor, case, seat.panel)
    if outcome not in APPEAL_OUTCOMES:
        raise MissingInformation(f"Choose an outcome: {', '.join(APPEAL_OUTCOMES)}.", field="outcome")
    text = check_reasons(reasons)
    term = None
    if outcome == "sanction_substituted":
        allowed = [k for k, s in get_catalogue().sanctions.items() if not s.hearing_only and k != "referral_for_expulsion"]
        if substituted_outcome not in allowed:
            raise MissingInformation(f"Choose the substituted sanction: {', '.join(allowed)}.", field="substituted_outcome")
        term = check_sanction(get_catalogue(), substituted_outcome, term_months)
    elif substituted_outcome:
        raise MissingInformation("Only 'sanction substituted' takes a substituted sanction.", field="substituted_outcome")
    appeal.panel = seat.panel
    appeal.outcome = outcome
    appeal.substituted_outcome = substituted_outcome
    appeal.substituted_term_months = term
    appeal.reasons = text
    appeal.decided_at = clock.now()
    appeal.save()
    audit_append(actor=actor, action="appeal.decided", subject=subject(case),
                 payload={"appeal": str(appeal.public_id), "outcome": outcome, "substituted": substituted_outcome, "term_months": term})
    decision = appeal.decision
    if outcome == "sanction_substituted":
        assert actor.user is not None  # current_seat has checked there is one
        substitute = Decision.objects.create(
            case=case, panel=seat.panel, recorded_by=actor.user, outcome=substituted_outcome, term_months=term,
            education_required=decision.education_required, reasons=text, status=Decision.Status.ISSUED,
            recorded_at=clock.now(), determined_on=clock.today(), issued_at=clock.now(),
        )
        for finding in decision.findings.all():
            finding.pk = None
            finding.decision = substitute
            finding.save()
        sanction_from_decision(actor=actor, decision=substitute)
    # Ended after the substitute is entered, so a member moving from one sanction to the next
    # never shows as active in between.
    if outcome != "dismissed":
        sanctions_end_for_decision(actor=actor, decision=decision, reason=f"appeal {outcome.replace('_', ' ')}")
    case_transition(reserved_ok=True, actor=actor, case=case, transition_key="decide_appeal", reasons=text, outcome=outcome)
    substituted_label = get_catalogue().sanction(substituted_outcome).label if substituted_outcome else ""
    _notify_parties(case, "appeal_decided", decision, {"appeal": appeal, "substituted_label": substituted_label})
    return appeal
