"""Canonical encoding and hashing of audit events (pure Python, no Django).

Each event is bound to its predecessor: ``hash = SHA-256(encoding(event))`` where the
encoding covers every field including ``prev_hash``, the hash of the event before it
(``GENESIS_HASH`` for the first event). Changing any stored field therefore changes the
recomputed hash, and removing, adding or moving an event breaks a link.

The encoding (version 1) is the UTF-8 bytes of::

    fairhearing.audit.v1;<seq>;<n>:<occurred_at>;<n>:<actor>;<n>:<action>;<n>:<subject>;<n>:<payload_json>;<n>:<prev_hash>

where ``<seq>`` is the decimal sequence number and each ``<n>`` is the UTF-8 byte length
of the text that follows it. Length prefixes make field boundaries unambiguous whatever
the fields contain (``;``, ``:``, digits or newlines), so no two different events share an
encoding. The format is simple to reproduce in any language, which lets an overseer
verify the log with their own tools.

The payload is hashed as its canonical JSON text (see ``canonical_payload``). Storage
should keep that exact text, so verification hashes what is stored without re-serialising
a million payloads.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "ENCODING_PREFIX",
    "GENESIS_HASH",
    "EventRecord",
    "EventRow",
    "canonical_payload",
    "compute_hash",
    "event_encoding",
    "format_occurred_at",
    "make_record",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first event (seq 1)."""

ENCODING_PREFIX = "fairhearing.audit.v1"

EventRow = tuple[int, str, str, str, str, str, str, str]
"""An event as a plain tuple, in column order:
``(seq, occurred_at, actor, action, subject, payload_json, prev_hash, hash)``.

This is the shape verification consumes fastest; a database query can yield it directly
(``values_list``) without building an object per row."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_OCCURRED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One stored audit event.

    ``payload_json`` is the canonical JSON text exactly as stored, when the storage keeps
    it; verification hashes that text verbatim (so an edit to the stored text is caught
    even if it parses to the same mapping). When it is ``None`` verification hashes
    ``canonical_payload(payload)``.
    """

    seq: int
    occurred_at: str
    actor: str
    action: str
    subject: str
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str
    payload_json: str | None = field(default=None, compare=False)

    def to_row(self) -> EventRow:
        """Return the event as an ``EventRow`` tuple (payload as canonical JSON text)."""
        text = self.payload_json
        if text is None:
            text = canonical_payload(self.payload)
        return (
            self.seq,
            self.occurred_at,
            self.actor,
            self.action,
            self.subject,
            text,
            self.prev_hash,
            self.hash,
        )


