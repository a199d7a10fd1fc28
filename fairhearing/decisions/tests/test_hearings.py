"""Hearings on expulsion referrals: notice, one short postponement, the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fairhearing.cases.models import Notification
from fairhearing.core import clock
from fairhearing.core.actors import party_actor, user_actor
from fairhearing.core.errors import DomainError, MissingInformation
from fairhearing.core.testing import aware
from fairhearing.decisions import services
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision
from fairhearing.registry.models import SanctionEntry

pytestmark = pytest.mark.django_db
REASONS = "Repeated harassment of several members over a year, contrary to HAR-1."


def _referred(personas):
    pool(personas)
    case = to_decision(personas, category="sexual_harassment", clause_id="HAR-1")
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    member = user_actor(seated(case)[0])
    services.decision_record(actor=member, case=case, outcome="referral_for_expulsion", findings=findings(case, "HAR-1"), reasons=REASONS)
    case.refresh_from_db()
    return case, member


def test_the_respondent_is_told_of_the_hearing_and_their_right_to_be_accompanied(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case, _ = _referred(personas)
        services.hearing_schedule(actor=personas.actor("caseworker"), case=case, starts_at=aware(2026, 3, 20), video_link="https://meet.example.org/h1")
    notice = Notification.objects.get(case=case, kind="hearing_notice")
    assert notice.recipient_role == "respondent"
    assert "right to be accompanied" in notice.body and "https://meet.example.org/h1" in notice.body


def test_a_hearing_needs_a_place_or_a_video_link(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case, _ = _referred(personas)
        with pytest.raises(MissingInformation, match="place"):
            services.hearing_schedule(actor=personas.actor("caseworker"), case=case, starts_at=aware(2026, 3, 20))


def test_the_hearing_can_be_postponed_once_by_up_to_five_working_days(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case, _ = _referred(personas)
        services.hearing_schedule(actor=personas.actor("caseworker"), case=case, starts_at=aware(2026, 3, 20), place="Branch office")  # a Friday
        respondent = party_actor("respondent", case.reference)
        with pytest.raises(MissingInformation, match="27 March 2026"):
            services.hearing_postpone(actor=respondent, case=case, starts_at=aware(2026, 3, 30), reason="My companion is away that week.")
        services.hearing_postpone(actor=respondent, case=case, starts_at=aware(2026, 3, 27), reason="My companion is away that week.")
        with pytest.raises(DomainError, match="already been postponed once"):
            services.hearing_postpone(actor=respondent, case=case, starts_at=aware(2026, 3, 27) + timedelta(hours=1), reason="Another request to move it.")
    assert Notification.objects.filter(case=case, kind="hearing_notice").count() == 2


def test_an_expulsion_after_the_hearing_is_issued_and_entered_in_the_registry(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        case, member = _referred(personas)
        services.hearing_schedule(actor=personas.actor("caseworker"), case=case, starts_at=aware(2026, 3, 20), place="Branch office")
        with pytest.raises(DomainError, match="after it has taken place"):
            services.hearing_record_outcome(actor=member, case=case, outcome="expulsion", reasons=REASONS)
    with clock.frozen(aware(2026, 3, 20, 15)):
        decision = services.hearing_record_outcome(actor=member, case=case, outcome="expulsion", reasons=REASONS)
        assert decision.findings.filter(upheld=True).exists()
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
    entry = SanctionEntry.objects.get(case=case)
    assert entry.kind == "expelled" and entry.ends_on is None
