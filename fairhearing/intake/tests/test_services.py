from __future__ import annotations

import hashlib

import pytest
from django.core import mail

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Case, Complaint, Member, Party
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.core.identifiers import REFERENCE_ALPHABET
from fairhearing.intake import services
from fairhearing.intake.models import ComplaintLink, Evidence, SpamHold
from fairhearing.intake.receipts import code_matches
from fairhearing.intake.tests.helpers import PDF, data, submit, upload

pytestmark = pytest.mark.django_db


def test_it_stores_complaint_evidence_audit_event_and_case_together():
    result = submit(files=[upload()], pasted_text="A quoted post", links="https://example.org/post/1")
    complaint = Complaint.objects.get(pk=result.complaint.pk)
    assert complaint.case is not None and complaint.case.stage == "received"
    kinds = sorted(Evidence.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds == ["file", "link", "text"]
    stored = Evidence.objects.get(complaint=complaint, kind="file")
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.stored_name != "evidence.pdf" and stored.content_type == "application/pdf"
    event = AuditEvent.objects.get(action="complaint.submitted", subject=f"complaint:{complaint.public_id}")
    assert complaint.submission_event_hash == event.hash


def test_it_gives_a_receipt_code_of_at_least_80_bits_and_stores_only_its_hash():
    result = submit()
    body = result.receipt_code.replace("-", "")
    assert len(body) == 20 and set(body) <= set(REFERENCE_ALPHABET)
    assert len(body) * __import__("math").log2(len(REFERENCE_ALPHABET)) >= 80
    assert body not in result.complaint.receipt_hash
    assert code_matches(result.receipt_code.lower(), result.complaint.receipt_hash)
    assert not code_matches("X" * 20, result.complaint.receipt_hash)


def test_it_stores_nothing_when_a_file_is_refused():
    before = (Complaint.objects.count(), Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError):
        submit(files=[upload("photo.jpg", PDF)])
    assert (Complaint.objects.count(), Case.objects.count(), AuditEvent.objects.count()) == before


def test_it_rolls_everything_back_when_the_case_cannot_be_opened(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "case_open_for_complaint", broken)
    with pytest.raises(RuntimeError):
        submit(files=[upload()])
    assert Complaint.objects.count() == 0 and Evidence.objects.count() == 0
    assert not AuditEvent.objects.filter(action="complaint.submitted").exists()


def test_it_links_a_second_complaint_to_the_open_case_about_the_same_member():
    Member.objects.create(membership_number="M100", name="Jo Bloggs")
    first = submit(respondent_membership_number="M100")
    second = submit(respondent_name="J. Bloggs", respondent_membership_number="M100", ip="192.0.2.9")
    assert second.linked and second.case == first.case
    assert Party.objects.filter(case=first.case, kind="complainant").count() == 2
    assert ComplaintLink.objects.get(complaint=second.complaint).matched_on == "membership_number"


def test_it_links_by_normalised_name_when_no_number_is_given():
    first = submit(respondent_name="José  O'Brien")
    second = submit(respondent_name="jose obrien", ip="192.0.2.9")
    assert second.linked and second.case == first.case


def test_a_caseworker_can_unlink_and_the_complaint_gets_its_own_case(personas):
    first = submit()
    second = submit(ip="192.0.2.9")
    new_case = services.complaint_unlink(actor=personas.actor("caseworker"), complaint=second.complaint,
                                         reason="Different incident and a different Jo Bloggs.")
    second.complaint.refresh_from_db()
    assert new_case != first.case and second.complaint.case == new_case
    assert Party.objects.filter(case=first.case, kind="complainant", ended_at__isnull=True).count() == 1
    # The unlinked complainant's row stays on the old case, ended, not deleted.
    left = Party.objects.get(case=first.case, kind="complainant", complaint=second.complaint)
    assert left.ended_at is not None
    assert AuditEvent.objects.filter(action="complaint.unlinked").exists()


def test_unlinking_needs_a_reason(personas):
    submit()
    second = submit(ip="192.0.2.9")
    with pytest.raises(MissingInformation):
        services.complaint_unlink(actor=personas.actor("caseworker"), complaint=second.complaint, reason="no")


def test_it_sends_an_acknowledgement_only_when_an_address_was_given(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    assert len(mail.outbox) == 1 and "received" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(complainant_email="", ip="192.0.2.9")
    assert mail.outbox == []


def test_a_mail_failure_does_not_lose_the_submission(monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail import EmailMessage

    monkeypatch.setattr(EmailMessage, "send", lambda self: (_ for _ in ()).throw(OSError("mail server down")))
    with django_capture_on_commit_callbacks(execute=True):
        result = submit()
    assert Complaint.objects.filter(pk=result.complaint.pk, case__isnull=False).exists()
    from fairhearing.cases.models import Notification

    assert Notification.objects.get(kind="complaint_acknowledged").status == "queued"


@pytest.mark.parametrize("fields, reason", [
    ({"honeypot": "http://spam"}, "hidden field"),
    ({"fill_seconds": 0.5}, "seconds"),
    ({"fill_seconds": None}, "seconds"),
])
def test_it_holds_suspected_spam_for_review_instead_of_dropping_it(fields, reason):
    result = services.complaint_submit(data=data(), ip="198.51.100.1", **{"fill_seconds": 60.0, **fields})
    hold = SpamHold.objects.get(complaint=result.complaint)
    assert result.held and result.case is None and any(reason in r for r in hold.reasons)
    assert Complaint.objects.filter(pk=result.complaint.pk).exists()


def test_it_holds_submissions_past_the_per_address_limit():
    results = [submit(ip="198.51.100.7", respondent_name=f"Person {i}") for i in range(services.SUBMISSIONS_PER_HOUR + 1)]
    assert [r.held for r in results] == [False] * services.SUBMISSIONS_PER_HOUR + [True]


def test_a_caseworker_releases_a_held_complaint_and_its_case_opens(personas):
    result = services.complaint_submit(data=data(), ip="198.51.100.1", honeypot="x", fill_seconds=60)
    hold = SpamHold.objects.get(complaint=result.complaint)
    services.spam_review(actor=personas.actor("caseworker"), hold=hold, release=True)
    result.complaint.refresh_from_db()
    assert result.complaint.case is not None


def test_confirming_spam_keeps_the_complaint_and_needs_a_note(personas):
    result = services.complaint_submit(data=data(), ip="198.51.100.1", honeypot="x", fill_seconds=60)
    hold = SpamHold.objects.get(complaint=result.complaint)
    with pytest.raises(MissingInformation):
        services.spam_review(actor=personas.actor("caseworker"), hold=hold, release=False)
    services.spam_review(actor=personas.actor("caseworker"), hold=hold, release=False, note="Advert for watches")
    assert Complaint.objects.filter(pk=result.complaint.pk).exists()


def test_only_caseworkers_review_spam(personas):
    result = services.complaint_submit(data=data(), ip="198.51.100.1", honeypot="x", fill_seconds=60)
    with pytest.raises(NotPermitted):
        services.spam_review(actor=personas.actor("panel"), hold=result.complaint.spam_hold, release=True)


def test_it_finds_the_complaint_with_the_right_code_typed_loosely():
    result = submit()
    found = services.complaint_lookup(reference=result.complaint.reference.lower().replace("-", " "),
                                      code=result.receipt_code.replace("-", "").lower(), ip="203.0.113.5")
    assert found == result.complaint


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer():
    result = submit()
    with pytest.raises(DomainError) as wrong:
        services.complaint_lookup(reference=result.complaint.reference, code="AAAAA-AAAAA-AAAAA-AAAAA", ip="203.0.113.5")
    with pytest.raises(DomainError) as unknown:
        services.complaint_lookup(reference="FH-AAAA-AAAA", code="AAAAA-AAAAA-AAAAA-AAAAA", ip="203.0.113.6")
    assert wrong.value.message == unknown.value.message


def test_repeated_failures_lock_the_reference_even_for_the_right_code_and_are_audited():
    result = submit()
    for i in range(5):
        with pytest.raises(DomainError):
            services.complaint_lookup(reference=result.complaint.reference, code="WRONG", ip=f"203.0.113.{i}")
    with pytest.raises(DomainError, match="locked"):
        services.complaint_lookup(reference=result.complaint.reference, code=result.receipt_code, ip="203.0.113.99")
    assert AuditEvent.objects.filter(action="intake.reference_locked").count() == 1


def test_one_address_is_refused_after_many_failures_across_references():
    for i in range(20):
        with pytest.raises(DomainError):
            services.complaint_lookup(reference=f"FH-AAAA-AA{REFERENCE_ALPHABET[i]}{REFERENCE_ALPHABET[i]}", code="WRONG", ip="203.0.113.50")
    result = submit()
    with pytest.raises(DomainError, match="connection"):
        services.complaint_lookup(reference=result.complaint.reference, code=result.receipt_code, ip="203.0.113.50")


def test_messages_go_both_ways_and_the_reply_is_announced_without_its_text(personas, django_capture_on_commit_callbacks):
    result = submit()
    services.complaint_message_send(complaint=result.complaint, text="Any news?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(actor=personas.actor("caseworker"), complaint=result.complaint, text="Secret detail here")
    assert len(mail.outbox) == 1 and "Secret detail" not in mail.outbox[0].body


def test_a_panel_member_cannot_reply_to_the_complainant(personas):
    result = submit()
    with pytest.raises(NotPermitted):
        services.complaint_reply(actor=user_actor(personas.panel), complaint=result.complaint, text="hello")


def test_the_complainant_can_add_evidence_later():
    result = submit()
    services.complaint_evidence_add(complaint=result.complaint, files=[upload("more.pdf")])
    assert Evidence.objects.filter(complaint=result.complaint, kind="file").count() == 1
    with pytest.raises(MissingInformation):
        services.complaint_evidence_add(complaint=result.complaint, files=[])
