"""Free text cited by audit events, kept outside the hashed payload (decision 0017).

A service that records typed text (a transition's reasons, a pause or recusal reason, a link or
move reason, a reviewer's reasons) stores it with :func:`stated_reason_create` inside its own
transaction and puts the returned reference in the event's payload::

    {"stated_reason": "<public id>", "sha256": "<hex digest of salt + text>"}

Retention erases the text and its salt (:func:`stated_reasons_erase`); no hashed byte changes, so
``fairhearing audit verify`` still passes. Pages that show reasons read them back through
:func:`shown_reasons`, which checks each text against the digest recorded in the chain.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from fairhearing.audit.models import AuditEvent, StatedReason
from fairhearing.core import clock

if TYPE_CHECKING:
    from fairhearing.cases.models import Case

REFERENCE_KEYS = frozenset({"stated_reason", "sha256"})
SALT_BYTES = 16
ERASED_UNDER = {
    "retention": "erased under the retention schedule",
    "erasure": "erased on the person's erasure request",
}


def reason_digest(salt: str, text: str) -> str:
    """SHA-256 over the salt's bytes followed by the UTF-8 text, as hex."""
    return hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


def stated_reason_create(*, action: str, field: str, text: str, case: Case | None = None) -> dict[str, str] | None:
    """Store ``text`` (stripped) for the event ``action`` is about to record, and return the
    reference to put in its payload under ``field``; None when the text is empty.

    Must run inside the calling service's transaction, like ``audit_append``, so the text and the
    event that cites it commit or roll back together.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("stated_reason_create must be called inside the service's transaction.atomic block")
    text = text.strip()
    if not text:
        return None
    salt = secrets.token_hex(SALT_BYTES)
    digest = reason_digest(salt, text)
    row = StatedReason.objects.create(case=case, action=action, field=field, text=text, salt=salt, sha256=digest, created_at=clock.now())
    return {"stated_reason": str(row.public_id), "sha256": digest}


def is_reference(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == REFERENCE_KEYS


def stated_reason_attach(*, reference: Mapping[str, str] | None, case: Case) -> None:
    """Tie a stored text to ``case`` (the case whose anonymisation erases it). For a text that
    concerns a second case, besides the one whose timeline cites it (a complaint moved away)."""
    if reference is not None:
        StatedReason.objects.filter(public_id=reference["stated_reason"]).update(case=case)


def cited_by_case(case: Case) -> set[str]:
    """Public ids of the texts cited by events about ``case`` (subject ``case:<public id>``)."""
    found: set[str] = set()
    events = AuditEvent.objects.filter(subject=f"case:{case.public_id}", payload__contains='"stated_reason"')
    for payload in events.values_list("payload", flat=True).iterator():
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        if isinstance(data, dict):
            found |= {str(ref["stated_reason"]) for _, ref in references(data)}
    return found


def stated_reasons_erase(*, case: Case, under: str) -> int:
    """Erase the text and salt of every stated reason tied to ``case`` or cited by an event about
    it (rows stay, with the time and why). Runs inside the caller's transaction; returns the
    number of rows erased now."""
    wanted = Q(case=case) | Q(public_id__in=_valid_uuids(cited_by_case(case)))
    return StatedReason.objects.filter(wanted, erased_at__isnull=True).update(
        text="", salt="", erased_at=clock.now(), erased_under=under
    )


@dataclass(frozen=True)
class ShownReason:
    """One cited text as a page shows it: the text when it matches the chain, or why it cannot be shown."""

    field: str
    state: str  # "intact", "erased", "altered" or "missing"
    text: str = ""
    erased_on: date | None = None
    erased_under: str = ""

    @property
    def label(self) -> str:
        return self.field.replace("_", " ").capitalize()

    @property
    def status(self) -> str:
        """What to say instead of the text (empty when the text is shown)."""
        if self.state == "erased":
            why = ERASED_UNDER.get(self.erased_under, f"erased ({self.erased_under})" if self.erased_under else "erased")
            return f"{why} on {self.erased_on.day} {self.erased_on:%B %Y}" if self.erased_on else why
        if self.state == "altered":
            return "the stored text does not match the digest in the audit log: it has been altered; tell the overseer"
        if self.state == "missing":
            return "the stored text is missing from the database; tell the overseer"
        return ""


def _payload(event: AuditEvent) -> dict[str, Any]:
    try:
        data = json.loads(event.payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def references(payload: Mapping[str, Any]) -> list[tuple[str, Mapping[str, str]]]:
    """The (key, reference) pairs in a payload, in key order."""
    return [(key, value) for key, value in sorted(payload.items()) if is_reference(value)]


def _show(key: str, ref: Mapping[str, str], row: StatedReason | None) -> ShownReason:
    if row is None:
        return ShownReason(field=key, state="missing")
    if row.sha256 != ref["sha256"]:
        return ShownReason(field=key, state="altered")
    if row.erased_at is not None:
        return ShownReason(field=key, state="erased", erased_on=timezone.localdate(row.erased_at), erased_under=row.erased_under)
    try:
        intact = bool(row.salt) and reason_digest(row.salt, row.text) == ref["sha256"]
    except ValueError:  # a salt that is not hex
        intact = False
    return ShownReason(field=key, state="intact", text=row.text) if intact else ShownReason(field=key, state="altered")


def shown_reasons(events: Iterable[AuditEvent]) -> dict[int, list[ShownReason]]:
    """For each event (by ``seq``) that cites stated text, what to show; one query for them all."""
    cited: list[tuple[int, str, Mapping[str, str]]] = []
    for event in events:
        cited += [(event.seq, key, ref) for key, ref in references(_payload(event))]
    wanted = {ref["stated_reason"] for _, _, ref in cited}
    rows = {str(r.public_id): r for r in StatedReason.objects.filter(public_id__in=_valid_uuids(wanted))}
    out: dict[int, list[ShownReason]] = {}
    for seq, key, ref in cited:
        out.setdefault(seq, []).append(_show(key, ref, rows.get(ref["stated_reason"])))
    return out


def _valid_uuids(values: Iterable[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return valid
