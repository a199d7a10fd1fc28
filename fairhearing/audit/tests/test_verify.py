"""Verification of the audit log: intact logs, checkpoints, the overseer's copy, limits.

The tamper tests (one mutation per kind of damage) are in test_tamper.py; the log
builder here is shared with them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from fairhearing.audit.chain import (
    GENESIS_HASH,
    EventRecord,
    EventRow,
    compute_hash,
    format_occurred_at,
    make_record,
)
from fairhearing.audit.merkle import EMPTY_ROOT, roots_at_sizes
from fairhearing.audit.signing import (
    Checkpoint,
    load_public_key_pem,
    public_key_pem,
    sign_checkpoint,
)
from fairhearing.audit.verify import Damage, verify, verify_rows

KEY = Ed25519PrivateKey.generate()
ACTIONS = ("case.open", "case.triage", "evidence.add", "notice.send", "decision.issue")
ACTORS = ("caseworker:ada", "panel:zoë", "overseer:ngozi", "system:tick")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def event_fields(seq: int) -> dict:
    """Varied, realistic fields for event ``seq`` (some non-ASCII)."""
    return {
        "occurred_at": format_occurred_at(START + timedelta(minutes=7 * seq)),
        "actor": ACTORS[seq % len(ACTORS)],
        "action": ACTIONS[seq % len(ACTIONS)],
        "subject": f"case:FH-2026-{seq % 7:05d}",
        "payload": {"n": seq, "note": "réponse reçue" if seq % 3 else "ok"},
    }


def chain_records(contents: Iterable[dict]) -> list[EventRecord]:
    """Number and chain the given event contents from seq 1, hashing each."""
    records: list[EventRecord] = []
    prev = GENESIS_HASH
    for seq, fields in enumerate(contents, start=1):
        record = make_record(seq=seq, prev_hash=prev, **fields)
        records.append(record)
        prev = record.hash
    return records


def sign_sizes(rows: list[EventRow], key: Ed25519PrivateKey, sizes: Iterable[int]) -> list:
    roots = roots_at_sizes((bytes.fromhex(row[7]) for row in rows), sizes)
    return [
        sign_checkpoint(key, tree_size=size, root=root, issued_at=format_occurred_at(START))
        for size, root in sorted(roots.items())
    ]


@dataclass
class Log:
    rows: list[EventRow]
    checkpoints: list[Checkpoint]
    key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.key.public_key()

    def overseer_copy(self) -> tuple[Ed25519PublicKey, list[Checkpoint]]:
        return self.public_key, list(self.checkpoints)


def build_log(n: int, sizes: Iterable[int] | None = None, key: Ed25519PrivateKey = KEY) -> Log:
    """A log of ``n`` intact events with checkpoints at ``sizes`` (default: at ``n``)."""
    rows = [record.to_row() for record in chain_records(event_fields(s) for s in range(1, n + 1))]
    return Log(rows, sign_sizes(rows, key, [n] if sizes is None else sizes), key)


def test_an_intact_log_verifies() -> None:
    log = build_log(30, sizes=[1, 8, 16, 30])
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert report.ok
    assert report.damage is None and report.first_bad_seq is None
    assert (report.events_checked, report.checkpoints_checked) == (30, 4)
    assert "no damage" in report.message


def test_records_and_rows_verify_alike() -> None:
    records = chain_records(event_fields(s) for s in range(1, 12))
    rows = [record.to_row() for record in records]
    checkpoints = sign_sizes(rows, KEY, [11])
    assert verify(records, checkpoints, KEY.public_key()).ok
    assert verify(rows, checkpoints, KEY.public_key()).ok


def test_verification_hashes_exactly_as_compute_hash_does_for_any_text() -> None:
    contents = [
        {**event_fields(1), "actor": "zoë;3:x", "subject": "案件:1"},
        {**event_fields(2), "payload": {"emoji": "\U0001f44d", "nl": "a\nb"}},
    ]
    rows = [record.to_row() for record in chain_records(contents)]
    for row in rows:
        seq, occ, actor, action, subject, payload, prev, digest = row
        assert digest == compute_hash(
            seq=seq,
            occurred_at=occ,
            actor=actor,
            action=action,
            subject=subject,
            payload_json=payload,
            prev_hash=prev,
        )
    assert verify_rows(rows, sign_sizes(rows, KEY, [2]), KEY.public_key()).ok


def test_an_empty_log_without_checkpoints_verifies() -> None:
    report = verify_rows([], [], KEY.public_key())
    assert report.ok and report.events_checked == 0


def test_an_empty_log_with_a_checkpoint_is_truncated_from_seq_1() -> None:
    log = build_log(3)
    report = verify_rows([], log.checkpoints, log.public_key)
    assert (report.damage, report.first_bad_seq, report.checkpoint_size) == (
        Damage.TRUNCATED,
        1,
        3,
    )


def test_a_checkpoint_of_the_empty_tree_must_carry_the_empty_root() -> None:
    good = sign_checkpoint(KEY, tree_size=0, root=EMPTY_ROOT, issued_at="2026-11-02T09:00:00+00:00")
    bad = sign_checkpoint(KEY, tree_size=0, root=bytes(32), issued_at="2026-11-02T09:00:00+00:00")
    assert verify_rows([], [good], KEY.public_key()).ok
    assert verify_rows([], [bad], KEY.public_key()).damage == Damage.REWRITTEN


def test_the_report_says_which_events_no_checkpoint_covers_yet() -> None:
    log = build_log(12, sizes=[10])
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert report.ok
    assert "events after seq 10 are not yet covered by a checkpoint" in report.message


def test_verification_reads_its_events_once_as_a_stream() -> None:
    log = build_log(20)
    reads = 0

    def stream() -> Iterator[EventRow]:
        nonlocal reads
        for row in log.rows:
            reads += 1
            yield row

    assert verify_rows(stream(), log.checkpoints, log.public_key).ok
    assert reads == 20


def test_a_stored_checkpoint_with_an_altered_root_is_a_bad_signature() -> None:
    log = build_log(10, sizes=[5, 10])
    altered = dataclasses.replace(log.checkpoints[0], root="f" * 64)
    report = verify_rows(log.rows, [altered, log.checkpoints[1]], log.public_key)
    assert (report.damage, report.first_bad_seq, report.checkpoint_size) == (
        Damage.BAD_SIGNATURE,
        None,
        5,
    )
    assert not report.ok


def test_a_checkpoint_signed_with_another_key_is_a_bad_signature_without_the_overseer() -> None:
    log = build_log(10)
    foreign = sign_sizes(log.rows, Ed25519PrivateKey.generate(), [10])
    report = verify_rows(log.rows, foreign, log.public_key)
    assert report.damage == Damage.BAD_SIGNATURE
    assert "does not verify under key" in report.message


def test_the_overseer_agreeing_with_the_log_verifies() -> None:
    log = build_log(15, sizes=[5, 15])
    report = verify_rows(log.rows, log.checkpoints, log.public_key, against=log.overseer_copy())
    assert report.ok
    assert report.checkpoints_checked == 4


def test_the_overseer_reveals_a_tail_cut_together_with_its_checkpoints() -> None:
    log = build_log(15, sizes=[5, 15])
    cut_rows, cut_checkpoints = log.rows[:9], log.checkpoints[:1]
    assert verify_rows(cut_rows, cut_checkpoints, log.public_key).ok
    report = verify_rows(cut_rows, cut_checkpoints, log.public_key, against=log.overseer_copy())
    assert (report.damage, report.first_bad_seq, report.checkpoint_size) == (
        Damage.TRUNCATED,
        10,
        15,
    )


def test_a_damaged_overseer_copy_is_reported_as_a_bad_signature() -> None:
    log = build_log(8)
    overseer_key, overseer_checkpoints = log.overseer_copy()
    damaged = [dataclasses.replace(overseer_checkpoints[0], tree_size=7)]
    report = verify_rows(log.rows, log.checkpoints, log.public_key, against=(overseer_key, damaged))
    assert report.damage == Damage.BAD_SIGNATURE
    assert "overseer's copy is damaged" in report.message


def test_two_validly_signed_roots_for_one_size_are_a_rewrite() -> None:
    log = build_log(8)
    # Only a leaked key could sign a second root for a size the log already signed.
    forked = sign_checkpoint(
        KEY, tree_size=8, root=bytes(32), issued_at=log.checkpoints[0].issued_at
    )
    report = verify_rows(log.rows, [*log.checkpoints, forked], log.public_key)
    assert (report.damage, report.checkpoint_size) == (Damage.REWRITTEN, 8)
    assert "two different histories" in report.message


def test_a_null_column_is_reported_as_a_change_not_a_crash() -> None:
    log = build_log(6)
    row = log.rows[2]
    log.rows[2] = (row[0], row[1], None, *row[3:])  # type: ignore[assignment]
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, 3)


def test_a_non_integer_seq_is_reported_as_a_change() -> None:
    log = build_log(6)
    log.rows[3] = ("4", *log.rows[3][1:])  # type: ignore[assignment]
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, 4)


def test_events_checked_counts_the_intact_prefix_before_the_damage() -> None:
    log = build_log(10)
    del log.rows[6]
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert (report.damage, report.first_bad_seq, report.events_checked) == (Damage.DELETED, 7, 6)


def test_the_overseers_key_is_recognised_by_its_value() -> None:
    log = build_log(9, sizes=[4, 9])
    same_key = load_public_key_pem(public_key_pem(log.public_key))
    report = verify_rows(log.rows, log.checkpoints, same_key, against=log.overseer_copy())
    assert report.ok, report.message


def test_a_replaced_signing_key_is_named_rewritten_even_before_it_signs() -> None:
    log = build_log(9)
    new_key = Ed25519PrivateKey.generate().public_key()
    report = verify_rows(log.rows, log.checkpoints, new_key, against=log.overseer_copy())
    assert (report.damage, report.first_bad_seq) == (Damage.REWRITTEN, None)
    assert "the deployment's signing key" in report.message


def test_an_extra_event_with_an_impossible_seq_is_named_inserted_where_found() -> None:
    log = build_log(5)
    forged = make_record(seq=1, prev_hash=GENESIS_HASH, **event_fields(1)).to_row()
    log.rows.append((0, *forged[1:]))
    report = verify_rows(log.rows, log.checkpoints, log.public_key)
    assert (report.damage, report.first_bad_seq) == (Damage.INSERTED, 6)
