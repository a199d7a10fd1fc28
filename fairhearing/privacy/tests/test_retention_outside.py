"""Retention of personal data held outside any case, with a frozen clock: a complaint confirmed as
spam, a completed subject-access request, address hashes, sign-in records, task results and
expired sessions. After their periods the person's name is in no text column of any table and no
stored file remains; the statistics are unchanged and the audit log still verifies. A complaint
released from the spam queue belongs to its case and is not erased before the case's rule."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from fairhearing.audit.models import AuditEvent, StatedReason
from fairhearing.audit.reasons import shown_reasons
from fairhearing.cases.models import Complaint
from fairhearing.core import clock
from fairhearing.core.errors import DomainError
from fairhearing.core.testing import aware
from fairhearing.intake import services as intake
from fairhearing.intake.files import evidence_storage
from fairhearing.intake.models import Evidence, LookupAttempt, SpamHold, SubmissionMark
from fairhearing.intake.tests.helpers import data, upload
from fairhearing.privacy.models import Anonymisation, SpamAnonymisation, SubjectRequest
from fairhearing.privacy.outside import records_delete, spam_complaint_anonymise
from fairhearing.privacy.retention import ACTOR, retention_run, spam_due_on
from fairhearing.privacy.services import subject_request_complete, subject_request_record
from fairhearing.privacy.tests.test_retention import (  # noqa: F401
    audit_key,
    columns_containing,
    strings_in_database,
    verify_output,
)
from fairhearing.reports.exports import to_json
from fairhearing.reports.statistics import build_report
from fairhearing.workflow.services import case_transition, tick_run

pytestmark = pytest.mark.django_db

NAME = "Naomi Fairweather"  # complains, is held as spam, then asks for her data
EMAIL = "naomi@example.org"
OTHER = "Rowan Released"  # whose held complaint is released and becomes a case


def held(**overrides):  # type: ignore[no-untyped-def]
    """A complaint the form holds as spam (the hidden field was filled in)."""
    return intake.complaint_submit(data=data(**overrides), ip="198.51.100.1", honeypot="x", fill_seconds=60.0)


def spam_and_request(personas):  # type: ignore[no-untyped-def]
    """The person's complaint is held, she writes and adds a file, a caseworker confirms it as spam
    with a note naming her; later she asks for a copy of her data and the request is completed."""
    caseworker = personas.actor("caseworker")
    with clock.frozen(aware(2026, 2, 2)):
        spam = held(complainant_name=NAME, complainant_email=EMAIL, respondent_name="Jo Bloggs", files=[upload()],
                    account=f"I am {NAME}; Jo Bloggs shouted at me.", pasted_text=f"{NAME} was targeted in this post.",
                    links="https://example.org/naomi-fairweather")
        intake.complaint_message_send(complaint=spam.complaint, text=f"This is {NAME} again: did you get my complaint?")
        with pytest.raises(DomainError):
            intake.complaint_lookup(reference=spam.complaint.reference, code="WRONG-CODE", ip="198.51.100.1")
    with clock.frozen(aware(2026, 2, 3)):
        intake.spam_review(actor=caseworker, hold=spam.complaint.spam_hold, release=False,
                           note=f"Sent by {NAME} forty times in an hour")
    with clock.frozen(aware(2026, 2, 9)):
        request = subject_request_record(actor=personas.actor("overseer"), kind="access", subject_name=NAME, subject_email=EMAIL,
                                         details=f"{NAME} asks for everything held about her")
    with clock.frozen(aware(2026, 2, 10)):
        request = subject_request_complete(actor=personas.actor("overseer"), request=request,
                                           outcome=f"Export sent to {NAME} by post")
    return spam.complaint, request


def released(personas):  # type: ignore[no-untyped-def]
    """A held complaint released by a caseworker: its case opens, and closes at triage (24 months)."""
    caseworker = personas.actor("caseworker")
    with clock.frozen(aware(2026, 2, 2)):
        result = held(complainant_name=OTHER, complainant_email="rowan@example.org", respondent_name="Alex Other",
                      files=[upload()], account=f"{OTHER} was bullied by Alex Other.")
    with clock.frozen(aware(2026, 2, 3)):
        intake.spam_review(actor=caseworker, hold=result.complaint.spam_hold, release=True, note=f"Not spam: {OTHER} rang us")
        result.complaint.refresh_from_db()
        case = case_transition(actor=caseworker, case=result.complaint.case, transition_key="acknowledge")
    with clock.frozen(aware(2026, 2, 5)):
        case = case_transition(actor=caseworker, case=case, transition_key="close_at_triage",
                               reasons="Not within the code of conduct.", outcome="no_further_action")
    return result.complaint, case


def short_lived_records() -> None:
    """A staff sign-in attempt and log, a finished task with an error naming the person, an expired session."""
    axes = [apps.get_model("axes", name) for name in ("AccessAttempt", "AccessFailureLog", "AccessLog")]
    extra = {"AccessAttempt": {"get_data": "", "post_data": f"username={NAME}", "failures_since_start": 1},
             "AccessFailureLog": {"locked_out": False}, "AccessLog": {"session_hash": ""}}
    for model in axes:
        row = model.objects.create(user_agent="Browser/1.0", ip_address="203.0.113.5", username=NAME, http_accept="*/*",
                                   path_info="/accounts/login/", **extra[model.__name__])
        model.objects.filter(pk=row.pk).update(attempt_time=aware(2026, 2, 2))  # attempt_time is set on creation
    task = apps.get_model("django_tasks_database", "DBTaskResult")
    task.objects.create(status="FAILED", args_kwargs={"args": [1], "kwargs": {}}, task_path="fairhearing.cases.tasks.send_notification",
                        backend_name="default", run_after=aware(2026, 2, 2), started_at=aware(2026, 2, 2),
                        finished_at=aware(2026, 2, 2), exception_class_path="smtplib.SMTPRecipientsRefused",
                        traceback=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'{NAME} unknown')}}")
    session = apps.get_model("sessions", "Session")
    session.objects.create(session_key="s" * 32, session_data=f"status-page:{NAME}", expire_date=aware(2026, 2, 2, 18))


def test_outside_cases_no_personal_data_outlives_its_period_and_figures_and_log_hold(personas, audit_key) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    spam, request = spam_and_request(personas)
    released_complaint, case = released(personas)
    short_lived_records()
    stored = list(Evidence.objects.filter(complaint__in=[spam, released_complaint]).exclude(stored_name="")
                  .values_list("complaint_id", "stored_name"))
    assert {c for c, _ in stored} == {spam.pk, released_complaint.pk}
    assert all(evidence_storage().exists(name) for _, name in stored)
    note = StatedReason.objects.get(action="complaint.spam_reviewed", case__isnull=True)
    assert NAME in note.text and NAME in strings_in_database()
    assert LookupAttempt.objects.exists() and SubmissionMark.objects.exists()
    before = to_json(build_report(date(2026, 1, 1), date(2026, 3, 31)))
    call_command("audit", "checkpoint", stdout=StringIO())

    assert spam_due_on(spam) == ("spam", date(2026, 8, 3))
    with clock.frozen(aware(2026, 5, 2)):  # task results: three months after finishing
        tick_run()
    assert not apps.get_model("django_tasks_database", "DBTaskResult").objects.exists()
    assert not apps.get_model("sessions", "Session").objects.exists()
    with clock.frozen(aware(2026, 8, 2)):  # address records are due; the spam is one day short
        report = retention_run()
    assert report.spam == [] and not SpamAnonymisation.objects.exists()
    assert report.records == {"intake.LookupAttempt": 1, "intake.SubmissionMark": 2}
    assert not LookupAttempt.objects.exists() and not SubmissionMark.objects.exists()
    assert Complaint.objects.get(pk=spam.pk).complainant_name == NAME

    with clock.frozen(aware(2026, 8, 3)):
        report = tick_run()
    assert "spam complaints 1" in str(report.hooks["retention"])
    assert SpamAnonymisation.objects.get(complaint=spam).files_deleted == 1
    assert not any(evidence_storage().exists(name) for c, name in stored if c == spam.pk)
    # What still names her is her data-subject request (24 months after completion) and the sign-in records (12 months).
    assert set(columns_containing(NAME)) == {
        "axes.AccessAttempt.post_data", "axes.AccessAttempt.username", "axes.AccessFailureLog.username", "axes.AccessLog.username",
        "privacy.SubjectRequest.subject_name", "privacy.SubjectRequest.details", "privacy.SubjectRequest.outcome",
    }
    assert EMAIL not in "\n".join(Complaint.objects.values_list("complainant_email", flat=True))
    event = AuditEvent.objects.filter(subject=f"complaint:{spam.public_id}", action="complaint.spam_reviewed").get()
    assert [r.status for r in shown_reasons([event])[event.seq]] == ["erased under the retention schedule on 3 August 2026"]
    # The released complaint is part of its case and waits for the case's rule (24 months after closure).
    assert not SpamAnonymisation.objects.filter(complaint=released_complaint).exists()
    assert not Anonymisation.objects.filter(case=case).exists()
    assert OTHER in strings_in_database()
    assert StatedReason.objects.get(action="complaint.spam_reviewed", case=case).text == f"Not spam: {OTHER} rang us"
    assert all(evidence_storage().exists(name) for c, name in stored if c == released_complaint.pk)

    with clock.frozen(aware(2027, 2, 2)):
        retention_run()
    assert not any(m.objects.exists() for m in (apps.get_model("axes", n) for n in ("AccessAttempt", "AccessFailureLog", "AccessLog")))
    with clock.frozen(aware(2028, 2, 9)):  # the request is one day short
        retention_run()
    assert Anonymisation.objects.filter(case=case).exists()
    assert SubjectRequest.objects.get(pk=request.pk).subject_name == NAME

    with clock.frozen(aware(2028, 2, 10)):
        report = tick_run()
    assert "subject requests 1" in str(report.hooks["retention"])
    for value in (NAME, EMAIL, OTHER, "rowan@example.org"):
        assert value not in strings_in_database(), f"{value!r} is still in {columns_containing(value)}"
    assert not any(evidence_storage().exists(name) for _, name in stored)
    done = SubjectRequest.objects.get(pk=request.pk)
    assert (done.kind, done.status, done.received_on, done.due_on) == ("access", "done", date(2026, 2, 9), date(2026, 3, 9))
    assert to_json(build_report(date(2026, 1, 1), date(2026, 3, 31))) == before
    assert verify_output().startswith("OK")
    for event in AuditEvent.objects.filter(action__in=["complaint.anonymised", "subject_request.anonymised", "retention.records_deleted"]):
        for value in (NAME, EMAIL, "Naomi", "198.51.100.1"):
            assert value not in event.payload, f"{event.action} names the person"


def test_two_passes_remove_a_spam_complaint_once(personas) -> None:  # type: ignore[no-untyped-def]
    spam, _ = spam_and_request(personas)
    with clock.frozen(aware(2026, 9, 1)):
        first, second = retention_run(), retention_run()
        again = spam_complaint_anonymise(actor=ACTOR, complaint=spam, rule="spam", due=date(2026, 8, 3))
    assert first.spam == [spam.reference] and second.spam == [] and again is None
    assert AuditEvent.objects.filter(action="complaint.anonymised", subject=f"complaint:{spam.public_id}").count() == 1
    assert AuditEvent.objects.filter(action="retention.records_deleted").count() == 1  # the address records, once


def test_a_released_complaint_is_never_removed_under_the_spam_rule(personas) -> None:  # type: ignore[no-untyped-def]
    complaint, _ = released(personas)
    assert spam_due_on(complaint) is None
    with clock.frozen(aware(2027, 1, 1)), pytest.raises(DomainError, match="follows its case's rule"):
        spam_complaint_anonymise(actor=ACTOR, complaint=complaint, rule="spam", due=date(2026, 8, 3))


def test_a_held_complaint_nobody_has_reviewed_is_kept(personas) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 2, 2)):
        pending = held(complainant_name=NAME)
    with clock.frozen(aware(2030, 1, 1)):
        assert retention_run().spam == []
    pending.complaint.refresh_from_db()
    assert pending.complaint.complainant_name == NAME and pending.complaint.spam_hold.status == SpamHold.Status.PENDING


def test_an_open_request_is_kept_and_a_refused_one_goes_after_its_period(personas) -> None:  # type: ignore[no-untyped-def]
    overseer = personas.actor("overseer")
    with clock.frozen(aware(2026, 2, 2)):
        still_open = subject_request_record(actor=overseer, kind="access", subject_name=NAME)
        refused = subject_request_record(actor=overseer, kind="erasure", subject_name="Pat Refused", subject_email="pat@example.org")
        subject_request_complete(actor=overseer, request=refused, outcome="Refused: the case is under appeal.", refused=True)
    with clock.frozen(aware(2028, 2, 2)):
        assert retention_run().subject_requests == [str(refused.public_id)]
    refused.refresh_from_db()
    still_open.refresh_from_db()
    assert refused.subject_email == "" and "Pat Refused" not in refused.subject_name and refused.anonymised_at is not None
    assert refused.status == SubjectRequest.Status.REFUSED
    assert still_open.subject_name == NAME and still_open.anonymised_at is None


def test_records_of_an_unknown_kind_are_refused_by_name() -> None:
    with pytest.raises(DomainError, match="Unknown kind of records 'receipts'; use one of address_records"):
        records_delete(actor=ACTOR, kind="receipts", recorded_before=date(2026, 1, 1))
