"""Transitions, pauses and fast-tracking through the services, with the clock frozen."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fairhearing.audit.models import AuditEvent, StatedReason
from fairhearing.audit.reasons import reason_digest
from fairhearing.cases.models import Case, Notification
from fairhearing.core import clock
from fairhearing.core.errors import InvalidTransition, MissingInformation, NotPermitted
from fairhearing.core.testing import aware, open_case
from fairhearing.workflow import services

pytestmark = pytest.mark.django_db


def test_a_new_case_starts_received_and_is_due_in_two_working_days(personas):
    with clock.frozen(aware(2026, 12, 23)):  # Wednesday before Christmas
        case = open_case(personas)
    assert case.stage == "received"
    # 24 Dec (Thu) is day 1; 25, 26 (Sat), 27 (Sun), 28 (Boxing Day substitute) skipped; 29 Dec is day 2.
    assert case.due_on == date(2026, 12, 29)


def test_it_moves_a_case_and_records_reasons_in_the_audit_chain(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge", reasons="Acknowledged by email today.")
    case.refresh_from_db()
    assert case.stage == "triage"
    assert case.due_on == date(2026, 3, 16)  # 10 working days after Monday 2 March
    event = AuditEvent.objects.filter(action="case.transitioned").last()
    cited = json.loads(event.payload)["reasons"]
    assert "Acknowledged" not in event.payload  # the chain holds an id and a digest, not the words
    stored = StatedReason.objects.get(public_id=cited["stated_reason"])
    assert stored.text == "Acknowledged by email today." and stored.case == case
    assert reason_digest(stored.salt, stored.text) == cited["sha256"]


def test_a_transition_without_reasons_cites_no_text(personas):
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
    event = AuditEvent.objects.filter(action="case.transitioned").last()
    assert json.loads(event.payload)["reasons"] is None
    assert not StatedReason.objects.filter(action="case.transitioned").exists()


def test_it_refuses_a_transition_the_process_does_not_allow_from_this_stage(personas):
    case = open_case(personas)
    with pytest.raises(InvalidTransition, match="not possible while the case is at"):
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="refer_to_panel", reasons="Skipping ahead is wrong.")


def test_it_refuses_a_transition_without_the_required_reasons(personas):
    case = open_case(personas)
    services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
    with pytest.raises(MissingInformation) as info:
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="close_at_triage", reasons="", outcome="no_further_action")
    assert info.value.field == "reasons"


def test_it_refuses_an_actor_who_is_not_assigned(personas):
    case = open_case(personas)
    with pytest.raises(NotPermitted):
        services.case_transition(actor=personas.actor("caseworker2"), case=case, transition_key="acknowledge")
    with pytest.raises(NotPermitted):
        services.case_transition(actor=personas.actor("overseer"), case=case, transition_key="acknowledge")


def test_a_pause_extends_the_due_date_by_the_paused_working_days(personas):
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
        services.case_pause(actor=personas.actor("caseworker"), case=case, pause_key="awaiting_complainant", reason="Asked the complainant for the screenshots.")
    with clock.frozen(aware(2026, 3, 9)):  # five working days later
        services.case_resume(actor=personas.actor("caseworker"), case=case)
    case.refresh_from_db()
    assert case.due_on == date(2026, 3, 23)


def test_fast_tracking_halves_the_stage_timetable(personas):
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        services.case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
        services.case_fast_track(actor=personas.actor("caseworker"), case=case, reasons="Clear evidence, admitted by the respondent.")
    case.refresh_from_db()
    assert case.fast_tracked
    assert case.due_on == date(2026, 3, 9)  # 5 working days


def test_the_tick_marks_a_breach_once_and_queues_one_escalation_per_recipient(personas):
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
    with clock.frozen(aware(2026, 3, 10)):
        first = services.tick_run()
        second = services.tick_run()
    assert first.breached == [case.reference]
    assert second.breached == []
    escalations = Notification.objects.filter(kind="deadline_breached", case=case)
    assert sorted(n.recipient_user.username for n in escalations) == ["casey", "olu"]
    assert Case.objects.get(pk=case.pk).breached_at is not None


def test_a_decision_step_cannot_be_taken_without_the_decision_workspace(personas, default_code):
    from fairhearing.cases.services import case_assign
    from fairhearing.conduct.models import Clause

    case = open_case(personas, category="bullying")
    actor = personas.actor("caseworker")
    clause = Clause.objects.filter(identifier="BUL-1").latest("id")
    services.case_transition(actor=actor, case=case, transition_key="acknowledge")
    services.case_transition(actor=actor, case=case, transition_key="investigate", reasons="The complaint is in scope.", clause_ids=[clause.pk])
    services.case_transition(actor=actor, case=case, transition_key="refer_to_panel", reasons="The investigation report is complete.")
    case_assign(actor=actor, case=case, user=personas.panel, role="panel")
    with pytest.raises(InvalidTransition, match="decision workspace"):
        services.case_transition(actor=personas.actor("panel"), case=case, transition_key="determine", reasons="No findings recorded here.", clause_ids=[clause.pk], outcome="formal_warning")
    assert [t.key for t in services.available_transitions(personas.actor("panel"), case)] == []


def test_a_party_who_left_the_case_gets_no_progress_updates(personas):
    from django.utils import timezone

    from fairhearing.cases.models import Party

    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
    Party.objects.filter(case=case, kind="complainant").update(ended_at=timezone.now())
    with clock.frozen(aware(2026, 4, 1)):
        services.tick_run()
    roles = set(Notification.objects.filter(case=case, kind="progress_update").values_list("recipient_role", flat=True))
    assert roles == {"respondent"}
