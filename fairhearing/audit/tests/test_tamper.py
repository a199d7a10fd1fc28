"""Tamper tests: each small mutation of a stored log is detected and correctly named.

In the manner of Django's signing tests, every test applies one kind of mutation to an
intact log and asserts the damage kind and the first bad sequence number. Hypothesis
chooses the log length, the checkpoint sizes, the positions and the new values.
"""

from __future__ import annotations

import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.audit.chain import EventRow, compute_hash, make_record
from fairhearing.audit.signing import Checkpoint
from fairhearing.audit.verify import Damage, Report, verify_rows

from .test_verify import Log, build_log, chain_records, event_fields, sign_sizes

FIELDS = ("seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash")
FIELD_INDEX = {name: index for index, name in enumerate(FIELDS)}
TEXT_FIELDS = FIELDS[1:]

# Signing makes an example take milliseconds, so no per-example deadline.
tampering = settings(max_examples=60, deadline=None)


@st.composite
def logs(draw: st.DrawFn, min_size: int = 2) -> Log:
    """An intact log of 2..24 events, always checkpointed at its full size."""
    n = draw(st.integers(min_size, 24))
    sizes = draw(st.sets(st.integers(1, n), max_size=4)) | {n}
    return build_log(n, sizes)


def check(log: Log, rows: list[EventRow], checkpoints: list[Checkpoint] | None = None) -> Report:
    return verify_rows(
        rows, log.checkpoints if checkpoints is None else checkpoints, log.public_key
    )


def replace(row: EventRow, field: str, value: object) -> EventRow:
    index = FIELD_INDEX[field]
    return (*row[:index], value, *row[index + 1 :])  # type: ignore[return-value]


def rehash(row: EventRow) -> EventRow:
    seq, occ, actor, action, subject, payload, prev, _ = row
    digest = compute_hash(
        seq=seq,
        occurred_at=occ,
        actor=actor,
        action=action,
        subject=subject,
        payload_json=payload,
        prev_hash=prev,
    )
    return (*row[:7], digest)


def new_value(draw: st.DrawFn, row: EventRow, field: str) -> object:
    old = row[FIELD_INDEX[field]]
    if field == "seq":
        return draw(st.integers(0, 40).filter(lambda seq: seq != old))
    if field in ("prev_hash", "hash"):
        return draw(
            st.text("0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != old)
        )
    if field == "payload":
        return draw(st.sampled_from(['{"n":0}', '{"n": 1}', old.replace(":", ": ", 1), old + " "]))
    return draw(st.text(max_size=12).filter(lambda text: text != old))


@pytest.mark.parametrize("field", FIELDS)
@tampering
@given(data=st.data())
def test_a_change_to_any_field_of_any_event_is_named_changed(field: str, data) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="changed seq")
    rows = list(log.rows)
    rows[k - 1] = replace(rows[k - 1], field, new_value(data.draw, rows[k - 1], field))
    report = check(log, rows)
    assert not report.ok
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, k), report.message


@pytest.mark.parametrize("field", [f for f in TEXT_FIELDS if f != "hash"])
@tampering
@given(data=st.data())
def test_a_change_with_that_events_hash_recomputed_is_named_changed(field: str, data) -> None:
    log = data.draw(logs(min_size=3))
    k = data.draw(st.integers(1, len(log.rows) - 1), label="changed seq")
    rows = list(log.rows)
    rows[k - 1] = rehash(replace(rows[k - 1], field, new_value(data.draw, rows[k - 1], field)))
    report = check(log, rows)
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, k), report.message


@tampering
@given(data=st.data())
def test_deleting_an_event_is_named_deleted_or_truncated_for_the_last(data) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    k = data.draw(st.integers(1, n), label="deleted seq")
    rows = log.rows[: k - 1] + log.rows[k:]
    report = check(log, rows)
    expected = Damage.TRUNCATED if k == n else Damage.DELETED
    assert (report.damage, report.first_bad_seq) == (expected, k), report.message


@tampering
@given(data=st.data())
def test_deleting_several_consecutive_events_is_named_deleted(data) -> None:
    log = data.draw(logs(min_size=4))
    n = len(log.rows)
    k = data.draw(st.integers(1, n - 2), label="first deleted seq")
    count = data.draw(st.integers(2, n - k), label="deleted count")
    report = check(log, log.rows[: k - 1] + log.rows[k - 1 + count :])
    expected = Damage.TRUNCATED if k - 1 + count == n else Damage.DELETED
    assert (report.damage, report.first_bad_seq) == (expected, k), report.message


INSERT_PLACES = ("before its namesake", "after its namesake", "at the end", "renumbering")


