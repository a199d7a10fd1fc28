"""Subject access: one person's data across cases, third parties redacted, watermarked, logged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client

from fairhearing.audit.models import AuditEvent
from fairhearing.core import clock
from fairhearing.core.errors import MissingInformation, NotPermitted
from fairhearing.core.testing import aware
from fairhearing.intake.tests.helpers import PDF, submit, upload
from fairhearing.privacy.export import THIRD_PARTY, subject_access_export
from fairhearing.privacy.models import SubjectRequest
from fairhearing.privacy.services import subject_request_complete, subject_request_record
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db


def two_complaints() -> None:
    with clock.frozen(aware(2026, 2, 2)):
        submit(files=[upload()], account="Jo Bloggs shouted at me in the meeting.")
        submit(respondent_name="Alex Other", account="Alex Other posted abuse about me.", category="bullying")


def access_request(personas):  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 3, 2)):
        return subject_request_record(actor=personas.actor("overseer"), kind="access", subject_name="Sam Complainant",
                                      subject_email="sam@example.org")


def test_a_request_is_due_one_calendar_month_after_receipt(personas) -> None:  # type: ignore[no-untyped-def]
    request = access_request(personas)
    assert request.received_on == date(2026, 3, 2) and request.due_on == date(2026, 4, 2)


def test_only_the_overseer_records_requests(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        subject_request_record(actor=personas.actor("caseworker"), kind="access", subject_name="Sam")
    with pytest.raises(MissingInformation, match="Choose the kind"):
        subject_request_record(actor=personas.actor("overseer"), kind="everything", subject_name="Sam")


def test_the_export_holds_every_case_with_third_parties_redacted_and_a_watermark(personas) -> None:  # type: ignore[no-untyped-def]
    two_complaints()
    request = access_request(personas)
    name, data = subject_access_export(actor=personas.actor("overseer"), request=request)
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    cases = [n for n in archive.namelist() if n.startswith("cases/")]
    assert len(cases) == 2
    texts = [archive.read(n).decode() for n in cases]
    joined = "\n".join(texts)
    assert "Jo Bloggs" not in joined and "Alex Other" not in joined and THIRD_PARTY in joined
    assert "Sam Complainant" in joined  # their own name is their data
    for text in texts:
        assert "made by Olu Overseer" in json.loads(text)["watermark"]
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 1 and archive.read(files[0]) == PDF
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_by_id"] == str(personas.overseer.public_id)
    event = AuditEvent.objects.filter(action="subject_access.exported").get()
    assert event.actor == f"user:{personas.overseer.public_id}" and "Sam" not in event.payload


def test_an_erasure_request_anonymises_closed_cases_and_leaves_open_ones(personas) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 2, 2)):
        closed = submit().case
        still_open = submit(respondent_name="Alex Other", category="bullying").case
        actor = personas.actor("caseworker")
        closed = case_transition(actor=actor, case=closed, transition_key="acknowledge")
        case_transition(actor=actor, case=closed, transition_key="close_at_triage", reasons="Not within the code.", outcome="out_of_scope")
        request = subject_request_record(actor=personas.actor("overseer"), kind="erasure", subject_name="Sam Complainant")
        subject_request_complete(actor=personas.actor("overseer"), request=request, outcome="Closed case erased; open case kept.")
    closed.refresh_from_db()
    assert hasattr(closed, "anonymisation") and not hasattr(still_open, "anonymisation")
    assert request.status == SubjectRequest.Status.DONE


def test_the_queue_and_export_pages_are_for_the_overseer_only(personas) -> None:  # type: ignore[no-untyped-def]
    two_complaints()
    request = access_request(personas)
    client = Client()
    client.force_login(personas.caseworker)
    assert client.get("/privacy/requests/").status_code == 404
    assert client.post(f"/privacy/requests/{request.public_id}/export").status_code == 404
    client.force_login(personas.overseer)
    page = client.get("/privacy/requests/")
    assert page.status_code == 200 and "Sam Complainant" in page.content.decode()
    response = client.post(f"/privacy/requests/{request.public_id}/export")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"


def test_the_case_page_buttons_place_and_lift_a_hold(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.core.testing import open_case
    from fairhearing.privacy.models import LegalHold

    case = open_case(personas)
    client = Client()
    client.force_login(personas.caseworker)
    short = client.post(f"/privacy/cases/{case.public_id}/hold", {"reason": "short"})
    assert short.status_code == 302 and not LegalHold.objects.exists()
    client.post(f"/privacy/cases/{case.public_id}/hold", {"reason": "Regulator's inquiry opened in March."})
    hold = LegalHold.objects.get()
    client.force_login(personas.panel)
    assert client.post(f"/privacy/holds/{hold.public_id}/lift").status_code == 404
    client.force_login(personas.overseer)
    assert client.post(f"/privacy/holds/{hold.public_id}/lift").status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None


def held_as_spam(personas, *, confirm: bool):  # type: ignore[no-untyped-def]
    """Sam's complaint about Jo Bloggs, held by the form as spam, with a file and a message."""
    from fairhearing.intake import services as intake
    from fairhearing.intake.tests.helpers import data

    with clock.frozen(aware(2026, 2, 2)):
        result = intake.complaint_submit(data=data(files=[upload()], account="Jo Bloggs shouted at Sam Complainant."),
                                         ip="198.51.100.1", honeypot="x", fill_seconds=60.0)
        intake.complaint_message_send(complaint=result.complaint, text="Sam Complainant here: did my complaint arrive?")
        if confirm:
            intake.spam_review(actor=personas.actor("caseworker"), hold=result.complaint.spam_hold, release=False,
                               note="Sam Complainant sent this forty times")
    return result.complaint


