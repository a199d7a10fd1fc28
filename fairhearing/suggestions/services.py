"""Writes of the suggestions app: claiming texts to screen, storing what screening said, and the
caseworker's decision on each suggestion. Suggestions are pointers for a caseworker to check,
never findings: nothing here changes a case, its allegations or their clauses."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from fairhearing.accounts.models import Role
from fairhearing.accounts.permissions import is_assigned
from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.core import clock
from fairhearing.core.actors import Actor, system_actor
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.suggestions import sources
from fairhearing.suggestions.models import ScreeningRun, Suggestion

if TYPE_CHECKING:
    from fairhearing.screening import ScreeningResult

SCREENER = system_actor("screening")
STALE_AFTER = timedelta(minutes=30)
MAX_NOTE = 2000


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def screening_claim(*, limit: int = 200) -> list[int]:
    """Claim up to ``limit`` unscreened texts by creating a queued run for each, and put back
    runs left queued longer than STALE_AFTER (a worker died). Returns the run ids to screen.

    The unique source constraint is the claim: with two ticks at once, each text is claimed by
    one of them only.
    """
    now = clock.now()
    ids: list[int] = []
    for kind, source_id, case_id in sources.unscreened(limit):
        try:
            with transaction.atomic():
                run = ScreeningRun.objects.create(case_id=case_id, source_kind=kind, source_id=source_id, queued_at=now)
        except IntegrityError:
            continue  # claimed by another tick a moment ago
        ids.append(run.pk)
    stale = list(ScreeningRun.objects.filter(state=ScreeningRun.State.QUEUED, queued_at__lt=now - STALE_AFTER).values_list("pk", flat=True)[:limit])
    if stale:
        ScreeningRun.objects.filter(pk__in=stale, state=ScreeningRun.State.QUEUED).update(queued_at=now)
    return ids + stale


def model_version(result: ScreeningResult) -> str:
    """Which engine produced a result: the packaged model with the lexicon, or the lexicon alone."""
    try:
        from fairhearing.screening.engine import default_screener

        lexicon = getattr(default_screener().lexicon, "version", "")
    except Exception:  # noqa: BLE001 - a label only; the result itself is already computed
        lexicon = ""
    base = "model+lexicon" if result.model else "lexicon-only"
    return (f"{base}, lexicon {lexicon}" if lexicon else base)[:100]


@transaction.atomic
def screening_record(*, run: ScreeningRun, text: str, result: ScreeningResult, actor: Actor = SCREENER) -> ScreeningRun:
    """Store what screening said about a run's text, with one pending suggestion per clause.

    Idempotent: a run already done is returned unchanged. When an earlier run of the same case
    screened exactly the same text (an allegation copied from the complaint, say), this run
    points to it and gets no suggestions of its own, so the caseworker decides each once.
    Audited as ``screening.recorded`` by the system actor; the event holds no text.
    """
    current = ScreeningRun.objects.select_for_update().select_related("case").get(pk=run.pk)
    if current.state == ScreeningRun.State.DONE:
        return current
    digest = text_sha256(text)
    original = (
        ScreeningRun.objects.filter(case=current.case, text_sha256=digest, state=ScreeningRun.State.DONE, duplicate_of__isnull=True)
        .exclude(pk=current.pk).order_by("pk").first()
    )
    current.state = ScreeningRun.State.DONE
    current.text_sha256 = digest
    current.score = result.score
    current.flag = result.flag
    current.framing = result.framing
    current.policy_criticism = bool(getattr(result, "policy_criticism", False))
    current.model_version = model_version(result)
    current.duplicate_of = original
    current.created_at = clock.now()
    current.error = ""
    current.save()
    clauses: list[str] = []
    if original is None:
        for rank, item in enumerate(result.examples):
            if item.clause in clauses:
                continue
            Suggestion.objects.create(
                run=current, clause_identifier=item.clause[:40], confidence=float(item.confidence),
                triggers=[str(t)[:200] for t in item.triggers][:20], rank=rank,
            )
            clauses.append(item.clause)
    audit_append(actor=actor, action="screening.recorded", subject=f"case:{current.case.public_id}", payload={
        "run": str(current.public_id), "source": current.source_kind, "text_sha256": digest,
        "score": round(result.score, 4), "flag": result.flag, "framing": result.framing,
        "clauses": clauses, "duplicate_of": str(original.public_id) if original else None,
        "model_version": current.model_version,
    })
    return current


@transaction.atomic
def screening_fail(*, run: ScreeningRun, error: str) -> ScreeningRun:
    """Mark a run that could not be screened (its source is gone or the engine failed)."""
    current = ScreeningRun.objects.select_for_update().get(pk=run.pk)
    if current.state == ScreeningRun.State.QUEUED:
        current.state = ScreeningRun.State.FAILED
        current.error = error[:300]
        current.save(update_fields=["state", "error"])
    return current


@transaction.atomic
def suggestion_decide(*, actor: Actor, suggestion: Suggestion, accept: bool, note: str = "") -> Suggestion:
    """Record the assigned caseworker's view of one suggestion: accepted (worth pursuing) or
    rejected. A later decision replaces an earlier one; every decision stays in the audit log.

    Only the caseworker assigned to the case may decide (NotPermitted otherwise). The decision
    changes nothing else: citing a clause on an allegation is a separate, deliberate step.
    """
    current = Suggestion.objects.select_for_update().select_related("run__case").get(pk=suggestion.pk)
    case = current.run.case
    user = actor.user
    if user is None or not user.is_active or user.role != Role.CASEWORKER or not is_assigned(user, case, "caseworker"):
        raise NotPermitted("Only the caseworker assigned to this case can accept or reject its suggestions.")
    if case.closed:
        raise DomainError("This case is closed; its suggestions can no longer be decided.")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise DomainError(f"Keep the note under {MAX_NOTE} characters; it has {len(note)}.", field="note")
    previous = current.status
    current.status = Suggestion.Status.ACCEPTED if accept else Suggestion.Status.REJECTED
    current.decided_by = user
    current.decided_at = clock.now()
    current.note = note
    current.save()
    action = "suggestion.accepted" if accept else "suggestion.rejected"
    audit_append(
        actor=actor, action=action, subject=f"case:{case.public_id}",
        payload={"suggestion": str(current.public_id), "run": str(current.run.public_id), "clause": current.clause_identifier,
                 "confidence": round(current.confidence, 4), "previous": previous,
                 "note": stated_reason_create(action=action, field="note", text=note, case=case)},
    )
    return current
