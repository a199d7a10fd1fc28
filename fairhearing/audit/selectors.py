"""Reads of the audit log and of the oversight records.

Whole-log reads stream: ``values_list`` tuples through ``iterator(chunk_size=...)``, never a
model instance per event, so verifying a million events keeps memory flat and stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from fairhearing.audit.chain import EventRow
from fairhearing.audit.models import (
    AuditEvent,
    BreakGlassGrant,
    Checkpoint,
    ExternalContact,
    VerificationRun,
)
from fairhearing.core import clock

CHUNK = 20_000
ROW_FIELDS = ("seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash")
OLD_CASE_DAYS = 90
# Transitions that undo or reopen a decision, and the outcomes of an appeal that changes one.
REVERSING_TRANSITIONS = ("veto", "reopen")
REVERSING_APPEAL_OUTCOMES = ("allowed", "sanction_substituted")
# Actions of the decisions app that undo a decision outright.
REVERSING_ACTIONS = ("review.vetoed",)


def event_rows(*, using: str = "default", chunk_size: int = CHUNK) -> Iterator[EventRow]:
    """Every event as an ``EventRow`` tuple, in storage order (primary key, i.e. append order).

    Storage order rather than ``seq`` order, so that rows moved around are seen out of order.
    """
    query = AuditEvent.objects.using(using).order_by("pk").values_list(*ROW_FIELDS)
    return query.iterator(chunk_size=chunk_size)  # type: ignore[return-value]


def event_hashes(*, up_to: int, using: str = "default", chunk_size: int = CHUNK) -> Iterator[bytes]:
    """The raw 32-byte hash of each event with ``seq <= up_to``, in sequence order (Merkle leaves)."""
    query = AuditEvent.objects.using(using).filter(seq__lte=up_to).order_by("seq").values_list("hash", flat=True)
    fromhex = bytes.fromhex
    for digest in query.iterator(chunk_size=chunk_size):
        yield fromhex(digest)


def head_seq(*, using: str = "default") -> int:
    """The sequence number of the newest event (0 for an empty log)."""
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def stored_checkpoints(*, using: str = "default") -> list[Checkpoint]:
    return list(Checkpoint.objects.using(using).order_by("tree_size", "pk"))


def latest_checkpoint(*, covering: int = 0, using: str = "default") -> Checkpoint | None:
    """The newest checkpoint whose tree includes event ``covering`` (any, if 0)."""
    query = Checkpoint.objects.using(using)
    if covering:
        query = query.filter(tree_size__gte=covering)
    return query.order_by("-tree_size", "-pk").first()


def last_verification() -> VerificationRun | None:
    return VerificationRun.objects.first()


def events_page(*, before: int | None = None, action: str = "", subject: str = "", size: int = 100) -> list[AuditEvent]:
    """A page of events, newest first, for the overseer's log view."""
    query = AuditEvent.objects.order_by("-seq")
    if before:
        query = query.filter(seq__lt=before)
    if action:
        query = query.filter(action=action)
    if subject:
        query = query.filter(subject=subject)
    return list(query[:size])


@dataclass(frozen=True)
class OversightSummary:
    """What the overseer's dashboard shows: each list is newest first."""

    break_glass: list[BreakGlassGrant]
    reassignments: list[AuditEvent]
    reversals: list[AuditEvent]
    contacts: list[ExternalContact]
    contact_count: int
    old_cases: list[Any]
    last_verification: VerificationRun | None
    latest_checkpoint: Checkpoint | None
    head_seq: int


def reassignment_events() -> QuerySet[AuditEvent]:
    """Assignments that replaced someone already assigned."""
    return AuditEvent.objects.filter(action="case.assigned").exclude(payload__contains='"replaced":[]').order_by("-seq")


def reversal_events() -> QuerySet[AuditEvent]:
    """Decisions vetoed, reopened or overturned on appeal."""
    transitions = Q()
    for key in REVERSING_TRANSITIONS:
        transitions |= Q(payload__contains=f'"transition":"{key}"')
    appeals = Q()
    for outcome in REVERSING_APPEAL_OUTCOMES:
        appeals |= Q(payload__contains=f'"outcome":"{outcome}"')
    return AuditEvent.objects.filter(
        Q(action="case.transitioned") & (transitions | (appeals & Q(payload__contains='"transition":"decide_appeal"')))
        | Q(action="appeal.decided") & appeals
        | Q(action__in=REVERSING_ACTIONS)
    ).order_by("-seq")


def cases_past(days: int = OLD_CASE_DAYS, now: datetime | None = None) -> QuerySet[Any]:
    """Open cases opened more than ``days`` calendar days ago, oldest first."""
    from fairhearing.cases.models import Case

    cutoff = (now or clock.now()) - timedelta(days=days)
    return Case.objects.filter(closed=False, opened_at__lt=cutoff).order_by("opened_at")


def oversight_summary(*, limit: int = 50) -> OversightSummary:
    """Everything on the overseer's dashboard (interference signals and log health)."""
    return OversightSummary(
        break_glass=list(BreakGlassGrant.objects.select_related("user", "case")[:limit]),
        reassignments=list(reassignment_events()[:limit]),
        reversals=list(reversal_events()[:limit]),
        contacts=list(ExternalContact.objects.select_related("case", "recorded_by")[:limit]),
        contact_count=ExternalContact.objects.count(),
        old_cases=list(cases_past()[:limit]),
        last_verification=last_verification(),
        latest_checkpoint=latest_checkpoint(),
        head_seq=head_seq(),
    )
