"""Writes for privacy: legal holds, anonymisation (by the retention schedule or on an erasure
request) and data-subject requests. Each appends its audit event in the same transaction; no
event payload holds personal data (typed reasons are cited by id and digest, decision 0017), so
anonymising never touches the audit chain."""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.db import IntegrityError, transaction

from fairhearing.accounts.models import Role
from fairhearing.audit.reasons import stated_reasons_erase
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.privacy.files import files_sweep, stored_files
from fairhearing.privacy.models import Anonymisation, LegalHold, SubjectRequest
from fairhearing.privacy.personal_data import PERSONAL_FIELDS
from fairhearing.privacy.schedule import add_months

MIN_REASON = 10
HOLD_ROLES = (Role.OVERSEER, Role.CASEWORKER)
REQUEST_ROLES = (Role.OVERSEER,)


def _subject(case: Case) -> str:
    return f"case:{case.public_id}"


def _require_role(actor: Actor, roles: tuple[str, ...], what: str) -> None:
    if actor.user is None or not actor.user.is_active or actor.user.role not in roles:
        names = " or ".join(Role(r).label.lower() for r in roles)
        raise NotPermitted(f"Only an {names} can {what}." if names[0] in "aeiou" else f"Only a {names} can {what}.")


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


def _require_hold_right(actor: Actor, case: Case) -> None:
    """The overseer, or the caseworker who may manage this case."""
    from fairhearing.accounts.permissions import can_manage_case

    _require_role(actor, HOLD_ROLES, "place or lift a legal hold")
    assert actor.user is not None
    if actor.user.role == Role.CASEWORKER and not can_manage_case(actor.user, case):
        raise NotPermitted("Only the caseworker assigned to this case, or the overseer, can place or lift its legal hold.")


@transaction.atomic
def legal_hold_place(*, actor: Actor, case: Case, reason: str) -> LegalHold:
    """Stop retention for a case (litigation, a regulator's inquiry). Refused when one is in place."""
    _require_hold_right(actor, case)
    if len(reason.strip()) < MIN_REASON:
        raise MissingInformation(f"Say why the case is held (at least {MIN_REASON} characters).", field="reason")
    if active_hold(case) is not None:
        raise DomainError("This case is already under a legal hold.")
    if hasattr(case, "anonymisation"):
        raise DomainError("This case's personal data has already been removed; a hold can no longer keep it.")
    assert actor.user is not None
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), placed_by=actor.user, placed_at=clock.now())
    audit_append(actor=actor, action="legal_hold.placed", subject=_subject(case), payload={"hold": str(hold.public_id)})
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Actor, hold: LegalHold) -> LegalHold:
    _require_hold_right(actor, hold.case)
    if hold.lifted_at is not None:
        raise DomainError("This hold has already been lifted.")
    hold.lifted_at, hold.lifted_by = clock.now(), actor.user
    hold.save(update_fields=["lifted_at", "lifted_by"])
    audit_append(actor=actor, action="legal_hold.lifted", subject=_subject(hold.case), payload={"hold": str(hold.public_id)})
    return hold


def _clear_fields(case: Case) -> dict[str, int]:
    changed: dict[str, int] = {}
    for entry in PERSONAL_FIELDS:
        try:
            model = apps.get_model(entry.model)
        except LookupError:
            continue
        fields = {name: value for name, value in entry.fields.items() if _has_field(model, name)}
        if fields:
            count = model.objects.filter(**{entry.case_lookup: case}).update(**fields)
            changed[entry.model] = changed.get(entry.model, 0) + count
    return changed


def _has_field(model: type, name: str) -> bool:
    try:
        model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: another app renamed a field; skip it
        return False
    return True


