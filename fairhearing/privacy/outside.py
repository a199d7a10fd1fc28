"""Writes for the personal data held outside any case (decision 0020): a complaint confirmed as
spam, a completed data-subject request, and short-lived records (address hashes, sign-in records,
task results, expired sessions).

Each appends its audit event in the same transaction, with counts, dates and public ids only.
Rows that other records point at or that the statistics count are kept and their personal fields
cleared; rows whose only use has passed are deleted whole.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime, time

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from fairhearing.audit.models import AuditEvent, StatedReason
from fairhearing.audit.reasons import references
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Complaint
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError
from fairhearing.privacy.files import complaint_files, files_sweep
from fairhearing.privacy.models import SpamAnonymisation, SubjectRequest
from fairhearing.privacy.personal_data import (
    EXPIRED_SESSIONS,
    RECORDS,
    SPAM_FIELDS,
    SUBJECT_REQUEST_FIELDS,
    Records,
)


def _subject(complaint: Complaint) -> str:
    return f"complaint:{complaint.public_id}"


def _model(label: str):  # type: ignore[no-untyped-def]
    try:
        return apps.get_model(label)
    except LookupError:  # an optional app that is not installed
        return None


def cited_outside_cases(subject: str) -> list[str]:
    """Public ids of the stated reasons cited by events about ``subject`` that belong to no case."""
    found: set[str] = set()
    events = AuditEvent.objects.filter(subject=subject, payload__contains='"stated_reason"')
    for payload in events.values_list("payload", flat=True).iterator():
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        if isinstance(data, dict):
            found |= {str(ref["stated_reason"]) for _, ref in references(data)}
    valid = []
    for value in found:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    rows = StatedReason.objects.filter(public_id__in=valid, case__isnull=True).values_list("public_id", flat=True)
    return sorted(str(public_id) for public_id in rows)


def _erase_reasons(public_ids: Iterable[str], under: str) -> int:
    return StatedReason.objects.filter(public_id__in=list(public_ids), erased_at__isnull=True).update(
        text="", salt="", erased_at=clock.now(), erased_under=under
    )


def confirmed_on(complaint: Complaint) -> date | None:
    """The day a caseworker confirmed the complaint as spam; None unless it is confirmed spam
    outside any case (a released complaint belongs to its case and follows the case's rule)."""
    from fairhearing.intake.models import SpamHold

    hold = SpamHold.objects.filter(complaint=complaint).first()
    if complaint.case_id is not None or hold is None or hold.status != SpamHold.Status.CONFIRMED or hold.reviewed_at is None:
        return None
    return timezone.localdate(hold.reviewed_at)


@transaction.atomic
def spam_complaint_anonymise(*, actor: Actor, complaint: Complaint, rule: str, due: date,
                             under: str = "retention") -> SpamAnonymisation | None:
    """Remove the personal data of a complaint confirmed as spam: the complainant's details and
    account, its evidence texts and file names, its messages, the review note, and the reviewer's
    note cited by the audit log. The rows stay (the statistics count every complaint received).
    Stored files are deleted after commit; the retention pass's sweep finishes an interrupted run.
    ``under`` is "retention" (the ``[spam]`` rule) or "erasure" (the person's erasure request).
    Returns None when another pass already did it."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if confirmed_on(complaint) is None:
        raise DomainError("Only a complaint confirmed as spam, and never part of a case, is removed under the spam rule; "
                          "a released complaint follows its case's rule.")
    try:
        with transaction.atomic():
            record = SpamAnonymisation.objects.create(complaint=complaint, rule=rule, due_on=due, done_at=clock.now())
    except IntegrityError:
        return None
    stored = complaint_files(complaint.pk)
    changed: dict[str, int] = {}
    for entry in SPAM_FIELDS:
        model = _model(entry.model)
        if model is not None:
            count = model.objects.filter(**{entry.case_lookup: complaint.pk}).update(**entry.fields)
            changed[entry.model] = changed.get(entry.model, 0) + count
    changed["audit.StatedReason"] = _erase_reasons(cited_outside_cases(_subject(complaint)), under)
    record.files_deleted = len(stored)
    record.save(update_fields=["files_deleted"])
    audit_append(actor=actor, action="complaint.anonymised", subject=_subject(complaint),
                 payload={"rule": rule, "due_on": due.isoformat(), "reason": under, "rows": changed, "files": len(stored)})
    pk = complaint.pk
    transaction.on_commit(lambda: files_sweep(complaint_ids=[pk]))
    return record


@transaction.atomic
def subject_request_anonymise(*, actor: Actor, request: SubjectRequest, rule: str, due: date) -> bool:
    """Remove the person's details from a completed or refused data-subject request. The kind,
    dates, status and who recorded it stay, so whether requests were answered in time can still be
    shown. Claimed with a conditional update: False when another pass already did it."""
    claimed = (SubjectRequest.objects.filter(pk=request.pk, anonymised_at__isnull=True)
               .exclude(status=SubjectRequest.Status.OPEN)
               .update(**SUBJECT_REQUEST_FIELDS, anonymised_at=clock.now()))
    if not claimed:
        if SubjectRequest.objects.filter(pk=request.pk, status=SubjectRequest.Status.OPEN).exists():
            raise DomainError("An open request cannot be anonymised; complete or refuse it first.")
        return False
    audit_append(actor=actor, action="subject_request.anonymised", subject=f"subject_request:{request.public_id}",
                 payload={"rule": rule, "due_on": due.isoformat()})
    return True


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _delete_before(records: Iterable[Records], before: datetime) -> dict[str, int]:
    deleted: dict[str, int] = {}
    for entry in records:
        model = _model(entry.model)
        if model is None:
            continue
        # Django counts cascaded rows too (a sign-in attempt's expiry row): keep only this model's count.
        count = model.objects.filter(**{f"{entry.at}__lt": before}).delete()[1].get(model._meta.label, 0)
        if count:
            deleted[entry.model] = count
    return deleted


@transaction.atomic
def records_delete(*, actor: Actor, kind: str, recorded_before: date) -> dict[str, int]:
    """Delete the short-lived records of ``kind`` (a key of ``RECORDS``, or ``expired_sessions``)
    whose day came before ``recorded_before``. Records one audit event, with the counts, when any
    row went; since the bound is a day, that is at most once a day for each kind."""
    records = (EXPIRED_SESSIONS,) if kind == "expired_sessions" else RECORDS.get(kind)
    if records is None:
        raise DomainError(f"Unknown kind of records {kind!r}; use one of {', '.join([*RECORDS, 'expired_sessions'])}.")
    deleted = _delete_before(records, start_of(recorded_before))
    if deleted:
        audit_append(actor=actor, action="retention.records_deleted", subject=f"retention:{kind}",
                     payload={"rule": kind, "recorded_before": recorded_before.isoformat(), "rows": deleted})
    return deleted
