"""Verification of the audit log: find the first damage and name its kind (no Django).

``verify`` streams the events once, in storage order (the order rows were appended, e.g.
by primary key, not re-sorted by seq, so that reordering stays visible). For each event
it recomputes the hash, checks the link to the previous event and the sequence number,
and feeds the event hash into an incremental RFC 6962 tree whose root is compared with
every trusted checkpoint as the stream passes its tree size. Memory stays O(log n) and no
payload is kept after its event is hashed.

Trust. The trusted key is the overseer's key when ``against=(overseer_key,
overseer_checkpoints)`` is given, otherwise ``public_key``. Trusted roots are those of
checkpoints that verify under the trusted key: the overseer's copies and the stored ones.

Classification. Checks run in this order and the first finding is reported.

1. BAD_SIGNATURE: an overseer checkpoint fails under the overseer's key (their copy is
   damaged), or a stored checkpoint fails under the trusted key and is not explained by
   rule 2. ``first_bad_seq`` is None; ``checkpoint_size`` names the checkpoint.
2. REWRITTEN (key): with ``against``, ``public_key`` (the deployment's key) is not the
   overseer's key: the log was re-signed, and stored checkpoints signed with that key are
   not trusted. The events are still streamed against the overseer's roots so that
   ``first_bad_seq`` points at the first event they do not vouch for (None if they all
   agree). This finding takes precedence over BAD_SIGNATURE and event damage.
   Two validly signed checkpoints with the same tree size and different roots (a key
   that signed two histories) are also REWRITTEN.
3. Event stream. Let ``e`` be the expected seq (1, 2, ...) and ``P`` the hash of the last
   intact event (``GENESIS_HASH`` before seq 1). An event is intact when its seq is ``e``,
   its prev_hash is ``P`` and its stored hash matches the recomputed one. At the first
   event ``r`` that is not intact, with ``n`` the event after it:

   a. ``r.prev_hash`` equals the prev_hash of the last intact event and ``r`` hashes
      correctly as seq ``e - 1`` (two genuine events claim the place of ``e - 1``,
      whatever seq ``r`` now carries) -> INSERTED at ``e - 1``.
   b. ``r.seq != e`` but ``r`` hashes correctly as seq ``e`` (its seq field was edited)
      -> CHANGED at ``e``.
   c. ``r.seq == e`` and ``r`` hashes correctly (it was edited and its hash recomputed,
      or its predecessor was): if ``n`` links to ``r`` the predecessor broke the link
      -> CHANGED at ``e - 1``; if there is no ``n`` either may be at fault -> CHANGED at
      ``e - 1`` (the earlier), unless a matching checkpoint covers ``e - 1``; else
      -> CHANGED at ``e``.
   d. ``r.seq == e`` and ``r`` does not hash correctly: if ``n`` is an intact seq ``e``
      (a duplicate), or ``r`` links to ``P`` and so does ``n`` which hashes correctly as
      seq ``e`` (the later events were renumbered) -> INSERTED at ``e``; else if ``r``
      links to ``P`` (a field or the hash was edited) -> CHANGED at ``e``; else if a later
      event links to ``P`` and hashes correctly as seq ``e`` (the contents of two events
      were swapped under fixed seq numbers) -> REORDERED at ``e``; else -> CHANGED at ``e``.
   e. ``r.seq > e``: if ``r`` hashes correctly as its own seq, then if a later event has a
      seq in ``e .. r.seq - 1`` -> REORDERED at ``e``, else (a gap that never fills)
      -> DELETED at ``e``. If ``r`` does not hash correctly -> CHANGED at ``e``.
   f. ``r.seq < e`` (a seq already seen: an extra event) -> INSERTED at ``r.seq`` (at
      ``e`` if ``r.seq`` is below 1).

   A trusted root that differs from the root of the events at its tree size means the
   events were edited and every hash after the edit recomputed, which the chain alone
   cannot show -> REWRITTEN, ``first_bad_seq`` = one past the previous matching trusted
   checkpoint (the damage lies between it and ``checkpoint_size``). One more event is
   read first: if it is damaged at or before that size (e.g. an inserted event accepted
   at a checkpoint size), that more precise finding is reported instead.
4. TRUNCATED: the stream ends intact before the largest trusted tree size;
   ``first_bad_seq`` is the first missing seq.

Speed. ``verify_ranges`` reaches the same report faster: it checks the log in ranges (in
parallel where the storage allows, see ``ranges``) and runs the sequential check above only
from the first range that does not hold, starting from the state the check would have had
there. The report is the one ``verify_rows`` gives for the same rows, field by field.

Limits. Without checkpoints the chain cannot reveal a recomputed chain or a cut tail; the
events after the newest checkpoint are protected by the chain only. Without ``against``,
a log rebuilt from scratch and signed with a freshly generated key verifies as intact:
only the overseer's copy of the earlier checkpoints and key reveals it. Names follow the
evidence, not the intent: an event whose seq was edited *and* its hash recomputed claims
another place in the log, so it reads as a move (REORDERED, DELETED or INSERTED). There
is no key rotation: checkpoints signed with a retired key read as BAD_SIGNATURE.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .chain import ENCODING_PREFIX, EventRecord, EventRow, compute_hash
from .merkle import EMPTY_ROOT
from .ranges import RangeScan, ScanState, combine
from .signing import Checkpoint, key_id, verify_checkpoint

__all__ = ["Damage", "RangedLog", "Report", "verify", "verify_ranges", "verify_rows"]


class Damage(StrEnum):
    """The kind of damage found; see the module docstring for the exact rules."""

    CHANGED = "changed"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    REWRITTEN = "rewritten"
    BAD_SIGNATURE = "bad_signature"


@dataclass
class Report:
    """Outcome of a verification. ``ok`` is False exactly when ``damage`` is set.

    ``events_checked`` counts the intact events read before any damage;
    ``checkpoints_checked`` counts checkpoint signatures checked (stored and overseer's);
    ``checkpoint_size`` is the tree size of the checkpoint a finding concerns, if any.
    """

    ok: bool
    events_checked: int
    checkpoints_checked: int
    first_bad_seq: int | None
    damage: Damage | None
    message: str
    checkpoint_size: int | None = None


@dataclass(frozen=True)
class _Finding:
    damage: Damage
    first_bad_seq: int | None
    message: str
    checkpoint_size: int | None = None


def verify(
    events: Iterable[EventRecord] | Iterable[EventRow],
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey,
    against: tuple[Ed25519PublicKey, Sequence[Checkpoint]] | None = None,
) -> Report:
    """Verify ``events`` (records or ``EventRow`` tuples, in storage order).

    ``checkpoints`` are the stored checkpoints, ``public_key`` the deployment's key,
    ``against`` the overseer's key and checkpoints. See the module docstring.
    """
    rows = (e.to_row() if isinstance(e, EventRecord) else e for e in events)
    return verify_rows(rows, checkpoints, public_key, against)


def verify_rows(
    rows: Iterable[EventRow],
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey,
    against: tuple[Ed25519PublicKey, Sequence[Checkpoint]] | None = None,
) -> Report:
    """Like ``verify`` but takes ``EventRow`` tuples only, checked one by one in one pass."""
    return _verify(lambda trusted: _scan(rows, trusted), checkpoints, public_key, against)


class RangedLog(Protocol):
    """A log that can be read as consecutive ranges of rows (see ``ranges``)."""

    block_height: int
    """Ranges start at ``1 + k * 2**block_height``."""

    def scan(self, sizes: Sequence[int]) -> Sequence[RangeScan]:
        """Scan every range in storage order with ``ranges.scan_range`` (one result per range,
        in order; it may stop after the first range that is not intact)."""
        ...

    def rows_from(self, index: int) -> AbstractContextManager[Iterable[EventRow]]:
        """Every row from the start of range ``index`` on, in storage order (open while the
        context lasts)."""
        ...


def verify_ranges(
    log: RangedLog,
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey,
    against: tuple[Ed25519PublicKey, Sequence[Checkpoint]] | None = None,
) -> Report:
    """Verify ``log`` range by range (possibly in parallel) with the same findings as ``verify``.

    Ranges are checked with ``ranges.scan_range`` and joined with ``ranges.combine``. If they
    do not all hold, the sequential check resumes at the first range not proven intact, with
    the state it would have had there, so the report is the one ``verify_rows`` gives for the
    same rows.
    """

    def scan(trusted: dict[int, str]) -> tuple[_Finding | None, int]:
        scans = log.scan(sorted(trusted))
        index, state = combine(scans, trusted, log.block_height)
        if index is None:
            # Every range holds; only a cut tail (a trusted size beyond the end) is left.
            return _scan((), trusted, state)
        with log.rows_from(index) as rows:
            return _scan(rows, trusted, state if state.expected > 1 else None)

    return _verify(scan, checkpoints, public_key, against)


def _verify(
    scan: Callable[[dict[int, str]], tuple[_Finding | None, int]],
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey,
    against: tuple[Ed25519PublicKey, Sequence[Checkpoint]] | None,
) -> Report:
    checked = 0
    trusted: dict[int, str] = {}
    rekeyed: str | None = None
    bad_signature: _Finding | None = None
    fork: _Finding | None = None

    def trust(cp: Checkpoint, source: str) -> None:
        nonlocal fork
        known = trusted.setdefault(cp.tree_size, cp.root)
        if known != cp.root and fork is None:
            fork = _Finding(
                Damage.REWRITTEN,
                None,
                f"two validly signed checkpoints for tree size {cp.tree_size} have different "
                f"roots ({source}): the signing key has signed two different histories",
                cp.tree_size,
            )

    trusted_key = public_key
    if against is not None:
        trusted_key, overseer_checkpoints = against
        for cp in overseer_checkpoints:
            checked += 1
            if not verify_checkpoint(cp, trusted_key):
                return _report(
                    _Finding(
                        Damage.BAD_SIGNATURE,
                        None,
                        f"the overseer's checkpoint for tree size {cp.tree_size} does not verify "
                        "under the overseer's key: the overseer's copy is damaged",
                        cp.tree_size,
                    ),
                    0,
                    checked,
                )
            trust(cp, "both held by the overseer")
    trusted_id = key_id(trusted_key)
    foreign_key = key_id(public_key) != trusted_id
    if foreign_key:
        rekeyed = (
            f"the deployment's signing key is {key_id(public_key)}, but the overseer holds key "
            f"{trusted_id}: the log was re-signed with another key"
        )
    for cp in checkpoints:
        checked += 1
        if verify_checkpoint(cp, trusted_key):
            trust(cp, "one stored, one held by the overseer")
        elif foreign_key and verify_checkpoint(cp, public_key):
            continue  # re-signed with the deployment's foreign key: reported as ``rekeyed``
        elif bad_signature is None:
            bad_signature = _Finding(
                Damage.BAD_SIGNATURE,
                None,
                f"the stored checkpoint for tree size {cp.tree_size} does not verify under "
                f"key {trusted_id}: the checkpoint was altered or signed with another key",
                cp.tree_size,
            )
    if fork is not None and rekeyed is None:
        return _report(fork, 0, checked)
    if bad_signature is not None and rekeyed is None:
        return _report(bad_signature, 0, checked)

    finding, intact = scan(trusted)
    if rekeyed is not None:
        where = finding.message if finding else "the events agree with every trusted checkpoint"
        finding = _Finding(
            Damage.REWRITTEN,
            finding.first_bad_seq if finding else None,
            f"{rekeyed}; {where}",
            finding.checkpoint_size if finding else None,
        )
    return _report(finding, intact, checked, trusted)


def _report(
    finding: _Finding | None, intact: int, checked: int, trusted: dict[int, str] | None = None
) -> Report:
    if finding is not None:
        return Report(
            ok=False,
            events_checked=intact,
            checkpoints_checked=checked,
            first_bad_seq=finding.first_bad_seq,
            damage=finding.damage,
            message=finding.message,
            checkpoint_size=finding.checkpoint_size,
        )
    covered = max(trusted, default=0) if trusted else 0
    tail = (
        f"; events after seq {covered} are not yet covered by a checkpoint"
        if intact > covered
        else ""
    )
    return Report(
        ok=True,
        events_checked=intact,
        checkpoints_checked=checked,
        first_bad_seq=None,
        damage=None,
        message=f"{intact} events and {checked} checkpoints verified, no damage found{tail}",
    )


def _scan(
    rows: Iterable[EventRow], trusted: dict[int, str], state: ScanState | None = None
) -> tuple[_Finding | None, int]:
    """Stream the events; return the first finding (or None) and the intact count.

    With ``state`` the rows are the rest of the log after an intact prefix, and the scan
    resumes from where that prefix left it.
    """
    sizes = sorted(trusted)
    if state is None:
        if sizes and sizes[0] == 0:
            if trusted[0] != EMPTY_ROOT.hex():
                return _rewritten(0, 0, trusted[0]), 0
            sizes.pop(0)
        state = ScanState()
    else:
        sizes = [size for size in sizes if size >= state.expected]
    sizes.append(-1)  # sentinel: never equal to a seq
    position = 0
    next_size = sizes[0]
    last_matched = state.last_matched

    sha256 = hashlib.sha256
    fromhex = bytes.fromhex
    stack = state.tree.stack
    expected = state.expected
    prev = state.prev
    prev_prev = state.prev_prev
    it = iter(rows)
    for row in it:
        seq, occ, actor, action, subject, payload, link, digest = row
        if seq != expected or link != prev:
            return _diagnose(row, it, expected, prev, prev_prev, last_matched), expected - 1
        # Inlined compute_hash (the test suite pins the two together): a function call
        # per event would cost a sizeable share of the verification time.
        try:
            recomputed = sha256(
                f"{ENCODING_PREFIX};{seq};"
                f"{len(occ) if occ.isascii() else len(occ.encode())}:{occ};"
                f"{len(actor) if actor.isascii() else len(actor.encode())}:{actor};"
                f"{len(action) if action.isascii() else len(action.encode())}:{action};"
                f"{len(subject) if subject.isascii() else len(subject.encode())}:{subject};"
                f"{len(payload) if payload.isascii() else len(payload.encode())}:{payload};"
                f"{len(link) if link.isascii() else len(link.encode())}:{link}".encode()
            ).hexdigest()
        except (AttributeError, TypeError):  # a NULL or non-text column
            recomputed = None
        if recomputed != digest:
            return _diagnose(row, it, expected, prev, prev_prev, last_matched), expected - 1
        node = sha256(b"\x00" + fromhex(digest)).digest()
        carry = expected - 1
        while carry & 1:
            node = sha256(b"\x01" + stack.pop() + node).digest()
            carry >>= 1
        stack.append(node)
        prev_prev = prev
        prev = digest
        if expected == next_size:
            root = stack[-1]
            for left in reversed(stack[:-1]):
                root = sha256(b"\x01" + left + root).digest()
            if root.hex() != trusted[expected]:
                finding = _rewritten(expected, last_matched, trusted[expected])
                # The damage may be an event accepted just now whose fault only the next
                # event reveals (an insertion, a recomputed predecessor): look at it.
                nxt = next(it, None)
                if nxt is not None and not _intact(nxt, expected + 1, prev):
                    closer = _diagnose(nxt, it, expected + 1, prev, prev_prev, last_matched)
                    if closer.first_bad_seq is not None and closer.first_bad_seq <= expected:
                        finding = closer
                return finding, last_matched
            last_matched = expected
            position += 1
            next_size = sizes[position]
        expected += 1
    count = expected - 1
    beyond = [size for size in sizes if size > count]
    if beyond:
        return (
            _Finding(
                Damage.TRUNCATED,
                count + 1,
                f"the log ends at seq {count}, but a signed checkpoint covers {beyond[-1]} "
                f"events: events from seq {count + 1} are missing",
                beyond[-1],
            ),
            count,
        )
    return None, count


def _rewritten(size: int, last_matched: int, root: str) -> _Finding:
    return _Finding(
        Damage.REWRITTEN,
        last_matched + 1 if size else None,
        f"the events up to seq {size} do not have the root signed in the checkpoint for tree "
        f"size {size} ({root[:16]}...): an event in seq {last_matched + 1}..{size} was "
        "altered and the hashes after it recomputed",
        size,
    )


def _hash_as(row: EventRow, seq: int) -> str | None:
    """Recompute ``row``'s hash as if it had sequence number ``seq`` (None if malformed)."""
    try:
        _, occ, actor, action, subject, payload, link, _ = row
        return compute_hash(
            seq=seq,
            occurred_at=occ,
            actor=actor,
            action=action,
            subject=subject,
            payload_json=payload,
            prev_hash=link,
        )
    except (TypeError, ValueError):
        return None


def _valid_as(row: EventRow | None, seq: int) -> bool:
    return row is not None and _hash_as(row, seq) == row[7]


def _intact(row: EventRow, seq: int, prev: str) -> bool:
    return row[0] == seq and row[6] == prev and _valid_as(row, seq)


def _diagnose(
    row: EventRow,
    rest: Iterator[EventRow],
    e: int,
    prev: str,
    prev_prev: str | None,
    vouched: int,
) -> _Finding:
    """Name the damage at the first non-intact event ``row`` (rules 3a-3f).

    ``vouched`` is the largest tree size whose trusted root matched so far.
    """
    seq, link, digest = row[0], row[6], row[7]
    nxt = next(rest, None)
    later = itertools.chain([nxt] if nxt is not None else [], rest)
    if prev_prev is not None and link == prev_prev and _valid_as(row, e - 1):
        return _Finding(
            Damage.INSERTED,
            e - 1,
            f"two events follow event {e - 2} (both link to its hash): an event was "
            f"inserted at seq {e - 1}",
        )
    if not isinstance(seq, int) or isinstance(seq, bool):
        return _Finding(Damage.CHANGED, e, f"event {e} has a non-integer seq {seq!r}")
    if seq != e and _valid_as(row, e):
        return _Finding(Damage.CHANGED, e, f"event {e} had its seq changed to {seq}")
    if seq == e:
        if _valid_as(row, e):
            if e > 1 and nxt is not None and nxt[6] == digest:
                return _Finding(
                    Damage.CHANGED,
                    e - 1,
                    f"event {e} no longer links to event {e - 1}, whose hash changed: "
                    f"event {e - 1} was altered and its hash recomputed",
                )
            if e > 1 and nxt is None and vouched < e - 1:
                return _Finding(
                    Damage.CHANGED,
                    e - 1,
                    f"the last event, {e}, does not link to event {e - 1}: one of the two was "
                    "altered and its hash recomputed",
                )
            return _Finding(
                Damage.CHANGED,
                e,
                f"event {e} does not link to event {e - 1}: event {e} was altered and its "
                "hash recomputed",
            )
        if nxt is not None and _intact(nxt, e, prev):
            return _Finding(
                Damage.INSERTED,
                e,
                f"two events claim seq {e}; the first does not match its hash: it was inserted",
            )
        if link == prev:
            if nxt is not None and nxt[6] == prev and _valid_as(nxt, e):
                return _Finding(
                    Damage.INSERTED,
                    e,
                    f"an event was inserted at seq {e}: the original event {e} follows it, "
                    "renumbered",
                )
            return _Finding(
                Damage.CHANGED,
                e,
                f"event {e} does not match its hash: a field or the stored hash was edited",
            )
        for candidate in later:
            if candidate[6] == prev and _valid_as(candidate, e):
                return _Finding(
                    Damage.REORDERED,
                    e,
                    f"the content of event {e} is stored under seq {candidate[0]}: events "
                    "were swapped",
                )
        return _Finding(
            Damage.CHANGED,
            e,
            f"event {e} does not match its hash and does not link to event {e - 1}: it was edited",
        )
    if seq > e:
        if not _valid_as(row, seq):
            return _Finding(
                Damage.CHANGED,
                e,
                f"found seq {seq} where event {e} belongs, and it does not match its hash",
            )
        for candidate in later:
            other = candidate[0]
            if isinstance(other, int) and e <= other < seq:
                return _Finding(
                    Damage.REORDERED,
                    e,
                    f"event {seq} is stored before event {other}: events are out of order",
                )
        missing = f"event {e} is" if seq == e + 1 else f"events {e}..{seq - 1} are"
        return _Finding(Damage.DELETED, e, f"{missing} missing: the log jumps to seq {seq}")
    if seq < 1:
        return _Finding(
            Damage.INSERTED, e, f"an event with the impossible seq {seq} follows event {e - 1}"
        )
    return _Finding(
        Damage.INSERTED,
        seq,
        f"a second event claims seq {seq} (found after event {e - 1}): an event was inserted",
    )