@transaction.atomic
def case_anonymise(*, actor: Actor, case: Case, rule: str, due: date, reason: str = "retention") -> Anonymisation | None:
    """Remove a closed case's personal data, keep everything the statistics count, delete its
    stored files. Returns None (doing nothing) when another pass already did it or a legal hold
    stands. Files are deleted after the database change commits (a rollback keeps them); the tick's sweep
    finishes the job if the process stops in between."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.closed:
        raise DomainError("An open case cannot be anonymised; close it first.")
    if active_hold(case) is not None:
        return None
    try:
        with transaction.atomic():
            record = Anonymisation.objects.create(case=case, rule=rule, due_on=due, done_at=clock.now(), reason=reason)
    except IntegrityError:
        return None
    stored = stored_files(case)
    changed = _clear_fields(case)
    changed["audit.StatedReason"] = stated_reasons_erase(case=case, under=reason)
    case.summary = f"{case.get_category_display()} complaint"
    case.save(update_fields=["summary"])
    record.files_deleted = len(stored)
    record.save(update_fields=["files_deleted"])
    audit_append(actor=actor, action="case.anonymised", subject=_subject(case),
                 payload={"rule": rule, "due_on": due.isoformat(), "reason": reason, "rows": changed, "files": len(stored)})
    transaction.on_commit(lambda: files_sweep(case_ids=[case.pk]))
    return record


ONE_MONTH = 1


@transaction.atomic
def subject_request_record(*, actor: Actor, kind: str, subject_name: str, subject_email: str = "", membership_number: str = "",
                           details: str = "", received_on: date | None = None) -> SubjectRequest:
    """Record an access, erasure or rectification request; it is due one calendar month after receipt."""
    _require_role(actor, REQUEST_ROLES, "record data-subject requests")
    if kind not in SubjectRequest.Kind.values:
        raise MissingInformation(f"Choose the kind of request: {', '.join(SubjectRequest.Kind.values)}.", field="kind")
    if not subject_name.strip() and not subject_email.strip():
        raise MissingInformation("Give the person's name or email address.", field="subject_name")
    if kind == SubjectRequest.Kind.RECTIFICATION and len(details.strip()) < MIN_REASON:
        raise MissingInformation("Say what the person says is wrong and what it should be.", field="details")
    received = received_on or clock.today()
    if received > clock.today():
        raise MissingInformation("The date received cannot be in the future.", field="received_on")
    assert actor.user is not None
    request = SubjectRequest.objects.create(kind=kind, subject_name=subject_name.strip(), subject_email=subject_email.strip(),
                                            membership_number=membership_number.strip(), details=details.strip(),
                                            received_on=received, due_on=add_months(received, ONE_MONTH), recorded_by=actor.user)
    audit_append(actor=actor, action="subject_request.recorded", subject=f"subject_request:{request.public_id}",
                 payload={"kind": kind, "due_on": request.due_on.isoformat()})
    return request


@transaction.atomic
def subject_request_complete(*, actor: Actor, request: SubjectRequest, outcome: str, refused: bool = False) -> SubjectRequest:
    """Close a request with what was done (or why it was refused). For an erasure request the
    person's closed, unheld cases are anonymised now, and so are the complaints they sent that were
    confirmed as spam; open or held cases are named in the refusal."""
    _require_role(actor, REQUEST_ROLES, "complete data-subject requests")
    if request.status != SubjectRequest.Status.OPEN:
        raise DomainError("This request is already closed.")
    if len(outcome.strip()) < MIN_REASON:
        raise MissingInformation("Say what was done, or why the request is refused.", field="outcome")
    erased = spam = 0
    if request.kind == SubjectRequest.Kind.ERASURE and not refused:
        from fairhearing.privacy.selectors import cases_about_person

        for case in cases_about_person(name=request.subject_name, email=request.subject_email,
                                       membership_number=request.membership_number):
            eligible = case.closed and active_hold(case) is None and not hasattr(case, "anonymisation")
            if eligible and case_anonymise(actor=actor, case=case, rule="erasure_request", due=clock.today(), reason="erasure"):
                erased += 1
        from fairhearing.privacy.outside import spam_complaint_anonymise
        from fairhearing.privacy.selectors import spam_complaints_of_person

        for complaint in spam_complaints_of_person(name=request.subject_name, email=request.subject_email):
            if spam_complaint_anonymise(actor=actor, complaint=complaint, rule="erasure_request", due=clock.today(), under="erasure"):
                spam += 1
    request.status = SubjectRequest.Status.REFUSED if refused else SubjectRequest.Status.DONE
    request.outcome, request.completed_at = outcome.strip(), clock.now()
    request.save(update_fields=["status", "outcome", "completed_at"])
    audit_append(actor=actor, action="subject_request.completed", subject=f"subject_request:{request.public_id}",
                 payload={"status": request.status, "cases_anonymised": erased, "spam_complaints_anonymised": spam,
                          "late": clock.today() > request.due_on, "days_open": (clock.today() - request.received_on) // timedelta(days=1)})
    return request
