from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairhearing.cases.models import Complaint, Party
from fairhearing.core import clock
from fairhearing.intake import services
from fairhearing.intake.forms import form_started_token
from fairhearing.intake.models import RespondentReply
from fairhearing.intake.tests.helpers import PDF, PNG, submit

pytestmark = pytest.mark.django_db

VALID = {
    "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org", "respondent_name": "Jo Bloggs",
    "account": "Jo shouted abuse at the meeting.", "category": "bullying", "consent": "on", "where": "Branch meeting",
}


@pytest.fixture
def slow_start(monkeypatch):
    monkeypatch.setattr("fairhearing.intake.views.seconds_since", lambda token: 60.0)


def _post(client, **extra):
    return client.post(reverse("intake:complain"), {**VALID, "started": form_started_token(), **extra})


def test_the_form_page_is_public_and_carries_a_start_time(client):
    page = client.get(reverse("intake:complain"))
    assert page.status_code == 200 and b'name="started"' in page.content and b'name="website"' in page.content


def test_a_valid_complaint_leads_to_a_receipt_shown_once(client, slow_start):
    response = _post(client, files=[SimpleUploadedFile("e.pdf", PDF)])
    assert response.status_code == 302 and response["Location"] == reverse("intake:receipt")
    receipt = client.get(reverse("intake:receipt")).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.reference in receipt and complaint.submission_event_hash in receipt
    assert re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}", receipt)
    assert client.get(reverse("intake:receipt")).status_code == 410


def test_an_empty_form_names_every_missing_field_and_links_to_it(client):
    response = client.post(reverse("intake:complain"), {})
    body = response.content.decode()
    assert response.status_code == 400
    for anchor, words in [("id_complainant_name", "Enter your name"), ("id_respondent_name", "Enter the name of the person"),
                          ("id_account", "Describe what happened"), ("id_category_0", "Choose the kind"), ("id_consent", "privacy notice")]:
        assert f'href="#{anchor}"' in body and words in body
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("field, value, words", [
    ("complainant_email", "not-an-address", "Enter an email address"),
    ("conduct_first_date", "31/31/2026", "Enter the date"),
    ("links", "not a link", "is not a web link"),
    ("category", "made_up", "Choose one of the kinds of conduct listed"),
])
def test_each_bad_field_gets_its_own_message_and_typed_text_is_kept(client, field, value, words):
    response = _post(client, **{field: value})
    body = response.content.decode()
    assert response.status_code == 400 and words in body and f'href="#id_{field}' in body
    assert "Jo shouted abuse at the meeting." in body and 'value="Sam Complainant"' in body


def test_a_20_mb_file_is_refused_with_a_clear_message(client, slow_start):
    big = SimpleUploadedFile("huge.pdf", PDF + b"0" * (20 * 1024 * 1024))
    response = _post(client, files=[big])
    assert response.status_code == 400 and "huge.pdf is larger than 10 MB" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, slow_start):
    response = _post(client, files=[SimpleUploadedFile("holiday.jpg", PDF)])
    assert response.status_code == 400 and "holiday.jpg is named as a .jpg file but its content is a PDF" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_six_files_are_refused(client, slow_start):
    files = [SimpleUploadedFile(f"f{i}.png", PNG) for i in range(6)]
    response = _post(client, files=files)
    assert response.status_code == 400 and "at most 5 files" in response.content.decode()


def test_a_wrong_receipt_code_gets_a_clear_message(client):
    result = submit()
    response = client.post(reverse("intake:lookup"), {"reference": result.complaint.reference, "code": "WRONG-CODE"})
    assert response.status_code == 400 and "do not match" in response.content.decode()


