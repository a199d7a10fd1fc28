"""Appending to the audit chain. Called by every service inside its own transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from django.db import connection, transaction

from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
from fairhearing.audit.models import AuditEvent, AuditHead
from fairhearing.audit.registry import require_registered
from fairhearing.core import clock
from fairhearing.core.actors import Actor


def _iso(dt: Any) -> str:
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def audit_append(*, actor: Actor | str, action: str, subject: str, payload: Mapping[str, Any] | None = None) -> AuditEvent:
    """Append one event to the chain and return it.

    Must run inside the caller's ``transaction.atomic`` block, so the event commits or rolls back
    with the change it records. Raises ``UnregisteredAction`` for an unknown action name.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must be called inside the service's transaction.atomic block")
    require_registered(action)
    actor_name = actor if isinstance(actor, str) else actor.audit_name
    payload_json = canonical_payload(dict(payload or {}))
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
    seq = head.seq + 1
    occurred_at = _iso(clock.now())
    digest = compute_hash(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor_name,
        action=action,
        subject=subject,
        payload_json=payload_json,
        prev_hash=head.hash,
    )
    event = AuditEvent.objects.create(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor_name,
        action=action,
        subject=subject,
        payload=payload_json,
        prev_hash=head.hash,
        hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event


@transaction.atomic
def audit_record(*, actor: Actor | str, action: str, subject: str, payload: Mapping[str, Any] | None = None) -> AuditEvent:
    """Record a read or another event that has no state change of its own (its own transaction)."""
    return audit_append(actor=actor, action=action, subject=subject, payload=payload)


def event_payload(event: AuditEvent) -> dict[str, Any]:
    data = json.loads(event.payload)
    return data if isinstance(data, dict) else {}