def with_forged_event(log: Log, k: int, place: str, well_formed: bool) -> list[EventRow]:
    """The log's rows with a forged event claiming seq ``k`` put at ``place`` (one of
    INSERT_PLACES); with ``well_formed`` false its hash is random rather than computed."""
    forged = make_record(
        seq=k, prev_hash=log.rows[k - 1][6], **{**event_fields(k), "payload": {"forged": True}}
    ).to_row()
    if not well_formed:
        forged = replace(forged, "hash", secrets.token_hex(32))
    rows = list(log.rows)
    if place == "before its namesake":
        rows.insert(k - 1, forged)
    elif place == "after its namesake":
        rows.insert(k, forged)
    elif place == "at the end":
        rows.append(forged)
    else:
        rows = rows[: k - 1] + [forged] + [replace(r, "seq", r[0] + 1) for r in rows[k - 1 :]]
    return rows


@pytest.mark.parametrize("place", INSERT_PLACES)
@tampering
@given(data=st.data(), well_formed=st.booleans())
def test_inserting_an_event_is_named_inserted(place: str, data, well_formed: bool) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    k = data.draw(st.integers(1, n), label="inserted seq")
    rows = with_forged_event(log, k, place, well_formed)
    report = check(log, rows)
    assert (report.damage, report.first_bad_seq) == (Damage.INSERTED, k), report.message


@tampering
@given(data=st.data())
def test_swapping_two_events_in_storage_is_named_reordered(data) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    i = data.draw(st.integers(1, n - 1), label="first swapped seq")
    j = data.draw(st.integers(i + 1, n), label="second swapped seq")
    rows = list(log.rows)
    rows[i - 1], rows[j - 1] = rows[j - 1], rows[i - 1]
    report = check(log, rows)
    assert (report.damage, report.first_bad_seq) == (Damage.REORDERED, i), report.message


@tampering
@given(data=st.data())
def test_swapping_two_events_contents_under_fixed_seq_numbers_is_named_reordered(data) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    i = data.draw(st.integers(1, n - 1), label="first swapped seq")
    j = data.draw(st.integers(i + 1, n), label="second swapped seq")
    rows = list(log.rows)
    rows[i - 1] = (i, *log.rows[j - 1][1:])
    rows[j - 1] = (j, *log.rows[i - 1][1:])
    report = check(log, rows)
    assert (report.damage, report.first_bad_seq) == (Damage.REORDERED, i), report.message


@tampering
@given(data=st.data())
def test_truncating_the_tail_is_named_truncated(data) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    m = data.draw(st.integers(0, n - 1), label="events kept")
    report = check(log, log.rows[:m])
    assert (report.damage, report.first_bad_seq, report.checkpoint_size) == (
        Damage.TRUNCATED,
        m + 1,
        n,
    ), report.message


def rewritten_rows(log: Log, k: int) -> list[EventRow]:
    """The log with event ``k`` edited and every hash recomputed, as a careful forger would."""
    contents = [event_fields(seq) for seq in range(1, len(log.rows) + 1)]
    contents[k - 1] = {**contents[k - 1], "payload": {"n": k, "note": "softened"}}
    return [record.to_row() for record in chain_records(contents)]


@tampering
@given(data=st.data())
def test_an_edit_with_every_later_hash_recomputed_is_named_rewritten(data) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="edited seq")
    report = check(log, rewritten_rows(log, k))
    assert report.damage == Damage.REWRITTEN, report.message
    assert report.first_bad_seq is not None and report.checkpoint_size is not None
    assert report.first_bad_seq <= k <= report.checkpoint_size


@tampering
@given(data=st.data())
def test_a_chain_rewritten_with_a_new_key_is_named_rewritten_given_the_overseers_copy(
    data,
) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="edited seq")
    rows = rewritten_rows(log, k)
    new_key = Ed25519PrivateKey.generate()
    checkpoints = sign_sizes(rows, new_key, [cp.tree_size for cp in log.checkpoints])
    # Alone, a consistent rewrite signed with a fresh key is indistinguishable from a log.
    assert verify_rows(rows, checkpoints, new_key.public_key()).ok
    report = verify_rows(rows, checkpoints, new_key.public_key(), against=log.overseer_copy())
    assert report.damage == Damage.REWRITTEN, report.message
    assert report.first_bad_seq is not None and report.first_bad_seq <= k
    assert "re-signed with another key" in report.message


@tampering
@given(log=logs())
def test_re_signing_an_unchanged_log_with_a_new_key_is_named_rewritten(log: Log) -> None:
    new_key = Ed25519PrivateKey.generate()
    checkpoints = sign_sizes(log.rows, new_key, [cp.tree_size for cp in log.checkpoints])
    report = verify_rows(log.rows, checkpoints, new_key.public_key(), against=log.overseer_copy())
    assert (report.damage, report.first_bad_seq) == (Damage.REWRITTEN, None), report.message


@tampering
@given(data=st.data())
def test_a_new_key_with_the_old_checkpoints_left_in_place_is_named_rewritten(data) -> None:
    log = data.draw(logs())
    new_key = Ed25519PrivateKey.generate()
    extra = sign_sizes(log.rows, new_key, [len(log.rows)])
    report = verify_rows(
        log.rows, [*log.checkpoints, *extra], new_key.public_key(), against=log.overseer_copy()
    )
    assert report.damage == Damage.REWRITTEN, report.message
