"""Writes for the public side: submitting a complaint, following it up, and the caseworker's
replies, links and spam review. Respondent links and replies live in ``respondent.py`` and are
re-exported here.

Services take plain values (an IP address string, not a request), so the web form and the API
call the same code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from fairhearing.audit.reasons import stated_reason_attach, stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case, Complaint, Party, fold_name
from fairhearing.cases.notify import notification_queue
from fairhearing.cases.services import case_open_for_complaint, unique_reference
from fairhearing.core import clock
from fairhearing.core.actors import Actor, party_actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.intake import receipts
from fairhearing.intake.files import MAX_FILES, check_file, discard_files, store_file
from fairhearing.intake.models import ComplaintLink, Evidence, Message, SpamHold
from fairhearing.intake.respondent import (  # noqa: F401 - re-exported service names
    respondent_hearing_move,
    respondent_link_issue,
    respondent_link_resolve,
    respondent_notice_queue,
    respondent_reply,
)

log = logging.getLogger("fairhearing.intake")

MIN_FILL_SECONDS = 3.0
SUBMISSIONS_PER_HOUR = 5


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


@dataclass
class ComplaintInput:
    """What the form (or the API) collected, already cleaned."""

    category: str
    respondent_name: str
    account: str
    anonymous: bool = False
    complainant_name: str = ""
    complainant_email: str = ""
    complainant_phone: str = ""
    respondent_membership_number: str = ""
    respondent_branch_or_role: str = ""
    conduct_dates: str = ""
    conduct_first_date: date | None = None
    where: str = ""
    links: str = ""
    pasted_text: str = ""
    files: Sequence[Any] = field(default_factory=list)


class EvidenceNotStored(DomainError):
    """The files could not be written (a full disk, say): nothing of the submission is kept."""

    def __init__(self) -> None:
        super().__init__(
            "Your files could not be stored just now, so nothing has been sent and nothing has been kept. "
            "Please try again later: what you typed is still here, but choose your files again.",
            field="files",
        )


@dataclass(frozen=True)
class SubmissionResult:
    complaint: Complaint
    receipt_code: str
    case: Case | None
    linked: bool
    held: bool


normalise_name = fold_name  # the fold that Party.name_key stores


def _matching_open_case(complaint: Complaint) -> tuple[Case, str] | None:
    """The open case about the same respondent, by membership number first, then by name (the
    folded name, stored and indexed as Party.name_key, so the lookup does not grow with the table)."""
    respondents = Party.objects.filter(kind=Party.Kind.RESPONDENT, case__closed=False).select_related("case", "member")
    number = complaint.respondent_membership_number.strip()
    if number:
        hit = respondents.filter(member__membership_number=number).order_by("-case__opened_at").first()
        if hit is not None:
            return hit.case, "membership_number"
    wanted = fold_name(complaint.respondent_name)
    if not wanted:
        return None
    # Every open case about someone of this name (a handful), the latest chosen here. Asked for in
    # SQL as ORDER BY opened_at LIMIT 1, PostgreSQL walked all open cases newest first looking for
    # the name instead of using its index: 1.6 s per submission at a million cases.
    hits = list(respondents.filter(name_key=wanted))
    if not hits:
        return None
    return max(hits, key=lambda party: (party.case.opened_at, party.case_id)).case, "name"


def _link_to_case(actor: Actor, complaint: Complaint, case: Case, matched_on: str) -> None:
    complaint.case = case
    complaint.save(update_fields=["case"])
    Party.objects.create(
        case=case, kind=Party.Kind.COMPLAINANT, complaint=complaint,
        name="" if complaint.anonymous else complaint.complainant_name,
        email=complaint.complainant_email, anonymous=complaint.anonymous,
    )
    ComplaintLink.objects.update_or_create(
        complaint=complaint, defaults={"case": case, "matched_on": matched_on, "linked_at": clock.now(), "undone_at": None}
    )
    audit_append(
        actor=actor, action="complaint.linked", subject=f"case:{case.public_id}",
        payload={"complaint": complaint.reference, "case": case.reference, "matched_on": matched_on},
    )


def _place(actor: Actor, complaint: Complaint) -> tuple[Case, bool]:
    """Link the complaint to the open case about the same respondent, or open a new case."""
    match = _matching_open_case(complaint)
    if match is not None:
        _link_to_case(actor, complaint, match[0], match[1])
        return match[0], True
    return case_open_for_complaint(actor=actor, complaint=complaint), False


def _store_evidence(complaint: Complaint, data: ComplaintInput | None, files: Sequence[Any], supplied_by: str,
                    case: Case | None = None) -> list[Evidence]:
    now = clock.now()
    items: list[Evidence] = []
    stored_names: list[str] = []
    try:
        for upload in files:
            checked = check_file(upload)
            stored_names.append(store_file(upload))
            items.append(Evidence.objects.create(
                complaint=complaint, case=case, supplied_by=supplied_by, kind=Evidence.Kind.FILE,
                original_name=str(upload.name)[:255], stored_name=stored_names[-1], content_type=checked.content_type,
                size=checked.size, sha256=checked.sha256, created_at=now,
            ))
    except BaseException as error:
        # The transaction will not commit, so no record will point to the files already written.
        discard_files(stored_names)
        if isinstance(error, OSError):
            log.error("evidence could not be stored, the submission was refused: %s", error)
            raise EvidenceNotStored() from error
        raise
    if data is not None and data.pasted_text.strip():
        items.append(Evidence.objects.create(
            complaint=complaint, case=case, supplied_by=supplied_by, kind=Evidence.Kind.TEXT,
            text=data.pasted_text.strip(), size=len(data.pasted_text.encode()), created_at=now,
        ))
    if data is not None:
        for link in [line.strip() for line in data.links.splitlines() if line.strip()]:
            items.append(Evidence.objects.create(
                complaint=complaint, case=case, supplied_by=supplied_by, kind=Evidence.Kind.LINK,
                text=link[:2000], created_at=now,
            ))
    return items


def spam_reasons(*, honeypot: str, fill_seconds: float | None, address: str) -> list[str]:
    """Why a submission looks automated; empty when it does not."""
    reasons = []
    if honeypot.strip():
        reasons.append("the hidden field was filled in")
    minimum = float(_setting("FAIRHEARING_INTAKE_MIN_FILL_SECONDS", MIN_FILL_SECONDS))
    if fill_seconds is None or fill_seconds < minimum:
        reasons.append(f"the form was sent less than {minimum:g} seconds after it was opened")
    limit = int(_setting("FAIRHEARING_INTAKE_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR))
    if receipts.submissions_from(address) >= limit:
        reasons.append(f"more than {limit} complaints from the same address within an hour")
    return reasons


def _validate(data: ComplaintInput) -> None:
    from fairhearing.cases.models import Category

    if data.category not in Category.values:
        raise MissingInformation("Choose the kind of conduct the complaint is about.", field="category")
    if not data.respondent_name.strip():
        raise MissingInformation("Give the name of the person the complaint is about.", field="respondent_name")
    if not data.account.strip():
        raise MissingInformation("Describe what happened.", field="account")
    if not data.anonymous and not data.complainant_name.strip():
        raise MissingInformation("Give your name, or choose to complain anonymously.", field="complainant_name")
    if len(data.files) > MAX_FILES:
        raise MissingInformation(f"Attach at most {MAX_FILES} files.", field="files")


@transaction.atomic
def complaint_submit(*, data: ComplaintInput, ip: str, honeypot: str = "", fill_seconds: float | None = None,
                     channel: str = "web") -> SubmissionResult:
    """File a public complaint. All of it commits together or none of it does: the complaint, its
    evidence, its audit event and its case (new, or a link to the open case about the same
    respondent). Suspected spam is kept and held for a caseworker instead of opening a case.

    Raises MissingInformation for a missing field and DomainError for a refused file."""
    _validate(data)
    for upload in data.files:
        try:
            check_file(upload)
        except ValueError as error:
            raise DomainError(str(error), field="files") from None
    address = receipts.address_key(ip)
    reasons = spam_reasons(honeypot=honeypot, fill_seconds=fill_seconds, address=address)
    receipts.submission_mark(address)
    code = receipts.new_receipt_code()
    anonymous = data.anonymous
    complaint = Complaint.objects.create(
        reference=unique_reference(Complaint, "FH"), received_at=clock.now(), channel=channel,
        category=data.category, anonymous=anonymous,
        complainant_name="" if anonymous else data.complainant_name.strip()[:200],
        complainant_email=data.complainant_email.strip(), complainant_phone=data.complainant_phone.strip()[:40],
        respondent_name=data.respondent_name.strip()[:200],
        respondent_membership_number=data.respondent_membership_number.strip()[:40],
        respondent_branch_or_role=data.respondent_branch_or_role.strip()[:200],
        respondent_member=_member(data.respondent_membership_number),
        account=data.account.strip(), conduct_dates=data.conduct_dates.strip()[:200],
        conduct_first_date=data.conduct_first_date, where=data.where.strip()[:300], links=data.links.strip(),
        receipt_hash=receipts.hash_code(code),
    )
    actor = party_actor("complainant", complaint.reference)
    evidence = _store_evidence(complaint, data, data.files, Evidence.From.COMPLAINANT)
    event = audit_append(
        actor=actor, action="complaint.submitted", subject=f"complaint:{complaint.public_id}",
        payload={
            "complaint": complaint.reference, "channel": channel, "category": complaint.category,
            "anonymous": anonymous, "held_as_spam": bool(reasons),
            "evidence": [{"kind": e.kind, "sha256": e.sha256, "size": e.size} for e in evidence],
        },
    )
    complaint.submission_event_hash = event.hash
    complaint.save(update_fields=["submission_event_hash"])
    case: Case | None = None
    linked = False
    if reasons:
        SpamHold.objects.create(complaint=complaint, reasons=reasons, held_at=clock.now())
        audit_append(actor=actor, action="complaint.held_as_spam", subject=f"complaint:{complaint.public_id}",
                     payload={"complaint": complaint.reference, "reasons": reasons})
    else:
        case, linked = _place(actor, complaint)
        _acknowledge(complaint, case)
    return SubmissionResult(complaint=complaint, receipt_code=code, case=case, linked=linked, held=bool(reasons))


def _member(number: str) -> Any:
    from fairhearing.cases.models import Member

    number = number.strip()
    return Member.objects.filter(membership_number=number).first() if number else None


def _acknowledge(complaint: Complaint, case: Case) -> None:
    if not complaint.complainant_email:
        return
    from fairhearing.workflow.config import get_process

    notification_queue(
        kind="complaint_acknowledged", dedupe_key=f"ack:{complaint.public_id}", recipient_role="complainant",
        case=case, recipient_email=complaint.complainant_email,
        context={"complaint": complaint, "stage": get_process().stage(case.stage), "base_url": settings.FAIRHEARING_BASE_URL},
    )


def complaint_lookup(*, reference: str, code: str, ip: str) -> Complaint:
    """Find a complaint by reference and receipt code, within the rate limits. Every attempt is
    recorded; a wrong code and an unknown reference get the same answer."""
    from fairhearing.core.identifiers import normalise_reference

    reference = normalise_reference(reference)[:20]
    address = receipts.address_key(ip)
    if not reference or not code.strip():
        raise MissingInformation("Enter both your reference and your receipt code.", field="reference")
    try:
        receipts.lookup_allowed(address=address, reference=reference)
    except receipts.LookupRefused as refused:
        raise DomainError(refused.message, field="reference") from None
    complaint = Complaint.objects.filter(reference=reference).first()
    ok = receipts.code_matches(code, complaint.receipt_hash if complaint else None)
    locked = receipts.lookup_record(address=address, reference=reference, succeeded=ok)
    if not ok or complaint is None:
        extra = " The reference is now locked for 30 minutes." if locked else ""
        raise DomainError("The reference and receipt code do not match. Check both and try again." + extra, field="code")
    return complaint


@transaction.atomic
def complaint_message_send(*, complaint: Complaint, text: str) -> Message:
    """The complainant writes to the complaints team."""
    if not text.strip():
        raise MissingInformation("Write your message before sending it.", field="text")
    message = Message.objects.create(complaint=complaint, direction=Message.Direction.FROM_COMPLAINANT,
                                      text=text.strip()[:10000], created_at=clock.now())
    audit_append(actor=party_actor("complainant", complaint.reference), action="complaint.message_received",
                 subject=f"complaint:{complaint.public_id}", payload={"complaint": complaint.reference, "length": len(message.text)})
    return message


@transaction.atomic
def complaint_evidence_add(*, complaint: Complaint, files: Sequence[Any], pasted_text: str = "", links: str = "") -> list[Evidence]:
    """The complainant adds evidence after submitting. All files are checked before any is stored."""
    existing = Evidence.objects.filter(complaint=complaint, kind=Evidence.Kind.FILE).count()
    if existing + len(files) > 20:
        raise DomainError("A complaint can hold at most 20 files. Send a message to the team instead.", field="files")
    for upload in files:
        try:
            check_file(upload)
        except ValueError as error:
            raise DomainError(str(error), field="files") from None
    data = ComplaintInput(category="", respondent_name="", account="", pasted_text=pasted_text, links=links)
    items = _store_evidence(complaint, data, files, Evidence.From.COMPLAINANT)
    if not items:
        raise MissingInformation("Attach a file, paste some text or give a link.", field="files")
    audit_append(actor=party_actor("complainant", complaint.reference), action="complaint.evidence_added",
                 subject=f"complaint:{complaint.public_id}",
                 payload={"complaint": complaint.reference, "evidence": [{"kind": e.kind, "sha256": e.sha256} for e in items]})
    return items


def _require_staff(actor: Actor, complaint: Complaint) -> None:
    from fairhearing.accounts.permissions import can_manage_case

    if actor.user is None or complaint.case is None or not can_manage_case(actor.user, complaint.case):
        raise NotPermitted("Only a caseworker handling this complaint's case can do that.")


@transaction.atomic
def complaint_reply(*, actor: Actor, complaint: Complaint, text: str) -> Message:
    """A caseworker writes to the complainant; an email says a message is waiting (not its text)."""
    _require_staff(actor, complaint)
    if not text.strip():
        raise MissingInformation("Write the reply before sending it.", field="text")
    message = Message.objects.create(complaint=complaint, direction=Message.Direction.TO_COMPLAINANT,
                                      author=actor.user, text=text.strip(), created_at=clock.now())
    audit_append(actor=actor, action="complaint.message_sent", subject=f"case:{complaint.case.public_id}",  # type: ignore[union-attr]
                 payload={"complaint": complaint.reference, "message": str(message.public_id)})
    if complaint.complainant_email:
        notification_queue(kind="complainant_message", dedupe_key=f"msg:{message.public_id}", recipient_role="complainant",
                           case=complaint.case, recipient_email=complaint.complainant_email,
                           context={"complaint": complaint, "base_url": settings.FAIRHEARING_BASE_URL})
    return message


@transaction.atomic
def complaint_unlink(*, actor: Actor, complaint: Complaint, reason: str) -> Case:
    """Undo a link: the complaint leaves the shared case and gets its own new case."""
    _require_staff(actor, complaint)
    if len(reason.strip()) < 10:
        raise MissingInformation("Say why the complaint does not belong with this case (at least 10 characters).", field="reason")
    old = complaint.case
    assert old is not None
    if old.complaints.count() < 2:
        raise DomainError("This is the only complaint on the case; there is nothing to unlink it from.")
    Party.objects.filter(case=old, complaint=complaint, kind=Party.Kind.COMPLAINANT, ended_at__isnull=True).update(ended_at=clock.now())
    ComplaintLink.objects.filter(complaint=complaint).update(undone_at=clock.now())
    complaint.case = None
    complaint.save(update_fields=["case"])
    cited = stated_reason_create(action="complaint.unlinked", field="reason", text=reason, case=old)
    audit_append(actor=actor, action="complaint.unlinked", subject=f"case:{old.public_id}",
                 payload={"complaint": complaint.reference, "case": old.reference, "reason": cited})
    new = case_open_for_complaint(actor=actor, complaint=complaint)
    # The old case's timeline cites the reason, so it goes when that case is anonymised; it is also
    # about this complaint, which now lives in the new case, so it goes with that case too.
    stated_reason_attach(reference=cited, case=new)
    return new


@transaction.atomic
def complaint_link(*, actor: Actor, complaint: Complaint, case: Case, reason: str) -> Case:
    """A caseworker joins a complaint to another open case about the same respondent."""
    from fairhearing.accounts.permissions import can_manage_case

    _require_staff(actor, complaint)
    assert actor.user is not None
    if not can_manage_case(actor.user, case) or case.closed:
        raise NotPermitted("You can only link to an open case you handle.")
    if complaint.case_id == case.pk:
        raise DomainError("The complaint is already on that case.")
    if len(reason.strip()) < 10:
        raise MissingInformation("Say why the complaint belongs with that case (at least 10 characters).", field="reason")
    old = complaint.case
    assert old is not None
    Party.objects.filter(case=old, complaint=complaint, kind=Party.Kind.COMPLAINANT, ended_at__isnull=True).update(ended_at=clock.now())
    _link_to_case(actor, complaint, case, "caseworker")
    audit_append(actor=actor, action="complaint.moved", subject=f"case:{old.public_id}",
                 payload={"complaint": complaint.reference, "from": old.reference, "to": case.reference,
                          "reason": stated_reason_create(action="complaint.moved", field="reason", text=reason, case=case)})
    return case


@transaction.atomic
def spam_review(*, actor: Actor, hold: SpamHold, release: bool, note: str = "") -> SpamHold:
    """Release a held complaint (its case opens or links) or confirm it as spam (kept on file)."""
    from fairhearing.accounts.models import Role

    if actor.user is None or actor.user.role != Role.CASEWORKER:
        raise NotPermitted("Only caseworkers review the spam queue.")
    hold = SpamHold.objects.select_for_update().get(pk=hold.pk)
    if hold.status != SpamHold.Status.PENDING:
        raise DomainError("This submission has already been reviewed.")
    if not release and len(note.strip()) < 5:
        raise MissingInformation("Say why this is spam (at least 5 characters).", field="note")
    hold.status = SpamHold.Status.RELEASED if release else SpamHold.Status.CONFIRMED
    hold.reviewed_by, hold.reviewed_at, hold.review_note = actor.user, clock.now(), note.strip()
    hold.save()
    complaint = hold.complaint
    case = None
    if release:
        case, _ = _place(actor, complaint)
        _acknowledge(complaint, case)
    # The note is typed text: kept outside the hashed payload so retention can erase it (decision 0017).
    note_ref = stated_reason_create(action="complaint.spam_reviewed", field="note", text=hold.review_note, case=case)
    audit_append(actor=actor, action="complaint.spam_reviewed", subject=f"complaint:{complaint.public_id}",
                 payload={"complaint": complaint.reference, "released": release, "note": note_ref})
    return hold
