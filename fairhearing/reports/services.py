"""Writes for the statistics app: publishing and withdrawing anonymised decision summaries."""

from __future__ import annotations

import re

from django.db import transaction

from fairhearing.accounts.permissions import require_manage
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation
from fairhearing.reports.models import PublishedSummary

MIN_SUMMARY = 40
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _names_in(case: Case, text: str) -> list[str]:
    """Party names (and their parts longer than two letters) that appear in the text."""
    lowered = text.lower()
    found = []
    for party in case.parties.all():
        for piece in [party.name, *party.name.split()]:
            if len(piece) > 2 and piece.lower() in lowered:
                found.append(piece)
    return sorted(set(found))


@transaction.atomic
def summary_publish(*, actor: Actor, case: Case, text: str) -> PublishedSummary:
    """Publish an anonymised summary of a closed case. Refused while the case is open, when the
    text is too short to say anything, or when it contains a party's name or an email address."""
    require_manage(actor, case)
    text = text.strip()
    if not case.closed:
        raise DomainError("Only a closed case can have a published summary.")
    if len(text) < MIN_SUMMARY:
        raise MissingInformation(f"Write a summary of at least {MIN_SUMMARY} characters.", field="text")
    names = _names_in(case, text)
    if names:
        raise MissingInformation(f"The summary names a party ({', '.join(names)}); remove names before publishing.", field="text")
    if _EMAIL.search(text):
        raise MissingInformation("The summary contains an email address; remove it before publishing.", field="text")
    assert actor.user is not None
    summary = PublishedSummary.objects.create(case=case, category=case.category, outcome=case.outcome, text=text,
                                              published_by=actor.user, published_at=clock.now())
    audit_append(actor=actor, action="summary.published", subject=f"case:{case.public_id}",
                 payload={"summary": str(summary.public_id), "length": len(text)})
    return summary


@transaction.atomic
def summary_withdraw(*, actor: Actor, summary: PublishedSummary) -> PublishedSummary:
    require_manage(actor, summary.case)
    if summary.withdrawn_at is not None:
        raise DomainError("This summary has already been withdrawn.")
    summary.withdrawn_at = clock.now()
    summary.save(update_fields=["withdrawn_at"])
    audit_append(actor=actor, action="summary.withdrawn", subject=f"case:{summary.case.public_id}",
                 payload={"summary": str(summary.public_id)})
    return summary
