"""Appeals: lodged within the window, decided by people not involved before."""

from __future__ import annotations

import pytest

from fairhearing.cases.models import Assignment, Notification
from fairhearing.core import clock
from fairhearing.core.actors import party_actor, user_actor
from fairhearing.core.errors import DomainError, InvalidTransition, NotPermitted
from fairhearing.core.testing import aware
from fairhearing.decisions import services
from fairhearing.decisions.models import Panel, Seat
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision
from fairhearing.registry.models import SanctionEntry

pytestmark = pytest.mark.django_db
REASONS = "The messages were repeated and intimidating, contrary to BUL-1."
GROUNDS = "The panel did not consider the apology I made at the time."


def _issued(personas, extra=3, outcome="suspension", term=3):
    pool(personas, extra=extra)
    case = to_decision(personas)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    first = seated(case)
    services.decision_record(actor=user_actor(first[0]), case=case, outcome=outcome, term_months=term, findings=findings(case, "BUL-1"), reasons=REASONS)
    services.decision_issue(actor=personas.actor("caseworker"), case=case)
    case.refresh_from_db()
    return case, first


def _appealed(personas, **kwargs):
    case, first = _issued(personas, **kwargs)
    services.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds=GROUNDS)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    case.refresh_from_db()
    return case, first


def test_the_appeal_panel_excludes_the_caseworker_the_first_panel_and_the_reviewer(personas, default_code):
    case, first = _appealed(personas)
    appeal_panel = seated(case, Panel.Purpose.APPEAL)
    assert case.stage == "appeal"
    assert len(appeal_panel) == 3 and not set(appeal_panel) & set(first)
    assert not Assignment.objects.filter(case=case, user__in=first, active=True).exists()


def test_a_member_of_the_first_panel_cannot_decide_the_appeal(personas, default_code):
    case, first = _appealed(personas)
    with pytest.raises(NotPermitted):
        services.appeal_decide(actor=user_actor(first[0]), case=case, outcome="dismissed", reasons="The decision was sound throughout.")


def test_someone_involved_before_who_is_somehow_seated_on_the_appeal_is_refused(personas, default_code):
    case, first = _appealed(personas)
    panel = Panel.objects.get(case=case, purpose=Panel.Purpose.APPEAL)
    Seat.objects.filter(panel=panel).first().delete()
    Seat.objects.create(panel=panel, user=first[0], seated_at=clock.now())
    Assignment.objects.create(case=case, user=first[0], role="panel", assigned_at=clock.now())
    with pytest.raises(NotPermitted, match="involved in this case before"):
        services.appeal_decide(actor=user_actor(first[0]), case=case, outcome="dismissed", reasons="The decision was sound throughout.")


def test_too_few_uninvolved_members_for_an_appeal_is_a_clear_error(personas, default_code):
    case, _ = _issued(personas, extra=1)
    services.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds=GROUNDS)
    with pytest.raises(DomainError, match="3 more members are needed but only 1 is eligible"):
        services.panel_draw(actor=personas.actor("caseworker"), case=case)


def test_an_allowed_appeal_lifts_the_sanction_and_closes_the_case(personas, default_code):
    case, _ = _appealed(personas)
    services.appeal_decide(actor=user_actor(seated(case, Panel.Purpose.APPEAL)[0]), case=case, outcome="allowed", reasons="The apology was not weighed at all.")
    case.refresh_from_db()
    assert case.closed and case.outcome == "allowed"
    assert SanctionEntry.objects.get(case=case).ended_reason == "appeal allowed"
    assert Notification.objects.filter(case=case, kind="appeal_decided").count() == 2


def test_a_substituted_sanction_replaces_the_registry_entry(personas, default_code):
    case, _ = _appealed(personas, term=12)
    services.appeal_decide(actor=user_actor(seated(case, Panel.Purpose.APPEAL)[0]), case=case, outcome="sanction_substituted",
                           substituted_outcome="suspension", term_months=2, reasons="Twelve months was disproportionate.")
    entries = SanctionEntry.objects.filter(case=case).order_by("id")
    assert entries[0].ended_at is not None and entries[1].ended_at is None
    assert (entries[1].ends_on - entries[1].starts_on).days < 70


def test_a_dismissed_appeal_leaves_the_sanction_in_force(personas, default_code):
    case, _ = _appealed(personas)
    services.appeal_decide(actor=user_actor(seated(case, Panel.Purpose.APPEAL)[0]), case=case, outcome="dismissed", reasons="The decision was sound throughout.")
    assert SanctionEntry.objects.get(case=case).ended_at is None


def test_an_appeal_outside_the_window_is_refused(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case, _ = _issued(personas)
    with clock.frozen(aware(2026, 4, 30)), pytest.raises(InvalidTransition, match="appeal window closed"):
        services.appeal_lodge(actor=party_actor("respondent", case.reference), case=case, grounds=GROUNDS)


def test_an_appeal_needs_grounds(personas, default_code):
    case, _ = _issued(personas)
    with pytest.raises(DomainError, match="grounds"):
        services.appeal_lodge(actor=personas.actor("caseworker"), case=case, grounds="", appellant="complainant")
