"""The respondent's status on the membership list follows the decision services: an issued
suspension or expulsion, an interim suspension replaced by the written decision, and an appeal
that lifts or substitutes the sanction. Each change is audited in the service's transaction."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Member
from fairhearing.core import clock
from fairhearing.core.actors import party_actor, user_actor
from fairhearing.core.testing import aware
from fairhearing.decisions import services
from fairhearing.decisions.models import Panel
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision
from fairhearing.registry.models import SanctionEntry
from fairhearing.registry.services import platform_check, sanction_entry_create
from fairhearing.workflow.services import tick_run

pytestmark = pytest.mark.django_db
REASONS = "The messages were repeated and intimidating, contrary to BUL-1."
NUMBER = "M-1001"


@pytest.fixture
def member(personas, default_code):  # type: ignore[no-untyped-def]
    pool(personas)
    return Member.objects.create(membership_number=NUMBER, name="Sam Respondent")


def _decided(personas, outcome="suspension", term=3):
    case = to_decision(personas, respondent_membership_number=NUMBER)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome=outcome, term_months=term, findings=findings(case, "BUL-1"),
                             reasons=REASONS, band_departure_reason="A sustained campaign against several members.")
    return case


def _issued(personas, **kwargs):
    case = _decided(personas, **kwargs)
    services.decision_issue(actor=personas.actor("caseworker"), case=case)
    return case


def _appeal(personas, case, outcome, **kwargs):
    services.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds="The panel did not weigh my apology.")
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    services.appeal_decide(actor=user_actor(seated(case, Panel.Purpose.APPEAL)[0]), case=case, outcome=outcome,
                           reasons="The appeal panel has considered the grounds in full.", **kwargs)


def _status(member: Member) -> str:
    member.refresh_from_db()
    return member.status


def _changes(member: Member) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(action="registry.member_status_changed", subject=f"member:{member.public_id}").order_by("seq")
    return [(p["from"], p["to"]) for p in (json.loads(e.payload) for e in events)]


def _verdict(personas, member: Member) -> str:
    (result,) = platform_check(actor=personas.actor("organiser"), items=[(member.name, member.membership_number)])
    return str(result.verdict)


def _interim(case, member: Member) -> SanctionEntry:
    return sanction_entry_create(actor=user_actor(case.assignments.get(role="caseworker").user), kind="suspended", name=member.name,
                                 membership_number=NUMBER, member=member, case=case, starts_on=clock.today(),
                                 ends_on=date(2026, 9, 1))


def test_a_suspension_takes_effect_on_the_list_when_the_decision_is_issued_not_before(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _decided(personas)
        assert _status(member) == "active"
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
        assert _status(member) == "suspended" and _verdict(personas, member) == "match"
    event = AuditEvent.objects.get(action="registry.member_status_changed")
    assert event.actor == user_actor(personas.caseworker).audit_name


def test_an_expulsion_after_a_hearing_expels_the_member(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _decided(personas, outcome="referral_for_expulsion", term=None)
        services.hearing_schedule(actor=personas.actor("caseworker"), case=case, starts_at=aware(2026, 3, 20), place="Branch office")
    with clock.frozen(aware(2026, 3, 20, 15)):
        services.hearing_record_outcome(actor=user_actor(seated(case)[0]), case=case, outcome="expulsion", reasons=REASONS,
                                        band_departure_reason="Expulsion after a hearing on a sustained campaign.")
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
        assert _status(member) == "expelled" and _verdict(personas, member) == "match"


def test_an_allowed_appeal_restores_the_member(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _issued(personas)
        _appeal(personas, case, "allowed")
        assert _status(member) == "active" and _verdict(personas, member) == "no_match"
    assert _changes(member) == [("active", "suspended"), ("suspended", "active")]


def test_a_substituted_suspension_keeps_the_member_suspended_without_a_gap(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _issued(personas, term=12)
        _appeal(personas, case, "sanction_substituted", substituted_outcome="suspension", term_months=2)
        assert _status(member) == "suspended"
    assert _changes(member) == [("active", "suspended")]
    with clock.frozen(aware(2026, 5, 4)):  # two months on: the substitute lapses
        tick_run()
    assert _status(member) == "active"


def test_a_warning_substituted_for_a_suspension_restores_the_member(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _issued(personas)
        _appeal(personas, case, "sanction_substituted", substituted_outcome="formal_warning")
    assert _status(member) == "active"


def test_an_interim_suspension_suspends_the_member_and_ends_when_a_lesser_decision_is_issued(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _decided(personas, outcome="formal_warning", term=None)
        interim = _interim(case, member)
        assert _status(member) == "suspended" and _verdict(personas, member) == "match"
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
    interim.refresh_from_db()
    assert interim.ended_at is not None and interim.ended_reason == "replaced by the written decision"
    assert _status(member) == "active"


def test_an_interim_suspension_gives_way_to_the_issued_suspension_without_a_gap(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        case = _decided(personas)
        interim = _interim(case, member)
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
    interim.refresh_from_db()
    assert interim.ended_at is not None
    assert SanctionEntry.objects.get(case=case, ended_at__isnull=True).source_decision is not None
    assert _status(member) == "suspended" and _changes(member) == [("active", "suspended")]


def test_a_suspension_on_another_case_survives_the_decision_on_this_one(personas, member):
    with clock.frozen(aware(2026, 3, 2)):
        other = _issued(personas)
        case = _decided(personas, outcome="formal_warning", term=None)
        _interim(case, member)
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
    assert SanctionEntry.objects.get(case=other).ended_at is None
    assert _status(member) == "suspended"
