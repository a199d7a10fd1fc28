"""Writes of the audit app: appending to the chain (called by every service inside its own
transaction), signed checkpoints, verification runs, checkpoint exports, inclusion proofs and
break-glass grants. The external contact register lives in ``fairhearing.audit.contacts``."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction

from fairhearing.accounts.permissions import (
    can_view_case,
    has_active_grant,
    is_overseer,
    may_break_glass,
    require_overseer,
)
from fairhearing.audit import merkle, selectors, signing
from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
from fairhearing.audit.models import (
    AuditEvent,
    AuditHead,
    BreakGlassGrant,
    Checkpoint,
    VerificationRun,
)
from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.registry import require_registered
from fairhearing.audit.verify import Report, verify_ranges
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted

if TYPE_CHECKING:
    from fairhearing.cases.models import Case

log = logging.getLogger("fairhearing.audit")
BREAK_GLASS_HOURS = 2
BREAK_GLASS_MAX_HOURS = 8
MIN_REASON_CHARS = 20


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


# --- signing key -------------------------------------------------------------------------------


def signing_key_path() -> Path:
    """Where the signing key lives: ``settings.FAIRHEARING_AUDIT_KEY`` (outside the database)."""
    return Path(settings.FAIRHEARING_AUDIT_KEY)


def signing_key() -> Ed25519PrivateKey:
    """Load the signing key; raises ``signing.AuditKeyError`` saying what is wrong and how to fix it."""
    return signing.load_private_key(signing_key_path())


def audit_keygen(path: Path | None = None) -> Path:
    """Create the signing key (refuses to overwrite one). Returns its path."""
    target = Path(path or signing_key_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    signing.generate_key_file(target)
    return target


# --- checkpoints -------------------------------------------------------------------------------


def checkpoint_write(*, actor: Actor | str, key: Ed25519PrivateKey | None = None) -> Checkpoint | None:
    """Sign and store a checkpoint of the whole log, then record that in the log.

    Returns None (and writes nothing) when every event since the last checkpoint is itself a
    checkpoint record, so a tick that runs every minute does not grow the log by itself.
    The root is computed without holding the append lock: the checkpoint covers the events
    committed when it started, and its own ``audit.checkpoint_written`` event falls into the
    next one. Raises ``signing.AuditKeyError`` when the key cannot be loaded.
    """
    key = key or signing_key()
    size = selectors.head_seq()
    last = selectors.latest_checkpoint()
    done = last.tree_size if last else 0
    if size == 0 or not AuditEvent.objects.filter(seq__gt=done, seq__lte=size).exclude(action="audit.checkpoint_written").exists():
        return None
    root = merkle.MerkleAccumulator()
    for leaf in selectors.event_hashes(up_to=size):
        root.append(leaf)
    if root.size != size:
        raise RuntimeError(f"the log claims {size} events but {root.size} were read; run 'fairhearing audit verify'")
    signed = signing.sign_checkpoint(key, tree_size=size, root=root.root(), issued_at=_iso(clock.now()))
    with transaction.atomic():
        stored = Checkpoint.objects.create(**signed.to_dict())
        audit_append(actor=actor, action="audit.checkpoint_written", subject="audit:log", payload={"tree_size": size, "root": signed.root, "key_id": signed.key_id})
    return stored


def checkpoint_tick() -> str:
    """The tick hook: write a checkpoint if there is anything new; never raises for a missing key."""
    try:
        key = signing_key()
    except signing.AuditKeyError as error:
        log.warning("audit checkpoint skipped: %s (run 'fairhearing audit keygen' to create one)", error)
        return f"skipped: {error}"
    stored = checkpoint_write(actor="system:tick", key=key)
    return f"checkpoint at tree size {stored.tree_size}" if stored else "nothing new to checkpoint"


def checkpoints_export(*, actor: Actor | str) -> str:
    """The overseer's copy: the public key and every stored checkpoint it signed, as JSON."""
    if isinstance(actor, Actor):
        require_overseer(actor)
    public = signing_key().public_key()
    own = signing.key_id(public)
    checkpoints = [cp.as_signed() for cp in selectors.stored_checkpoints() if cp.key_id == own]
    with transaction.atomic():
        audit_append(actor=actor, action="audit.checkpoints_exported", subject="audit:log", payload={"checkpoints": len(checkpoints), "key_id": own, "tree_size": checkpoints[-1].tree_size if checkpoints else 0})
    return signing.export_checkpoints(checkpoints, public)