def test_the_export_holds_the_persons_complaints_held_as_spam(personas) -> None:  # type: ignore[no-untyped-def]
    complaint = held_as_spam(personas, confirm=True)
    request = access_request(personas)
    _, data = subject_access_export(actor=personas.actor("overseer"), request=request)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert [n for n in archive.namelist() if n.startswith("cases/")] == []
    doc = json.loads(archive.read(f"complaints/{complaint.reference}.json"))
    assert doc["status"] == "Confirmed as spam" and doc["your_name"] == "Sam Complainant"
    assert "Jo Bloggs" not in json.dumps(doc) and THIRD_PARTY in doc["account"]
    assert [m["text"] for m in doc["messages"]] == ["Sam Complainant here: did my complaint arrive?"]
    assert [archive.read(n) for n in archive.namelist() if n.startswith("files/")] == [PDF]
    assert json.loads(archive.read("manifest.json"))["complaints_outside_cases"] == [complaint.reference]
    assert '"complaints_outside_cases":1' in AuditEvent.objects.get(action="subject_access.exported").payload.replace(" ", "")


def test_an_erasure_request_anonymises_the_persons_confirmed_spam_at_once(personas, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.audit.models import StatedReason
    from fairhearing.intake.files import evidence_storage
    from fairhearing.privacy.models import SpamAnonymisation

    confirmed = held_as_spam(personas, confirm=True)
    stored = list(confirmed.evidence.exclude(stored_name="").values_list("stored_name", flat=True))
    with clock.frozen(aware(2026, 3, 2)), django_capture_on_commit_callbacks(execute=True):
        request = subject_request_record(actor=personas.actor("overseer"), kind="erasure", subject_name="Sam Complainant")
        subject_request_complete(actor=personas.actor("overseer"), request=request, outcome="Held complaint erased at once.")
    confirmed.refresh_from_db()
    assert confirmed.complainant_name == "" and "Sam" not in confirmed.account
    assert SpamAnonymisation.objects.get(complaint=confirmed).rule == "erasure_request"
    note = StatedReason.objects.get(action="complaint.spam_reviewed")
    assert note.text == "" and note.erased_under == "erasure"
    assert stored and not any(evidence_storage().exists(name) for name in stored)
    assert '"spam_complaints_anonymised":1' in AuditEvent.objects.get(action="subject_request.completed").payload.replace(" ", "")


def test_an_erasure_request_leaves_a_complaint_still_waiting_for_review(personas) -> None:  # type: ignore[no-untyped-def]
    pending = held_as_spam(personas, confirm=False)
    with clock.frozen(aware(2026, 3, 2)):
        request = subject_request_record(actor=personas.actor("overseer"), kind="erasure", subject_name="Sam Complainant")
        subject_request_complete(actor=personas.actor("overseer"), request=request, outcome="Nothing closed to erase yet.")
    pending.refresh_from_db()
    assert pending.complainant_name == "Sam Complainant"
