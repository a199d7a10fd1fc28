"""Independent review: a reviewer verifies a decision before it is issued, or vetoes it, which
retires the panel and sends the case to a fresh one. Either way the reviewer's assignment ends."""

from __future__ import annotations

from django.db import transaction

from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Assignment, Case
from fairhearing.core import clock
from fairhearing.core.actors import Actor, system_actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions.models import Decision, Panel, Review, Seat
from fairhearing.decisions.services.deciding import check_reasons
from fairhearing.decisions.services.panels import _fill, end_assignment, retire_panels, subject
from fairhearing.workflow.services import case_transition


def _require_independent(actor: Actor, case: Case, decision: Decision) -> None:
    """Nobody reviews a decision they took part in, or a case they investigated."""
    user = actor.user
    if user is None or not Assignment.objects.filter(case=case, user=user, role=Assignment.Role.REVIEWER, active=True).exists():
        raise NotPermitted("Only the independent reviewer assigned to this case can review its decision.")
    if Seat.objects.filter(panel__case=case, user=user).exists() or decision.recorded_by_id == user.pk:
        raise NotPermitted("You sat on a panel in this case, so you cannot review its decision.")
    if Assignment.objects.filter(case=case, user=user).exclude(role=Assignment.Role.REVIEWER).exists():
        raise NotPermitted("You had another role in this case, so you cannot review its decision.")


@transaction.atomic
def review_record(*, actor: Actor, case: Case, verdict: str, reasons: str) -> Review:
    """Verify (the case goes on to the written decision) or veto (the panel is retired, the
    reviewer's assignment ends, and a fresh panel, excluding everyone involved so far, is drawn
    when enough members are eligible). The fresh panel's decision comes back to the same reviewer,
    or to one drawn afresh if they no longer may review."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != "review":
        raise DomainError("A review is recorded while the case is at 'Independent review'.")
    decision = Decision.objects.filter(case=case, status=Decision.Status.AWAITING_REVIEW).order_by("-recorded_at").first()
    if decision is None:
        raise DomainError("There is no decision awaiting review on this case.")
    _require_independent(actor, case, decision)
    if verdict not in Review.Verdict.values:
        raise MissingInformation("Choose to verify or veto the decision.", field="verdict")
    text = check_reasons(reasons)
    assert actor.user is not None
    review = Review.objects.create(decision=decision, reviewer=actor.user, verdict=verdict, reasons=text, reviewed_at=clock.now())
    if verdict == Review.Verdict.VERIFIED:
        decision.status = Decision.Status.DETERMINED
        decision.determined_on = clock.today()
    else:
        decision.status = Decision.Status.VETOED
    decision.save(update_fields=["status", "determined_on"])
    action = f"review.{verdict}"
    audit_append(actor=actor, action=action, subject=subject(case), payload={
        "decision": str(decision.public_id), "reasons": stated_reason_create(action=action, field="reasons", text=text, case=case),
    })
    if verdict == Review.Verdict.VERIFIED:
        case_transition(reserved_ok=True, actor=actor, case=case, transition_key="verify", reasons=text)
        end_assignment(case, actor.user, Assignment.Role.REVIEWER)
        return review
    retire_panels(case, Panel.Purpose.DECISION)
    case_transition(reserved_ok=True, actor=actor, case=case, transition_key="veto", reasons=text)
    # The reviewer has no part while a fresh panel decides, so their assignment ends with the
    # veto (after the step, which needs it) and they lose sight of the case; the fresh panel's
    # decision comes back to them when they still may review it (panels.returning_reviewer).
    end_assignment(case, actor.user, Assignment.Role.REVIEWER)
    try:
        with transaction.atomic():
            panel = Panel.objects.create(case=case, purpose=Panel.Purpose.DECISION, size=decision.panel.size, drawn_at=clock.now())
            _fill(actor=system_actor("veto-redraw"), panel=panel, reason="fresh panel after veto")
    except DomainError as error:
        audit_append(actor=system_actor("veto-redraw"), action="panel.short", subject=subject(case),
                     payload={"why": stated_reason_create(action="panel.short", field="why", text=error.message, case=case)})
    return review