# --- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """A verification report plus what could not be checked."""

    report: Report
    signatures_checked: bool
    note: str

    @property
    def ok(self) -> bool:
        return self.report.ok


def audit_verify(*, actor: Actor | str, against: str | None = None, record: bool = True, using: str = "default", workers: int | None = None) -> Verification:
    """Recompute the chain and every Merkle root, check every signature, and name the first damage.

    ``against`` is the text of an overseer's export (``checkpoints_export``); with it a log
    rewritten from scratch under a fresh key is detected. Without a signing key file, the chain
    is still checked and the note says the checkpoints could not be. Raises ``ValueError`` for a
    malformed export. With ``record`` the outcome is stored for the dashboard and audited.
    ``workers`` is the number of processes that read and hash ranges of the log (None: one per
    core for a large log, when they can see the same data; see ``selectors.event_log_ranges``).
    """
    overseer: tuple[Ed25519PublicKey, list[signing.Checkpoint]] | None = None
    if against is not None:
        overseer = signing.import_checkpoints(against)
    note = ""
    try:
        public: Ed25519PublicKey | None = signing_key().public_key()
    except signing.AuditKeyError as error:
        public = overseer[0] if overseer else None
        note = f"the signing key could not be loaded ({error})"
    stored = [cp.as_signed() for cp in selectors.stored_checkpoints(using=using)]
    log_ranges = selectors.event_log_ranges(using=using, workers=workers)
    if public is None:
        note += "; stored checkpoints were not checked, only the chain"
        report = verify_ranges(log_ranges, [], Ed25519PrivateKey.generate().public_key())
    else:
        if note:
            note += "; the overseer's key was used to check the stored checkpoints"
        report = verify_ranges(log_ranges, stored, public, overseer)
    outcome = Verification(report=report, signatures_checked=public is not None, note=note.strip("; "))
    if record:
        _record_verification(actor, outcome, against_copy=overseer is not None)
    return outcome


@transaction.atomic
def _record_verification(actor: Actor | str, outcome: Verification, *, against_copy: bool) -> None:
    report = outcome.report
    actor_name = actor if isinstance(actor, str) else actor.audit_name
    VerificationRun.objects.create(
        ran_at=clock.now(), actor=actor_name, ok=report.ok, damage=str(report.damage or ""),
        first_bad_seq=report.first_bad_seq, events_checked=report.events_checked,
        checkpoints_checked=report.checkpoints_checked, against_overseer_copy=against_copy,
        signatures_checked=outcome.signatures_checked, message=report.message + (f" ({outcome.note})" if outcome.note else ""),
    )
    audit_append(actor=actor, action="audit.verified", subject="audit:log", payload={
        "ok": report.ok, "damage": str(report.damage or ""), "first_bad_seq": report.first_bad_seq,
        "events_checked": report.events_checked, "checkpoints_checked": report.checkpoints_checked,
        "against_overseer_copy": against_copy, "signatures_checked": outcome.signatures_checked,
    })


