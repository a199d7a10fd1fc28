"""Reads for the public pages: what a complainant may see about their complaint, and the
respondent's pack (allegations, clauses, evidence with redactions applied)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case, Complaint
from fairhearing.core.actors import party_actor
from fairhearing.intake.models import Evidence, Message, RespondentLink, RespondentReply, SpamHold


@dataclass(frozen=True)
class ComplaintStatus:
    stage_label: str
    explanation: str
    due_on: date | None
    paused: bool
    closed: bool
    messages: list[Message]
    evidence: list[Evidence]


def complaint_status(complaint: Complaint) -> ComplaintStatus:
    """The stage in plain words, the next deadline, the messages both ways and the evidence sent."""
    from fairhearing.workflow.config import get_process

    case: Case | None = complaint.case
    msgs = list(Message.objects.filter(complaint=complaint))
    evidence = list(Evidence.objects.filter(complaint=complaint, supplied_by=Evidence.From.COMPLAINANT))
    if case is None:
        held = SpamHold.objects.filter(complaint=complaint).first()
        explanation = ("Your complaint has been received and is waiting for a routine check before it is assessed."
                       if held is None or held.status == SpamHold.Status.PENDING else "Your complaint has been received.")
        return ComplaintStatus("Received", explanation, None, False, False, msgs, evidence)
    stage = get_process().stage(case.stage)
    return ComplaintStatus(stage.public_label, stage.description, None if case.paused else case.due_on, case.paused,
                           case.closed, msgs, evidence)


@dataclass(frozen=True)
class PackItem:
    evidence: Evidence
    text: str
    redacted: bool


@dataclass(frozen=True)
class RespondentPack:
    case: Case
    allegations: list[Any]
    evidence: list[PackItem]
    replies: list[RespondentReply]
    reply_due_on: date
    hearing_move_requested: bool


def _pack_evidence(case: Case) -> list[Evidence]:
    return list(Evidence.objects.filter(Q(complaint__case=case) | Q(case=case))
                .exclude(supplied_by=Evidence.From.RESPONDENT).filter(withheld_from_respondent=False))


def respondent_pack(link: RespondentLink) -> RespondentPack:
    from fairhearing.intake.models import HearingMoveRequest

    case = link.case
    items = []
    for item in _pack_evidence(case):
        redacted = bool(item.redacted_text)
        items.append(PackItem(evidence=item, text=item.redacted_text if redacted else item.text, redacted=redacted))
    return RespondentPack(
        case=case, allegations=list(case.allegations.prefetch_related("clauses")), evidence=items,
        replies=list(RespondentReply.objects.filter(party=link.party)), reply_due_on=link.reply_due_on,
        hearing_move_requested=HearingMoveRequest.objects.filter(party=link.party).exists(),
    )


def respondent_file(link: RespondentLink, public_id: Any) -> Evidence | None:
    """A file of the pack, only when it is in this respondent's pack and not redacted away."""
    for item in _pack_evidence(link.case):
        if str(item.public_id) == str(public_id) and item.kind == Evidence.Kind.FILE and not item.redacted_text:
            return item
    return None


def respondent_pack_viewed(link: RespondentLink) -> None:
    audit_record(actor=party_actor("respondent", link.case.reference), action="respondent.pack_viewed",
                 subject=f"case:{link.case.public_id}", payload={"party": str(link.party.public_id)})


def complaints_for_staff(cases: Any) -> Any:
    """Complaints on the cases a caseworker may see, newest first."""
    return Complaint.objects.filter(case__in=cases).select_related("case").order_by("-received_at")
