from __future__ import annotations

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.audit.services import event_payload
from fairhearing.cases.services import case_assign
from fairhearing.core import clock
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import aware
from fairhearing.suggestions.models import Suggestion
from fairhearing.suggestions.services import suggestion_decide
from fairhearing.suggestions.tests.helpers import case_with_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(personas, default_code, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from fairhearing.suggestions.tasks import screen_new

    case = case_with_texts(personas)
    with django_capture_on_commit_callbacks(execute=True):
        screen_new()
    return case, Suggestion.objects.filter(run__case=case).order_by("rank").first()


def test_an_acceptance_is_recorded_and_audited(personas, screened) -> None:
    case, suggestion = screened
    with clock.frozen(aware(2026, 3, 3)):
        done = suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=True, note="Matches the post.")
    assert (done.status, done.decided_by, done.decided_at, done.note) == ("accepted", personas.caseworker, aware(2026, 3, 3), "Matches the post.")
    event = AuditEvent.objects.get(action="suggestion.accepted")
    assert event.subject == f"case:{case.public_id}" and event.actor == f"user:{personas.caseworker.public_id}"
    payload = event_payload(event)
    assert payload["clause"] == suggestion.clause_identifier and payload["previous"] == "pending"


def test_a_rejection_is_recorded_and_a_change_of_mind_keeps_both_in_the_log(personas, screened) -> None:
    _, suggestion = screened
    suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=False, note="Quoted to condemn it.")
    assert Suggestion.objects.get(pk=suggestion.pk).status == "rejected"
    suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=True)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "accepted"
    actions = list(AuditEvent.objects.filter(action__startswith="suggestion.").exclude(action="suggestion.viewed").order_by("seq").values_list("action", flat=True))
    assert actions == ["suggestion.rejected", "suggestion.accepted"]


def test_deciding_changes_nothing_about_the_case(personas, screened) -> None:
    case, suggestion = screened
    before = (case.stage, list(case.allegations.values_list("pk", "clauses")))
    suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=True)
    case.refresh_from_db()
    assert (case.stage, list(case.allegations.values_list("pk", "clauses"))) == before


@pytest.mark.parametrize("persona", ["caseworker2", "panel", "overseer", "admin"])
def test_only_the_assigned_caseworker_may_decide(personas, screened, persona) -> None:
    case, suggestion = screened
    case_assign(actor=personas.actor("caseworker"), case=case, user=personas.panel, role="panel")
    with pytest.raises(NotPermitted, match="assigned to this case"):
        suggestion_decide(actor=personas.actor(persona), suggestion=suggestion, accept=True)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"
    assert not AuditEvent.objects.filter(action="suggestion.accepted").exists()


def test_a_note_that_is_too_long_is_refused_with_its_limit(personas, screened) -> None:
    _, suggestion = screened
    with pytest.raises(DomainError, match="under 2000 characters"):
        suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=True, note="x" * 2001)


def test_the_pending_count_falls_as_suggestions_are_decided(personas, screened) -> None:
    from fairhearing.suggestions.selectors import pending_count

    case, suggestion = screened
    before = pending_count(case)
    assert before == Suggestion.objects.filter(run__case=case).count() > 0
    suggestion_decide(actor=personas.actor("caseworker"), suggestion=suggestion, accept=False)
    assert pending_count(case) == before - 1