def audit_prove(*, actor: Actor | str, seq: int) -> dict[str, Any]:
    """An inclusion proof for event ``seq`` against the newest checkpoint that covers it.

    Raises ``DomainError`` if there is no such event or no checkpoint covers it yet. The result
    says whether the proof and the checkpoint's signature check out here; anyone holding the
    overseer's export can check both again with ``merkle.verify_inclusion``.
    """
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise DomainError(f"There is no event with sequence number {seq}; the log has {selectors.head_seq()} events.")
    checkpoint = selectors.latest_checkpoint(covering=seq)
    if checkpoint is None:
        raise DomainError(f"No checkpoint covers event {seq} yet; run 'fairhearing audit checkpoint' and ask again.")
    leaves = list(selectors.event_hashes(up_to=checkpoint.tree_size))
    path = merkle.inclusion_proof(seq - 1, leaves)
    root = bytes.fromhex(checkpoint.root)
    try:
        signature_ok: bool | None = signing.verify_checkpoint(checkpoint.as_signed(), signing_key().public_key())
    except signing.AuditKeyError:
        signature_ok = None
    with transaction.atomic():
        audit_append(actor=actor, action="audit.proof_given", subject="audit:log", payload={"seq": seq, "tree_size": checkpoint.tree_size})
    return {
        "seq": seq,
        "event_hash": event.hash,
        "leaf_index": seq - 1,
        "tree_size": checkpoint.tree_size,
        "root": checkpoint.root,
        "checkpoint": checkpoint.as_signed().to_dict(),
        "proof": [node.hex() for node in path],
        "proof_valid": merkle.verify_inclusion(bytes.fromhex(event.hash), seq - 1, checkpoint.tree_size, path, root),
        "signature_valid": signature_ok,
    }


# --- break-glass -------------------------------------------------------------------------------


@transaction.atomic
def break_glass_grant(*, actor: Actor, case: Case, reason: str, hours: int = BREAK_GLASS_HOURS) -> BreakGlassGrant:
    """Give ``actor`` read access to a case it is not assigned to, for ``hours`` hours.

    Needs a reason of at least 20 characters. Every overseer is notified (once per grant) and
    the grant is in the audit log. The grant shows the case; it never lets its holder act on it.
    """
    from fairhearing.accounts.models import Role, User
    from fairhearing.cases.notify import notification_queue

    user = actor.user
    if user is None or not may_break_glass(user):
        raise NotPermitted("Only caseworkers, panel members and reviewers can use break-glass access.")
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise MissingInformation(f"Give the reason you need this case now, in at least {MIN_REASON_CHARS} characters; the overseer will read it.", field="reason")
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        raise DomainError(f"Break-glass access lasts from 1 to {BREAK_GLASS_MAX_HOURS} hours; you asked for {hours}.", field="hours")
    if has_active_grant(user, case):
        raise DomainError("You already hold break-glass access to this case.")
    if can_view_case(user, case):
        raise DomainError("You can already see this case; break-glass access is not needed.")
    now = clock.now()
    grant = BreakGlassGrant.objects.create(user=user, case=case, reason=reason, granted_at=now, expires_at=now + timedelta(hours=hours))
    audit_append(actor=actor, action="access.break_glass_granted", subject=f"case:{case.public_id}", payload={
        "grant": str(grant.public_id),
        # Typed text stays outside the hashed payload so retention can erase it (decision 0017).
        "reason": stated_reason_create(action="access.break_glass_granted", field="reason", text=reason, case=case),
        "hours": hours, "expires_at": _iso(grant.expires_at),
    })
    for overseer in User.objects.filter(role=Role.OVERSEER, is_active=True):
        notification_queue(
            kind="break_glass", dedupe_key=f"break_glass:{grant.public_id}:{overseer.public_id}",
            recipient_role="overseer", recipient_user=overseer, case=case,
            context={"grant": grant, "holder": user, "reason": reason},
        )
    return grant


@transaction.atomic
def break_glass_end(*, actor: Actor, grant: BreakGlassGrant) -> BreakGlassGrant:
    """End a grant early: its holder or an overseer may."""
    user = actor.user
    if user is None or (user.pk != grant.user_id and not is_overseer(user)):
        raise NotPermitted("Only the holder of this access or the overseer can end it.")
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.ended_at is not None or grant.expires_at <= clock.now():
        raise DomainError("This break-glass access has already ended.")
    grant.ended_at = clock.now()
    grant.save(update_fields=["ended_at"])
    audit_append(actor=actor, action="access.break_glass_ended", subject=f"case:{grant.case.public_id}", payload={"grant": str(grant.public_id)})
    return grant
