"""Evidence through the API: files on a submission, a message and the evidence endpoint, and the
respondent's reply, checked by the same content checks and limits as the web forms, with
problem details that name the file and the fix."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Complaint, Party
from fairhearing.core import clock
from fairhearing.intake import services
from fairhearing.intake.files import evidence_storage
from fairhearing.intake.forms import form_started_token
from fairhearing.intake.models import Evidence, HearingMoveRequest, Message, RespondentReply
from fairhearing.intake.tests.helpers import PDF, PNG, submit

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
FIELDS = {"category": "bullying", "respondent_name": "Jo Bloggs", "account": "Jo shouted at me at the branch meeting.",
          "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org"}


def multipart(client, path, fields, files=()):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1{path}", {**fields, "files": list(files)})


def as_json(client, path, body):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_a_complaint_is_submitted_with_files_and_each_is_stored_with_its_digest(client) -> None:  # type: ignore[no-untyped-def]
    response = multipart(client, "/complaints", FIELDS, [SimpleUploadedFile("screenshot.png", PNG), SimpleUploadedFile("minutes.pdf", PDF)])
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == 2
    complaint = Complaint.objects.get(reference=response.json()["reference"])
    stored = {e.original_name: e for e in Evidence.objects.filter(complaint=complaint)}
    assert set(stored) == {"screenshot.png", "minutes.pdf"}
    assert stored["minutes.pdf"].content_type == "application/pdf"
    with evidence_storage().open(stored["minutes.pdf"].stored_name, "rb") as handle:
        assert handle.read() == PDF
    event = AuditEvent.objects.get(action="complaint.submitted", subject=f"complaint:{complaint.public_id}")
    assert len(json.loads(event.payload)["evidence"]) == 2


def test_multipart_fields_are_read_as_the_json_body_would_be(client) -> None:  # type: ignore[no-untyped-def]
    response = multipart(client, "/complaints", {**FIELDS, "anonymous": "true", "complainant_name": "", "conduct_first_date": "2026-03-03"})
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(reference=response.json()["reference"])
    assert complaint.anonymous and complaint.conduct_first_date.isoformat() == "2026-03-03"


@pytest.mark.parametrize("upload, words", [
    (SimpleUploadedFile("holiday.jpg", PDF), "holiday.jpg is named as a .jpg file but its content is a PDF. Rename it to end in .pdf"),
    (SimpleUploadedFile("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4), "tool.pdf is not a kind of file that can be accepted"),
    (SimpleUploadedFile("empty.pdf", b""), "empty.pdf is empty"),
])
def test_a_refused_file_is_named_with_the_fix_and_nothing_is_stored(client, upload, words) -> None:  # type: ignore[no-untyped-def]
    response = multipart(client, "/complaints", FIELDS, [SimpleUploadedFile("fine.png", PNG), upload])
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert words in body["detail"] and body["errors"] == [{"field": "files", "message": body["detail"]}]
    assert not Complaint.objects.exists() and not Evidence.objects.exists()


def test_the_api_refuses_a_file_with_the_web_forms_own_words(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("fairhearing.intake.views.seconds_since", lambda token: 60.0)
    bad = PDF
    web = client.post(reverse("intake:complain"), {**FIELDS, "consent": "on", "started": form_started_token(),
                                                   "files": [SimpleUploadedFile("holiday.jpg", bad)]})
    api = multipart(client, "/complaints", FIELDS, [SimpleUploadedFile("holiday.jpg", bad)])
    assert web.status_code == 400 and api.status_code == 400
    assert api.json()["detail"] in web.content.decode().replace("&#x27;", "'")


def test_a_file_over_10_mb_is_not_read_whole_and_is_named(client) -> None:  # type: ignore[no-untyped-def]
    big = SimpleUploadedFile("huge.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = multipart(client, "/complaints", FIELDS, [big])
    assert response.status_code == 400
    assert response.json()["detail"].startswith("huge.pdf is larger than 10 MB") and "split it" in response.json()["detail"]
    assert not Complaint.objects.exists()


def test_six_files_are_refused_as_on_the_form(client) -> None:  # type: ignore[no-untyped-def]
    files = [SimpleUploadedFile(f"page{n}.png", PNG) for n in range(6)]
    response = multipart(client, "/complaints", FIELDS, files)
    assert response.status_code == 400 and "at most 5 files" in response.json()["detail"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("field, value, words", [
    ("complainant_email", "not-an-address", "Enter an email address"),
    ("links", "not a link", "is not a web link"),
])
def test_fields_the_form_checks_are_checked_here(client, field, value, words) -> None:  # type: ignore[no-untyped-def]
    response = as_json(client, "/complaints", {**FIELDS, field: value})
    assert response.status_code == 422 and words in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == field


def test_a_body_that_is_not_json_is_a_clear_400(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/complaints", "{not json", content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM and "not valid JSON" in response.json()["detail"]


def _lookup(client):  # type: ignore[no-untyped-def]
    receipt = as_json(client, "/complaints", FIELDS).json()
    return {"reference": receipt["reference"], "receipt_code": receipt["receipt_code"]}


def test_a_message_carries_files_and_the_status_lists_them(client) -> None:  # type: ignore[no-untyped-def]
    lookup = _lookup(client)
    sent = multipart(client, "/complaints/messages", {**lookup, "text": "Two more screenshots."}, [SimpleUploadedFile("more.png", PNG)])
    assert sent.status_code == 201, sent.content
    assert [e["name"] for e in sent.json()["evidence"]] == ["more.png"]
    status = as_json(client, "/complaints/status", lookup).json()
    assert status["messages"][0]["text"] == "Two more screenshots." and status["evidence"][0]["name"] == "more.png"
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[-2:]
    assert actions == ["complaint.message_received", "complaint.evidence_added"]


def test_a_message_with_a_refused_file_is_not_sent_either(client) -> None:  # type: ignore[no-untyped-def]
    lookup = _lookup(client)
    refused = multipart(client, "/complaints/messages", {**lookup, "text": "See attached."}, [SimpleUploadedFile("more.pdf", PNG)])
    assert refused.status_code == 400 and "more.pdf is named as a .pdf file but its content is a PNG image" in refused.json()["detail"]
    assert not Message.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_added_as_on_the_status_page(client) -> None:  # type: ignore[no-untyped-def]
    lookup = _lookup(client)
    added = multipart(client, "/complaints/evidence", {**lookup, "pasted_text": "The post said …", "links": "https://example.org/post/1"},
                      [SimpleUploadedFile("post.png", PNG)])
    assert added.status_code == 201, added.content
    assert sorted(e["kind"] for e in added.json()) == ["file", "link", "text"]
    empty = as_json(client, "/complaints/evidence", lookup)
    assert empty.status_code == 400 and "Attach a file, paste some text or give a link" in empty.json()["detail"]
    wrong = multipart(client, "/complaints/evidence", {**lookup, "receipt_code": "WRONG"}, [SimpleUploadedFile("post.png", PNG)])
    assert wrong.status_code == 404 and Evidence.objects.count() == 3


# -- the respondent's link ---------------------------------------------------------------------------


def _link(**extra):  # type: ignore[no-untyped-def]
    result = submit(**extra)
    party = Party.objects.get(case=result.case, kind="respondent")
    url = services.respondent_link_issue(case=result.case, party=party)
    return url.rstrip("/").rsplit("/", 1)[1], party


def test_a_respondent_reads_the_pack_fetches_a_file_and_replies_with_a_file(client) -> None:  # type: ignore[no-untyped-def]
    token, party = _link(files=[SimpleUploadedFile("proof.pdf", PDF)])
    pack = as_json(client, "/respondent/pack", {"token": token})
    assert pack.status_code == 200, pack.content
    body = pack.json()
    assert "Jo said something antisemitic" in body["allegations"][0]["text"]
    item = next(e for e in body["evidence"] if e["name"] == "proof.pdf")
    assert AuditEvent.objects.filter(action="respondent.pack_viewed").count() == 1
    fetched = as_json(client, "/respondent/pack/file", {"token": token, "evidence": item["public_id"]})
    assert fetched.status_code == 200 and fetched["Content-Type"] == "application/pdf"
    assert b"".join(fetched.streaming_content) == PDF
    reply = multipart(client, "/respondent/replies", {"token": token, "text": "I deny this."}, [SimpleUploadedFile("answer.txt", b"My answer")])
    assert reply.status_code == 201 and reply.json()["files"] == 1
    assert RespondentReply.objects.get(party=party).text == "I deny this."
    assert Evidence.objects.filter(supplied_by="respondent", original_name="answer.txt").exists()


def test_a_respondents_file_gone_from_storage_is_explained_on_the_page_and_by_the_api(client) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from fairhearing.intake.files import evidence_storage

    token, _ = _link(files=[SimpleUploadedFile("proof.pdf", PDF)])
    item = Evidence.objects.get(original_name="proof.pdf")
    evidence_storage().delete(item.stored_name)
    api = as_json(client, "/respondent/pack/file", {"token": token, "evidence": str(item.public_id)})
    assert api.status_code == 410 and "no longer in storage" in api.json()["detail"]
    page = client.get(reverse("intake:respond_evidence", kwargs={"token": token, "public_id": item.public_id}), follow=True)
    assert page.status_code == 200 and b"no longer in storage" in page.content


def test_a_respondents_refused_file_is_named_and_the_reply_is_not_kept(client) -> None:  # type: ignore[no-untyped-def]
    token, party = _link()
    reply = multipart(client, "/respondent/replies", {"token": token, "text": "I deny this."}, [SimpleUploadedFile("answer.docx", PDF)])
    assert reply.status_code == 400 and "answer.docx is named as a .docx file" in reply.json()["detail"]
    assert not RespondentReply.objects.filter(party=party).exists()


def test_a_hearing_can_be_asked_to_move_once(client) -> None:  # type: ignore[no-untyped-def]
    token, party = _link()
    first = as_json(client, "/respondent/hearing-move", {"token": token, "reason": "I am in hospital that week."})
    assert first.status_code == 201
    again = as_json(client, "/respondent/hearing-move", {"token": token, "reason": "Another week please, sorry."})
    assert again.status_code == 400 and "only once" in again.json()["detail"]
    assert HearingMoveRequest.objects.filter(party=party).count() == 1


def test_a_wrong_link_is_404_and_an_expired_or_replaced_one_is_410(client) -> None:  # type: ignore[no-untyped-def]
    token, party = _link()
    wrong = as_json(client, "/respondent/pack", {"token": token[:-2] + "xx"})
    assert wrong.status_code == 404 and "not recognised" in wrong.json()["detail"]
    with clock.frozen(clock.now() + timedelta(days=60)):
        expired = as_json(client, "/respondent/pack", {"token": token})
    assert expired.status_code == 410 and expired["Content-Type"] == PROBLEM and "expired" in expired.json()["detail"]
    services.respondent_link_issue(case=party.case, party=party)
    assert as_json(client, "/respondent/replies", {"token": token, "text": "Late reply."}).status_code == 410