def format_occurred_at(moment: datetime) -> str:
    """Return ``moment`` in the stored form: ISO 8601, UTC, microseconds, ``+00:00``.

    Raises ``ValueError`` for a naive datetime, whose instant is unknown.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            "occurred_at must be timezone-aware; pass core.clock.now() or a datetime "
            "with tzinfo=UTC"
        )
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _path(parts: list[str | int]) -> str:
    return "payload" + "".join(f"[{part!r}]" for part in parts)


def _check_json_value(value: Any, parts: list[str | int]) -> None:
    """Raise ``TypeError``/``ValueError`` naming the first value JSON cannot hold exactly."""
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(
                f"{_path(parts)} is {value!r}; JSON has no NaN or infinity, store a "
                "finite number, a string or null instead"
            )
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{_path(parts)} has the key {key!r} of type {type(key).__name__}; "
                    "payload keys must be strings"
                )
            _check_json_value(item, [*parts, key])
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_json_value(item, [*parts, index])
        return
    raise TypeError(
        f"{_path(parts)} is of type {type(value).__name__}, which JSON cannot represent; "
        "convert it first (a datetime with format_occurred_at or isoformat(), a set to a "
        "sorted list, a Decimal or UUID to str)"
    )


def canonical_payload(payload: Mapping[str, Any]) -> str:
    """Return the canonical JSON text of ``payload``.

    Keys sorted, no whitespace, non-ASCII kept as UTF-8 (``ensure_ascii=False``). Values
    must be JSON values: str, int, finite float, bool, None, lists/tuples and mappings with
    string keys. Anything else raises ``TypeError`` (or ``ValueError`` for NaN/infinity)
    naming the offending key path, e.g. ``payload['when']``.
    """
    if not isinstance(payload, Mapping):
        raise TypeError(f"payload must be a mapping (dict), got {type(payload).__name__}")
    _check_json_value(payload, [])
    return json.dumps(
        payload,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def _blen(text: str) -> int:
    # str.isascii() is O(1) in CPython, so the common case avoids an encode.
    return len(text) if text.isascii() else len(text.encode())


def event_encoding(
    *,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    subject: str,
    payload_json: str,
    prev_hash: str,
) -> bytes:
    """Return the version 1 encoding of an event (the bytes its hash covers).

    Raises ``TypeError`` if ``seq`` is not an int or a text field is not a str.
    """
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise TypeError(f"seq must be an int, got {type(seq).__name__}")
    for name, value in (
        ("occurred_at", occurred_at),
        ("actor", actor),
        ("action", action),
        ("subject", subject),
        ("payload_json", payload_json),
        ("prev_hash", prev_hash),
    ):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return (
        f"{ENCODING_PREFIX};{seq};{_blen(occurred_at)}:{occurred_at};{_blen(actor)}:{actor};"
        f"{_blen(action)}:{action};{_blen(subject)}:{subject};"
        f"{_blen(payload_json)}:{payload_json};{_blen(prev_hash)}:{prev_hash}"
    ).encode()


def compute_hash(
    *,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    subject: str,
    payload_json: str,
    prev_hash: str,
) -> str:
    """Return the lowercase hex SHA-256 of ``event_encoding`` of these fields.

    ``payload_json`` is the payload's canonical JSON text (``canonical_payload``).
    Raises ``TypeError`` if ``seq`` is not an int or a text field is not a str.
    """
    return hashlib.sha256(
        event_encoding(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject=subject,
            payload_json=payload_json,
            prev_hash=prev_hash,
        )
    ).hexdigest()


def make_record(
    *,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    prev_hash: str,
) -> EventRecord:
    """Build the next event: validate the fields, canonicalise the payload, hash it all.

    Raises ``ValueError`` (or ``TypeError``) naming the field that is wrong: ``seq`` must be
    an int >= 1, ``occurred_at`` must look like ``2026-11-22T10:00:00.000000+00:00`` (use
    ``format_occurred_at``), ``action`` must be non-empty, ``prev_hash`` must be 64
    lowercase hex digits (``GENESIS_HASH`` for seq 1), and the payload must be JSON.
    """
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError(f"seq must be an int >= 1, got {seq!r}")
    if not isinstance(occurred_at, str) or not _OCCURRED_AT.fullmatch(occurred_at):
        raise ValueError(
            f"occurred_at must be ISO 8601 UTC with microseconds, like "
            f"2026-11-22T10:00:00.000000+00:00; got {occurred_at!r} "
            "(format_occurred_at(datetime) produces it)"
        )
    for name, value in (("actor", actor), ("action", action), ("subject", subject)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not action:
        raise ValueError("action must be a registered action name, got an empty string")
    if not isinstance(prev_hash, str) or not _HEX64.fullmatch(prev_hash):
        raise ValueError(
            f"prev_hash must be 64 lowercase hex digits (GENESIS_HASH for seq 1), got {prev_hash!r}"
        )
    if seq == 1 and prev_hash != GENESIS_HASH:
        raise ValueError("the first event (seq 1) must have prev_hash == GENESIS_HASH")
    payload_json = canonical_payload(payload)
    digest = compute_hash(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload_json=payload_json,
        prev_hash=prev_hash,
    )
    return EventRecord(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        prev_hash=prev_hash,
        hash=digest,
        payload_json=payload_json,
    )
