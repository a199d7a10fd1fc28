from __future__ import annotations

import pytest
from django.test import Client

from fairhearing.core.errors import DomainError, MissingInformation
from fairhearing.core.testing import open_case
from fairhearing.reports.services import summary_publish, summary_withdraw
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db
TEXT = "A member made remarks at a branch meeting that fell under clause AS-4; the panel issued a formal warning."


def closed_case(personas):  # type: ignore[no-untyped-def]
    case = open_case(personas)
    actor = personas.actor("caseworker")
    case = case_transition(actor=actor, case=case, transition_key="acknowledge")
    return case_transition(actor=actor, case=case, transition_key="close_at_triage", reasons="Outside the code.", outcome="out_of_scope")


def test_a_summary_naming_a_party_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    case = closed_case(personas)
    with pytest.raises(MissingInformation, match="names a party"):
        summary_publish(actor=personas.actor("caseworker"), case=case, text=TEXT + " Sam Respondent apologised.")


def test_an_open_case_cannot_be_summarised(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="closed case"):
        summary_publish(actor=personas.actor("caseworker"), case=open_case(personas), text=TEXT)


def test_a_published_summary_appears_on_the_public_page_until_withdrawn(personas) -> None:  # type: ignore[no-untyped-def]
    case = closed_case(personas)
    client = Client()
    client.force_login(personas.caseworker)
    assert client.post(f"/statistics/summaries/new/{case.public_id}/", {"text": TEXT}).status_code == 302
    public = Client()
    assert TEXT in public.get("/statistics/").content.decode()
    summary_withdraw(actor=personas.actor("caseworker"), summary=case.published_summaries.get())
    assert TEXT not in public.get("/statistics/").content.decode()


def test_the_form_shows_what_to_fix(personas) -> None:  # type: ignore[no-untyped-def]
    case = closed_case(personas)
    client = Client()
    client.force_login(personas.caseworker)
    response = client.post(f"/statistics/summaries/new/{case.public_id}/", {"text": "Too short."})
    assert response.status_code == 400 and "at least 40 characters" in response.content.decode()
    client.force_login(personas.panel)
    assert client.get(f"/statistics/summaries/new/{case.public_id}/").status_code == 404
