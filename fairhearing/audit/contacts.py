"""The external contact register: contacts about a case from people outside the process.

Any staff member who can see a case records a contact about it (who, when, by what channel, what
was asked). The overseer reads the register per case and per contacting person; the number of
contacts in a period is part of the published statistics (``contacts_count``).

Each entry's audit event carries a SHA-256 digest of the entry, so an edit to the stored row is
visible against the tamper-evident log (``contact_digest``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Max, QuerySet

from fairhearing.accounts.permissions import may_record_contact, require_overseer
from fairhearing.audit.chain import canonical_payload
from fairhearing.audit.models import ContactChannel, ExternalContact
from fairhearing.audit.services import audit_append, audit_record
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import MissingInformation, NotPermitted

if TYPE_CHECKING:
    from fairhearing.cases.models import Case

_SPACE = re.compile(r"\s+")


def contact_key(name: str) -> str:
    """Fold a contacting person's name for grouping: case, accents and spacing ignored."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SPACE.sub(" ", folded).strip().casefold()


def contact_digest(contact: ExternalContact) -> str:
    """SHA-256 over the entry's recorded fields (the value its audit event carries)."""
    text = canonical_payload({
        "case": str(contact.case.public_id),
        "contact_name": contact.contact_name,
        "contact_position": contact.contact_position,
        "occurred_at": contact.occurred_at.isoformat(),
        "channel": contact.channel,
        "request": contact.request,
    })
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def external_contact_record(
    *,
    actor: Actor,
    case: Case,
    contact_name: str,
    occurred_at: datetime,
    channel: str,
    request: str,
    contact_position: str = "",
) -> ExternalContact:
    """Enter one outside contact about ``case`` in the register.

    Raises ``NotPermitted`` unless the actor can see the case, ``MissingInformation`` naming the
    field for an empty name or request, an unknown channel, or a time in the future.
    """
    user = actor.user
    if user is None or not may_record_contact(user, case):
        raise NotPermitted("Only staff who can see this case can record a contact about it.")
    contact_name = contact_name.strip()
    request = request.strip()
    if not contact_name:
        raise MissingInformation("Say who made the contact (their name).", field="contact_name")
    if not request:
        raise MissingInformation("Say what they asked or said about the case.", field="request")
    if channel not in ContactChannel.values:
        raise MissingInformation(f"Choose how the contact was made; {channel!r} is not one of the options.", field="channel")
    if occurred_at > clock.now():
        raise MissingInformation("The contact cannot be in the future; give the date and time it happened.", field="occurred_at")
    contact = ExternalContact.objects.create(
        case=case,
        contact_name=contact_name,
        contact_key=contact_key(contact_name),
        contact_position=contact_position.strip(),
        occurred_at=occurred_at,
        channel=channel,
        request=request,
        recorded_by=user,
        recorded_at=clock.now(),
    )
    audit_append(
        actor=actor,
        action="contact.recorded",
        subject=f"case:{case.public_id}",
        payload={"contact": str(contact.public_id), "channel": channel, "digest": contact_digest(contact)},
    )
    return contact


def contacts_for_case(*, actor: Actor, case: Case) -> QuerySet[ExternalContact]:
    """The register for one case (overseer only; the read is audited)."""
    require_overseer(actor)
    audit_record(actor=actor, action="contact.listed", subject=f"case:{case.public_id}", payload={})
    return ExternalContact.objects.filter(case=case).select_related("recorded_by", "case")


def contacts_by_person(*, actor: Actor, key: str) -> QuerySet[ExternalContact]:
    """Every contact made by one person (grouped by ``contact_key``), across cases."""
    require_overseer(actor)
    audit_record(actor=actor, action="contact.listed", subject=f"contact:{key}", payload={})
    return ExternalContact.objects.filter(contact_key=key).select_related("recorded_by", "case")


def contact_people() -> QuerySet:  # type: ignore[type-arg]
    """Each contacting person with their number of contacts and cases, most active first."""
    return (
        ExternalContact.objects.values("contact_key")
        .annotate(contacts=Count("id"), cases=Count("case", distinct=True), name=Max("contact_name"), last=Max("occurred_at"))
        .order_by("-contacts", "contact_key")
    )


def contacts_count(start: datetime, end: datetime) -> int:
    """Contacts that happened in ``[start, end)``: the figure for the published statistics."""
    return ExternalContact.objects.filter(occurred_at__gte=start, occurred_at__lt=end).count()