def test_the_status_page_needs_a_lookup_first(client):
    result = submit()
    response = client.get(reverse("intake:status", args=[result.complaint.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("intake:lookup")


def test_a_complainant_follows_up_sends_a_message_and_reads_the_reply(client, personas):
    result = submit()
    response = client.post(reverse("intake:lookup"), {"reference": result.complaint.reference, "code": result.receipt_code})
    status_url = reverse("intake:status", args=[result.complaint.public_id])
    assert response["Location"] == status_url
    page = client.get(status_url).content.decode()
    assert "Received" in page and "Next deadline" in page
    client.post(reverse("intake:status_message", args=[result.complaint.public_id]), {"text": "Any news please?"})
    services.complaint_reply(actor=personas.actor("caseworker"), complaint=result.complaint, text="We are assessing it now.")
    page = client.get(status_url).content.decode()
    assert "Any news please?" in page and "We are assessing it now." in page
    empty = client.post(reverse("intake:status_message", args=[result.complaint.public_id]), {"text": ""})
    assert empty.status_code == 400 and "Write your message" in empty.content.decode()


def test_a_complainant_adds_a_file_from_the_status_page(client):
    result = submit()
    client.post(reverse("intake:lookup"), {"reference": result.complaint.reference, "code": result.receipt_code})
    url = reverse("intake:status_evidence", args=[result.complaint.public_id])
    assert client.post(url, {"files": [SimpleUploadedFile("more.png", PNG)]}).status_code == 302
    bad = client.post(url, {"files": [SimpleUploadedFile("more.pdf", PNG)]})
    assert bad.status_code == 400 and "content is a PNG" in bad.content.decode()


def _respondent_link(result):
    party = Party.objects.get(case=result.case, kind="respondent")
    return services.respondent_link_issue(case=result.case, party=party), party


def test_a_respondent_opens_the_link_sees_the_allegation_and_evidence_and_replies(client):
    result = submit(files=[SimpleUploadedFile("proof.pdf", PDF)])
    url, party = _respondent_link(result)
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    body = page.content.decode()
    assert page.status_code == 200 and "Jo said something antisemitic" in body and "proof.pdf" in body
    file_url = re.search(r'href="(/respond/[^"]+/evidence/[^"]+/)"', body).group(1)
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = client.post("/" + path, {"text": "I deny this.", "files": [SimpleUploadedFile("answer.txt", b"My answer")]})
    assert response.status_code == 302 and RespondentReply.objects.get(party=party).text == "I deny this."
    move = client.post(reverse("intake:respond_move", args=[path.split("/")[1]]), {"reason": "I am in hospital that week."})
    assert move.status_code == 302
    again = client.post(reverse("intake:respond_move", args=[path.split("/")[1]]), {"reason": "Another week please, sorry."})
    assert again.status_code == 400 or b"already asked" in again.content or b"only once" in again.content


def test_withheld_evidence_is_left_out_and_redacted_text_replaces_the_original(client):
    result = submit(pasted_text="Name of witness: Alex")
    from fairhearing.intake.models import Evidence

    Evidence.objects.filter(kind="text").update(redacted_text="Name of witness: [redacted]")
    url, _ = _respondent_link(result)
    body = client.get("/" + url.split("/", 3)[3]).content.decode()
    assert "[redacted]" in body and "Alex" not in body


@pytest.mark.parametrize("mutate", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: token[:10],
    lambda token: "x" + token,
])
def test_an_altered_link_is_refused_with_a_clear_page(client, mutate):
    result = submit()
    url, _ = _respondent_link(result)
    token = url.rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("intake:respond", args=[mutate(token)]))
    assert response.status_code == 404 and "not recognised" in response.content.decode()


def test_an_expired_link_is_refused_with_a_clear_page(client):
    result = submit()
    url, _ = _respondent_link(result)
    with clock.frozen(clock.now() + timedelta(days=60)):
        response = client.get("/" + url.split("/", 3)[3])
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_a_superseded_link_is_refused_and_the_new_one_works(client):
    result = submit()
    old, party = _respondent_link(result)
    new = services.respondent_link_issue(case=result.case, party=party)
    assert client.get("/" + old.split("/", 3)[3]).status_code == 410
    assert client.get("/" + new.split("/", 3)[3]).status_code == 200


@pytest.mark.parametrize("name", ["staff_complaints", "spam_queue"])
def test_staff_pages_need_sign_in(client, name):
    response = client.get(reverse(f"intake:{name}"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_caseworker_sees_the_new_complaint_and_replies(client, personas):
    result = submit()
    client.force_login(personas.caseworker)
    listing = client.get(reverse("intake:staff_complaints")).content.decode()
    assert result.complaint.reference in listing
    detail = reverse("intake:staff_complaint", args=[result.complaint.public_id])
    assert client.get(detail).status_code == 200
    client.post(reverse("intake:staff_reply", args=[result.complaint.public_id]), {"text": "Thank you, we are on it."})
    assert result.complaint.messages.get().text == "Thank you, we are on it."


def test_a_panel_member_cannot_open_an_unassigned_complaint(client, personas):
    result = submit()
    client.force_login(personas.panel)
    assert client.get(reverse("intake:staff_complaint", args=[result.complaint.public_id])).status_code == 404


def test_a_caseworker_downloads_evidence_and_the_download_is_audited(client, personas):
    from fairhearing.audit.models import AuditEvent
    from fairhearing.intake.models import Evidence

    result = submit(files=[SimpleUploadedFile("proof.pdf", PDF)])
    item = Evidence.objects.get(complaint=result.complaint, kind="file")
    client.force_login(personas.caseworker)
    response = client.get(reverse("intake:staff_evidence", args=[item.public_id]))
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.downloaded").count() == 1
    client.force_login(personas.panel)
    assert client.get(reverse("intake:staff_evidence", args=[item.public_id])).status_code == 404


def test_a_file_gone_from_storage_gives_staff_a_plain_message_and_no_download_event(client, personas):
    from fairhearing.audit.models import AuditEvent
    from fairhearing.intake.files import evidence_storage
    from fairhearing.intake.models import Evidence

    result = submit(files=[SimpleUploadedFile("proof.pdf", PDF)])
    item = Evidence.objects.get(complaint=result.complaint, kind="file")
    evidence_storage().delete(item.stored_name)
    client.force_login(personas.caseworker)
    response = client.get(reverse("intake:staff_evidence", args=[item.public_id]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[result.case.public_id])
    assert b"no longer in storage" in response.content
    assert not AuditEvent.objects.filter(action="evidence.downloaded").exists()
