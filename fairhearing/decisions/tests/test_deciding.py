"""Recording and issuing a decision: findings per allegation, the catalogue's terms, the
sanctions guidance band, written reasons, the written decision to both parties."""

from __future__ import annotations

import json

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Notification
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions import services
from fairhearing.decisions.models import Decision
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision
from fairhearing.registry.models import SanctionEntry

pytestmark = pytest.mark.django_db
REASONS = "The respondent's messages were repeated and intimidating, contrary to the code."


def _panel_case(personas, **kwargs):
    pool(personas)
    case = to_decision(personas, **kwargs)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    return case, user_actor(seated(case)[0])


def test_a_sanction_outside_the_clause_band_needs_a_recorded_reason(personas, default_code):
    case, member = _panel_case(personas)  # BUL-1: reminder of conduct to suspension
    with pytest.raises(MissingInformation) as info:
        services.decision_record(actor=member, case=case, outcome="referral_for_expulsion", findings=findings(case, "BUL-1"), reasons=REASONS)
    assert info.value.field == "band_departure_reason"
    assert "BUL-1" in info.value.message
    assert not Decision.objects.filter(case=case).exists()


def test_a_departure_from_the_band_with_a_reason_is_recorded_in_the_audit_log(personas, default_code):
    case, member = _panel_case(personas)
    decision = services.decision_record(
        actor=member, case=case, outcome="referral_for_expulsion", findings=findings(case, "BUL-1"), reasons=REASONS,
        band_departure_reason="A sustained campaign over two years against several members.",
    )
    assert decision.band_departure_reason.startswith("A sustained campaign")
    payload = json.loads(AuditEvent.objects.filter(action="decision.recorded").last().payload)
    assert payload["band_departures"] == [{"clause": "BUL-1", "lowest": "reminder_of_conduct", "highest": "suspension"}]


def test_a_sanction_too_lenient_for_the_band_also_needs_a_reason(personas, default_code):
    case, member = _panel_case(personas, category="antisemitism", clause_id="AS-5")
    with pytest.raises(MissingInformation, match="outside the guidance"):
        services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "AS-5"), reasons=REASONS)


def test_a_sanction_within_the_band_needs_no_departure_reason(personas, default_code):
    case, member = _panel_case(personas)
    decision = services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS,
                                        band_departure_reason="Ignored because nothing departs.")
    assert decision.band_departure_reason == ""
    case.refresh_from_db()
    assert case.stage == "written_decision" and case.outcome == "formal_warning"


def test_a_decision_cannot_be_recorded_without_reasons(personas, default_code):
    case, member = _panel_case(personas)
    with pytest.raises(MissingInformation) as info:
        services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons="  ")
    assert info.value.field == "reasons"


def test_a_decision_cannot_be_issued_without_reasons(personas, default_code):
    case, member = _panel_case(personas)
    decision = services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS)
    Decision.objects.filter(pk=decision.pk).update(reasons="")
    with pytest.raises(MissingInformation, match="no written reasons"):
        services.decision_issue(actor=personas.actor("caseworker"), case=case)
    case.refresh_from_db()
    assert case.stage == "written_decision"
    assert not Notification.objects.filter(case=case, kind="decision_issued").exists()


def test_every_allegation_needs_a_finding(personas, default_code):
    case, member = _panel_case(personas)
    with pytest.raises(MissingInformation, match="no finding"):
        services.decision_record(actor=member, case=case, outcome="formal_warning", findings=[], reasons=REASONS)


def test_the_outcome_must_agree_with_the_findings(personas, default_code):
    case, member = _panel_case(personas)
    with pytest.raises(MissingInformation, match="no case to answer"):
        services.decision_record(actor=member, case=case, outcome="no_case_to_answer", findings=findings(case, "BUL-1"), reasons=REASONS)
    with pytest.raises(MissingInformation, match="can only be 'no case to answer'"):
        services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1", upheld=False), reasons=REASONS)


@pytest.mark.parametrize("term", [None, 0, 25])
def test_a_suspension_needs_a_term_within_the_catalogue_limits(personas, default_code, term):
    case, member = _panel_case(personas)
    with pytest.raises(MissingInformation, match="1 to 24 months"):
        services.decision_record(actor=member, case=case, outcome="suspension", term_months=term, findings=findings(case, "BUL-1"), reasons=REASONS)


def test_only_a_seated_panel_member_records_the_decision(personas, default_code):
    case, _ = _panel_case(personas)
    from fairhearing.decisions.models import PoolMember

    outsider = PoolMember.objects.filter(user__role="panel").exclude(user__in=seated(case)).first().user
    for actor in (personas.actor("caseworker"), personas.actor("reviewer"), user_actor(outsider)):
        with pytest.raises(NotPermitted):
            services.decision_record(actor=actor, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS)


def test_a_referral_for_expulsion_goes_to_a_hearing(personas, default_code):
    case, member = _panel_case(personas, category="sexual_harassment", clause_id="HAR-1")
    decision = services.decision_record(actor=member, case=case, outcome="referral_for_expulsion", findings=findings(case, "HAR-1"), reasons=REASONS)
    case.refresh_from_db()
    assert case.stage == "hearing" and decision.status == Decision.Status.REFERRED


def test_issuing_sends_the_written_decision_to_both_parties_and_enters_a_suspension_in_the_registry(personas, default_code):
    case, member = _panel_case(personas)
    services.decision_record(actor=member, case=case, outcome="suspension", term_months=6, findings=findings(case, "BUL-1"), reasons=REASONS)
    services.decision_issue(actor=personas.actor("caseworker"), case=case)
    case.refresh_from_db()
    assert case.stage == "appeal_window"
    letters = Notification.objects.filter(case=case, kind="decision_issued")
    assert sorted(letters.values_list("recipient_role", flat=True)) == ["complainant", "respondent"]
    body = letters.first().body
    for expected in ("BUL-1", "Suspension for a term for 6 months", REASONS, "How to appeal", f"{case.due_on:%-d %B %Y}"):
        assert expected in body
    entry = SanctionEntry.objects.get(case=case)
    assert entry.kind == "suspended" and entry.name == "Sam Respondent" and entry.ends_on is not None


def test_an_upheld_discrimination_finding_carries_mandatory_education(personas, default_code):
    case, member = _panel_case(personas, category="antisemitism", clause_id="AS-3")
    decision = services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "AS-3"), reasons=REASONS)
    assert decision.education_required


def test_a_decision_is_recorded_only_at_the_decision_stage(personas, default_code):
    case, member = _panel_case(personas)
    services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS)
    with pytest.raises(DomainError, match="Panel decision"):
        services.decision_record(actor=member, case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS)
