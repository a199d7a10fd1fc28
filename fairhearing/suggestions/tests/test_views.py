from __future__ import annotations

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.services import case_assign
from fairhearing.suggestions.models import Suggestion
from fairhearing.suggestions.selectors import mark_triggers
from fairhearing.suggestions.tests.helpers import case_with_texts

BANNER = "Suggestions are pointers for a caseworker to check, never findings."


@pytest.fixture
def screened(personas, default_code, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from fairhearing.suggestions.tasks import screen_new

    case = case_with_texts(personas)
    with django_capture_on_commit_callbacks(execute=True):
        screen_new()
    return case


def _url(case) -> str:  # type: ignore[no-untyped-def]
    return f"/suggestions/case/{case.public_id}/"


def test_the_assigned_caseworker_sees_suggestions_with_buttons_and_the_read_is_audited(client, personas, screened) -> None:
    client.force_login(personas.caseworker)
    page = client.get(_url(screened)).content.decode()
    assert BANNER in page
    assert "AS-2</a> Conspiracy and power myths" in page
    assert "<mark>" in page and 'value="accept"' in page and 'value="reject"' in page
    event = AuditEvent.objects.get(action="suggestion.viewed")
    assert event.subject == f"case:{screened.public_id}" and event.actor == f"user:{personas.caseworker.public_id}"


@pytest.mark.parametrize("persona", ["caseworker2", "panel", "reviewer", "organiser", "admin"])
def test_someone_who_cannot_see_the_case_gets_a_404(client, personas, screened, persona) -> None:
    client.force_login(getattr(personas, persona))
    assert client.get(_url(screened)).status_code == 404
    suggestion = Suggestion.objects.filter(run__case=screened).first()
    assert client.post(f"/suggestions/{suggestion.public_id}/decide/", {"decision": "accept"}).status_code == 404
    assert not AuditEvent.objects.filter(action="suggestion.viewed").exists()


@pytest.mark.parametrize("persona", ["panel", "overseer"])
def test_others_who_see_the_case_read_it_without_buttons_and_cannot_decide(client, personas, screened, persona) -> None:
    case_assign(actor=personas.actor("caseworker"), case=screened, user=personas.panel, role="panel")
    client.force_login(getattr(personas, persona))
    page = client.get(_url(screened)).content.decode()
    assert BANNER in page and "AS-2" in page and 'value="accept"' not in page
    suggestion = Suggestion.objects.filter(run__case=screened).first()
    response = client.post(f"/suggestions/{suggestion.public_id}/decide/", {"decision": "accept"}, follow=True)
    assert "Only the caseworker assigned to this case" in response.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_the_caseworker_accepts_and_rejects_from_the_page(client, personas, screened) -> None:
    client.force_login(personas.caseworker)
    first = Suggestion.objects.filter(run__case=screened).first()
    response = client.post(f"/suggestions/{first.public_id}/decide/", {"decision": "reject", "note": "Reported, not said."}, follow=True)
    page = response.content.decode()
    assert "Nothing about the case has been decided" in page and "Reported, not said." in page
    assert Suggestion.objects.get(pk=first.pk).status == "rejected"
    bad = client.post(f"/suggestions/{first.public_id}/decide/", {"decision": "maybe"}, follow=True)
    assert "Choose Accept or Reject" in bad.content.decode()


def test_a_case_with_nothing_screened_says_so(client, personas, default_code) -> None:
    case = case_with_texts(personas)
    client.force_login(personas.caseworker)
    assert "No text of this case has been screened yet" in client.get(_url(case)).content.decode()


def test_trigger_words_are_marked_whatever_their_case_and_spacing() -> None:
    pieces, unmatched = mark_triggers("They said THE Jews  control the media, twice.", ["the jews control the media", "zionist"])
    assert [p.text for p in pieces if p.marked] == ["THE Jews  control the media"]
    assert "".join(p.text for p in pieces) == "They said THE Jews  control the media, twice."
    assert unmatched == ["zionist"]


def test_overlapping_triggers_are_marked_once() -> None:
    pieces, _ = mark_triggers("jews control the media", ["jews control", "control the media"])
    assert [p.text for p in pieces if p.marked] == ["jews control the media"]
