"""Typed reasons kept outside the hashed payload: stored, cited, shown only when they match the
chain, and erased with their case (decision 0017)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from fairhearing.audit.models import AuditEvent, StatedReason
from fairhearing.audit.reasons import (
    reason_digest,
    shown_reasons,
    stated_reason_create,
    stated_reasons_erase,
)
from fairhearing.core import clock
from fairhearing.core.testing import aware, open_case
from fairhearing.privacy.services import case_anonymise
from fairhearing.workflow.services import case_pause, case_transition

pytestmark = pytest.mark.django_db
TEXT = "Waiting for Jo Bloggs to send the screenshots."


def _paused(personas):  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
        case_pause(actor=personas.actor("caseworker"), case=case, pause_key="awaiting_complainant", reason=TEXT)
    return case, AuditEvent.objects.get(action="case.paused")


def test_equal_texts_get_different_salted_digests_and_neither_is_the_plain_hash(personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas)
    with transaction.atomic():
        first = stated_reason_create(action="case.paused", field="reason", text=TEXT, case=case)
        second = stated_reason_create(action="case.paused", field="reason", text=f"  {TEXT}\n", case=case)
    assert first is not None and second is not None
    assert first["sha256"] != second["sha256"]
    assert hashlib.sha256(TEXT.encode()).hexdigest() not in (first["sha256"], second["sha256"])
    row = StatedReason.objects.get(public_id=second["stated_reason"])
    assert row.text == TEXT and reason_digest(row.salt, row.text) == second["sha256"] == row.sha256


def test_empty_text_stores_nothing_and_is_cited_as_null(personas) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        assert stated_reason_create(action="case.resumed", field="reason", text="   ") is None
    assert not StatedReason.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_text_is_stored_only_inside_the_services_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        stated_reason_create(action="case.paused", field="reason", text=TEXT)
    assert not StatedReason.objects.exists()


def test_a_refused_step_leaves_no_stored_text(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.core.errors import NotPermitted

    case = open_case(personas)
    with pytest.raises(NotPermitted):
        case_transition(actor=personas.actor("caseworker2"), case=case, transition_key="acknowledge", reasons=TEXT)
    assert not StatedReason.objects.exists()


def test_the_payload_cites_the_text_and_the_page_shows_it_checked_against_the_chain(client, personas) -> None:  # type: ignore[no-untyped-def]
    case, event = _paused(personas)
    cited = json.loads(event.payload)["reason"]
    assert set(cited) == {"stated_reason", "sha256"} and "Jo Bloggs" not in event.payload
    client.force_login(personas.caseworker)
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert TEXT in page

    StatedReason.objects.filter(public_id=cited["stated_reason"]).update(text="Waiting for nobody in particular.")
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "Waiting for nobody" not in page and "does not match the digest in the audit log" in page


@pytest.mark.parametrize("change", ["salt", "sha256", "delete"])
def test_a_row_that_no_longer_matches_the_chain_is_never_shown(personas, change) -> None:  # type: ignore[no-untyped-def]
    _, event = _paused(personas)
    row = StatedReason.objects.get()
    if change == "salt":
        StatedReason.objects.filter(pk=row.pk).update(salt="00" * 16)
    elif change == "sha256":  # text and digest rewritten together: the chain still disagrees
        StatedReason.objects.filter(pk=row.pk).update(text="Other.", sha256=reason_digest(row.salt, "Other."))
    else:
        StatedReason.objects.filter(pk=row.pk).delete()
    [shown] = shown_reasons([event])[event.seq]
    assert shown.text == "" and shown.state == ("missing" if change == "delete" else "altered")


def test_after_anonymisation_the_log_says_when_and_why_the_text_was_erased(client, personas) -> None:  # type: ignore[no-untyped-def]
    case, event = _paused(personas)
    with clock.frozen(aware(2026, 3, 3)):
        from fairhearing.workflow.services import case_resume

        case_resume(actor=personas.actor("caseworker"), case=case)
        case_transition(actor=personas.actor("caseworker"), case=case, transition_key="close_at_triage",
                        reasons="Not within the code of conduct.", outcome="no_further_action")
    with clock.frozen(aware(2028, 3, 6)):
        case_anonymise(actor=personas.actor("overseer"), case=case, rule="outcomes.no_further_action", due=clock.today())
    row = StatedReason.objects.get(action="case.paused")
    assert (row.text, row.salt, row.erased_under) == ("", "", "retention") and row.sha256 == json.loads(event.payload)["reason"]["sha256"]
    client.force_login(personas.overseer)
    page = client.get("/audit/events/", {"subject": f"case:{case.public_id}"}).content.decode()
    assert "Erased under the retention schedule on 6 March 2028" in page and TEXT not in page


def test_erasure_on_request_is_named_as_such(personas) -> None:  # type: ignore[no-untyped-def]
    _, event = _paused(personas)
    case = StatedReason.objects.get().case
    with clock.frozen(aware(2026, 4, 1)), transaction.atomic():
        assert stated_reasons_erase(case=case, under="erasure") == 1
        assert stated_reasons_erase(case=case, under="erasure") == 0
    [shown] = shown_reasons([event])[event.seq]
    assert shown.status == "erased on the person's erasure request on 1 April 2026"


def test_a_moved_complaints_reason_goes_when_either_case_is_anonymised(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.intake.services import complaint_unlink
    from fairhearing.intake.tests.helpers import submit

    with clock.frozen(aware(2026, 3, 2)):
        first = submit()
        second = submit(ip="192.0.2.9")
        new = complaint_unlink(actor=personas.actor("caseworker"), complaint=second.complaint, reason="A different incident, says Jo Bloggs.")
        row = StatedReason.objects.get(action="complaint.unlinked")
        assert row.case == new  # tied to where the complaint now lives ...
        assert AuditEvent.objects.get(action="complaint.unlinked").subject == f"case:{first.case.public_id}"  # ... cited from the old
        with transaction.atomic():
            assert stated_reasons_erase(case=first.case, under="retention") == 1
    row.refresh_from_db()
    assert row.text == "" and row.erased_at is not None
