"""A set of cases taken through every service that records typed text beside an audit event,
each text naming one person, so tests can check that the name never reaches a hashed payload and
that retention erases it everywhere.

Built through the real services only. Every case is closed at the end; the latest retention date
of the lot is before ``ALL_DUE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fairhearing.cases.models import Assignment, Case
from fairhearing.core import clock
from fairhearing.core.actors import party_actor, user_actor
from fairhearing.core.testing import Personas, aware, make_user, open_case

NAME = "Naomi Fairweather"
STARTED = aware(2026, 3, 2)
ALL_DUE = aware(2033, 6, 1)  # after six years (the default rule) from closure in March 2026


def said(what: str) -> str:
    """A reason of the kind staff type, naming the person."""
    return f"{what}; {NAME} raised this with me directly."


@dataclass
class NamedReasons:
    cases: list[Case] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # what recorded a naming text, for messages


def build(personas: Personas) -> NamedReasons:
    """Needs the ``default_code`` fixture (clauses AS-2 and HAR-1)."""
    out = NamedReasons()
    with clock.frozen(STARTED):
        out.cases.append(_review_and_appeal(personas, out))
        out.cases.append(_hearing(personas, out))
        out.cases += _links_and_triage(personas, out)
    with clock.frozen(aware(2026, 3, 27, 15)):
        _hearing_outcome_and_appeal(personas, out)
    for case in out.cases:
        case.refresh_from_db()
        assert case.closed, f"{case.reference} is at {case.stage}"
    return out


def _review_and_appeal(personas: Personas, out: NamedReasons) -> Case:
    """Pause, resume, fast track, transitions, a recusal with nobody to replace, a decision outside
    the sanctions band, no reviewer to draw, a veto, a verification, an appeal."""
    from fairhearing.decisions import services as d
    from fairhearing.decisions.tests.helpers import clause, findings, pool, seated, train
    from fairhearing.workflow import services as w

    caseworker = personas.actor("caseworker")
    pool(personas, extra=0)
    train(personas, personas.reviewer, until=None)  # no reviewer eligible when the decision is made
    case = open_case(personas, category="antisemitism")
    w.case_transition(actor=caseworker, case=case, transition_key="acknowledge", reasons=said("Acknowledged by phone"))
    w.case_pause(actor=caseworker, case=case, pause_key="awaiting_complainant", reason=said("Waiting for the screenshots"))
    w.case_resume(actor=caseworker, case=case, reason=said("The screenshots arrived"))
    w.case_fast_track(actor=caseworker, case=case, reasons=said("Clear evidence and an admission"))
    w.case_transition(actor=caseworker, case=case, transition_key="investigate", reasons=said("In scope"), clause_ids=[clause("AS-2").pk])
    w.case_transition(actor=caseworker, case=case, transition_key="refer_to_panel", reasons=said("The report is complete"))
    out.services += ["case_transition", "case_pause", "case_resume", "case_fast_track"]

    d.panel_draw(actor=caseworker, case=case)
    assert d.panel_recuse(actor=user_actor(seated(case)[0]), case=case, reason=said("I know the complainant")) is None
    for n in range(4, 11):  # enough for the missing seat, a fresh panel after the veto and the appeal
        train(personas, make_user(f"panel{n}", "panel", display_name=f"Extra Panel {n}"))
    d.panel_draw(actor=caseworker, case=case)
    out.services += ["panel_recuse", "panel.short (why)"]

    d.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="reminder_of_conduct", findings=findings(case, "AS-2"),
                      reasons=said("The panel finds the post offensive"), band_departure_reason=said("A first offence, at once withdrawn"))
    train(personas, personas.reviewer)
    d.reviewer_draw(actor=caseworker, case=case)
    d.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons=said("The panel ignored the reply"))
    # The veto ends the reviewer's assignment; the fresh panel's decision goes to whoever the
    # decision services assign (the reviewer who vetoed, or one drawn afresh), so a second is trained.
    train(personas, make_user("reviewer2", "reviewer", display_name="Second Reviewer"))
    d.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="reminder_of_conduct", findings=findings(case, "AS-2"),
                      reasons=said("The fresh panel finds the post offensive"), band_departure_reason=said("A first offence, withdrawn"))
    reviewer = Assignment.objects.get(case=case, role=Assignment.Role.REVIEWER, active=True).user
    d.review_record(actor=user_actor(reviewer), case=case, verdict="verified", reasons=said("The findings follow the evidence"))
    d.decision_issue(actor=caseworker, case=case)
    d.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds=said("The apology was not weighed"))
    d.panel_draw(actor=caseworker, case=case)
    d.appeal_decide(actor=user_actor(seated(case, "appeal")[0]), case=case, outcome="dismissed", reasons=said("The decision was sound"))
    out.services += ["decision_record (band departure)", "review.no_reviewer (why)", "review_record vetoed", "review_record verified",
                     "appeal_lodge", "appeal_decide"]
    return case


def _hearing(personas: Personas, out: NamedReasons) -> Case:
    from fairhearing.decisions import services as d
    from fairhearing.decisions.tests.helpers import clause, findings, seated
    from fairhearing.workflow import services as w

    caseworker = personas.actor("caseworker")
    case = open_case(personas, category="sexual_harassment", respondent="Robin Respondent")
    w.case_transition(actor=caseworker, case=case, transition_key="acknowledge")
    w.case_transition(actor=caseworker, case=case, transition_key="investigate", reasons=said("In scope"), clause_ids=[clause("HAR-1").pk])
    w.case_transition(actor=caseworker, case=case, transition_key="refer_to_panel", reasons=said("The report is complete"))
    d.panel_draw(actor=caseworker, case=case)
    d.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="referral_for_expulsion", findings=findings(case, "HAR-1"),
                      reasons=said("Repeated harassment"))
    d.hearing_schedule(actor=caseworker, case=case, starts_at=aware(2026, 3, 20), place="Branch office")
    d.hearing_postpone(actor=party_actor("respondent", case.reference), case=case, starts_at=aware(2026, 3, 27, 10),
                       reason=said("My companion is away"))
    out.services += ["hearing_postpone"]
    return case


def _hearing_outcome_and_appeal(personas: Personas, out: NamedReasons) -> None:
    from fairhearing.decisions import services as d
    from fairhearing.decisions.tests.helpers import seated

    case = out.cases[1]
    member = user_actor(seated(case)[0])
    d.hearing_record_outcome(actor=member, case=case, outcome="expulsion", reasons=said("The hearing upheld the referral"))
    d.decision_issue(actor=personas.actor("caseworker"), case=case)
    d.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds=said("The hearing was unfair"))
    d.panel_draw(actor=personas.actor("caseworker"), case=case)
    d.appeal_decide(actor=user_actor(seated(case, "appeal")[0]), case=case, outcome="dismissed", reasons=said("The hearing was fair"))
    out.services += ["hearing_record_outcome"]


def _links_and_triage(personas: Personas, out: NamedReasons) -> list[Case]:
    """Unlink and move a complaint, a suggestion note, a legal hold placed and lifted, closure at triage."""
    from fairhearing.audit.services import break_glass_grant
    from fairhearing.intake import services as intake
    from fairhearing.intake.tests.helpers import submit
    from fairhearing.privacy.services import legal_hold_lift, legal_hold_place
    from fairhearing.suggestions.models import Suggestion
    from fairhearing.suggestions.services import screening_claim, suggestion_decide
    from fairhearing.suggestions.tasks import screen_run
    from fairhearing.suggestions.tests.helpers import case_with_texts
    from fairhearing.workflow import services as w

    caseworker = personas.actor("caseworker")
    first = submit(respondent_name="Jo Bloggs")
    second = submit(respondent_name="Jo Bloggs", ip="192.0.2.9")
    assert second.linked
    own = intake.complaint_unlink(actor=caseworker, complaint=second.complaint, reason=said("A different incident"))
    intake.complaint_link(actor=caseworker, complaint=second.complaint, case=first.case, reason=said("The same incident after all"))
    out.services += ["complaint_unlink", "complaint_link"]

    screened = case_with_texts(personas)
    for run_id in screening_claim():
        screen_run.call(run_id)
    suggestion = Suggestion.objects.filter(run__case=screened).order_by("rank").first()
    assert suggestion is not None, "screening made no suggestion to decide"
    suggestion_decide(actor=caseworker, suggestion=suggestion, accept=True, note=said("Matches the post"))
    suggestion_decide(actor=caseworker, suggestion=suggestion, accept=False, note=said("On reflection it quotes the post"))
    out.services += ["suggestion_decide accepted", "suggestion_decide rejected"]

    hold = legal_hold_place(actor=personas.actor("overseer"), case=first.case, reason=said("A tribunal claim is pending"))
    legal_hold_lift(actor=personas.actor("overseer"), hold=hold)
    break_glass_grant(actor=personas.actor("panel2"), case=first.case, reason=said("The caseworker is away and the respondent is on the phone"))
    out.services += ["break_glass_grant"]
    cases = [first.case, own, screened]
    for case in cases:
        case.refresh_from_db()
        w.case_transition(actor=caseworker, case=case, transition_key="acknowledge")
        w.case_transition(actor=caseworker, case=case, transition_key="close_at_triage", reasons=said("Not within the code"),
                          outcome="no_further_action")
    return cases
