"""Canonical encoding and hashing of audit events."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairhearing.audit.chain import (
    GENESIS_HASH,
    EventRecord,
    canonical_payload,
    compute_hash,
    event_encoding,
    format_occurred_at,
    make_record,
)

WHEN = "2026-11-22T10:00:00.000000+00:00"
FIELDS = {
    "seq": 7,
    "occurred_at": WHEN,
    "actor": "caseworker:ada",
    "action": "case.triage",
    "subject": "case:FH-2026-00042",
    "payload_json": '{"outcome":"investigate"}',
    "prev_hash": "ab" * 32,
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def test_the_hash_is_sha256_of_the_documented_encoding() -> None:
    expected = (
        b"fairhearing.audit.v1;7;32:2026-11-22T10:00:00.000000+00:00;14:caseworker:ada;"
        b'11:case.triage;18:case:FH-2026-00042;25:{"outcome":"investigate"};64:' + b"ab" * 32
    )
    assert event_encoding(**FIELDS) == expected
    assert compute_hash(**FIELDS) == hashlib.sha256(expected).hexdigest()


def test_length_prefixes_count_utf8_bytes_not_characters() -> None:
    encoding = event_encoding(**{**FIELDS, "actor": "zoë"})
    assert b";4:zo\xc3\xab;" in encoding


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_a_change_to_any_field_changes_the_hash(name: str) -> None:
    changed = {**FIELDS, name: FIELDS[name] + 1 if name == "seq" else FIELDS[name] + "x"}
    assert compute_hash(**changed) != compute_hash(**FIELDS)


def test_moving_text_across_a_field_boundary_changes_the_hash() -> None:
    one = {**FIELDS, "actor": "a;1:b", "action": "c"}
    other = {**FIELDS, "actor": "a", "action": "b;1:c"}
    assert compute_hash(**one) != compute_hash(**other)


@given(
    st.lists(st.text(max_size=6), min_size=5, max_size=5),
    st.lists(st.text(max_size=6), min_size=5, max_size=5),
)
def test_different_fields_never_share_an_encoding(left: list[str], right: list[str]) -> None:
    names = ["occurred_at", "actor", "action", "subject", "payload_json"]
    one = event_encoding(seq=1, prev_hash=GENESIS_HASH, **dict(zip(names, left, strict=True)))
    other = event_encoding(seq=1, prev_hash=GENESIS_HASH, **dict(zip(names, right, strict=True)))
    assert (one == other) == (left == right)


@pytest.mark.parametrize("name", ["occurred_at", "actor", "payload_json", "prev_hash"])
def test_it_rejects_a_field_that_is_not_text(name: str) -> None:
    with pytest.raises(TypeError, match=name):
        compute_hash(**{**FIELDS, name: None})


@pytest.mark.parametrize("seq", ["7", 7.0, True])
def test_it_rejects_a_seq_that_is_not_an_int(seq: object) -> None:
    with pytest.raises(TypeError, match="seq"):
        compute_hash(**{**FIELDS, "seq": seq})


def test_canonical_payload_sorts_keys_drops_whitespace_and_keeps_unicode() -> None:
    text = canonical_payload({"b": [1, {"z": None, "a": True}], "a": "Zoë \u2013 ok"})
    assert text == '{"a":"Zoë \u2013 ok","b":[1,{"a":true,"z":null}]}'


def test_canonical_payload_is_the_same_whatever_the_key_order() -> None:
    assert canonical_payload({"x": 1, "y": 2}) == canonical_payload({"y": 2, "x": 1})


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_canonical_payload_survives_a_json_round_trip_unchanged(payload: dict) -> None:
    text = canonical_payload(payload)
    assert canonical_payload(json.loads(text)) == text


@pytest.mark.parametrize(
    ("payload", "error", "path"),
    [
        ({"tags": {"a", "b"}}, TypeError, r"payload\['tags'\] is of type set"),
        ({"when": datetime(2026, 1, 1, tzinfo=UTC)}, TypeError, r"payload\['when'\]"),
        ({"amount": Decimal("1.5")}, TypeError, r"payload\['amount'\]"),
        ({"score": float("nan")}, ValueError, r"payload\['score'\] is nan"),
        ({"score": float("inf")}, ValueError, r"payload\['score'\] is inf"),
        ({"a": [1, {"b": {1}}]}, TypeError, r"payload\['a'\]\[1\]\['b'\]"),
        ({"a": {3: "x"}}, TypeError, r"payload\['a'\] has the key 3"),
    ],
)
def test_canonical_payload_rejects_values_json_cannot_hold_naming_the_key(
    payload: dict, error: type[Exception], path: str
) -> None:
    with pytest.raises(error, match=path):
        canonical_payload(payload)


def test_canonical_payload_rejects_a_payload_that_is_not_a_mapping() -> None:
    with pytest.raises(TypeError, match="payload must be a mapping"):
        canonical_payload(["not", "a", "dict"])  # type: ignore[arg-type]


def test_make_record_hashes_the_canonical_payload_it_keeps() -> None:
    record = make_record(
        seq=1,
        occurred_at=WHEN,
        actor="caseworker:ada",
        action="case.open",
        subject="case:1",
        payload={"b": 2, "a": 1},
        prev_hash=GENESIS_HASH,
    )
    assert record.payload_json == '{"a":1,"b":2}'
    assert record.hash == compute_hash(
        seq=1,
        occurred_at=WHEN,
        actor="caseworker:ada",
        action="case.open",
        subject="case:1",
        payload_json='{"a":1,"b":2}',
        prev_hash=GENESIS_HASH,
    )
    assert record.to_row() == (
        1,
        WHEN,
        "caseworker:ada",
        "case.open",
        "case:1",
        '{"a":1,"b":2}',
        GENESIS_HASH,
        record.hash,
    )


def test_a_record_without_stored_text_rows_its_canonical_payload() -> None:
    record = EventRecord(
        seq=1,
        occurred_at=WHEN,
        actor="a",
        action="b",
        subject="c",
        payload={"y": 1, "x": 2},
        prev_hash=GENESIS_HASH,
        hash="0" * 64,
    )
    assert record.to_row()[5] == '{"x":2,"y":1}'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seq": 0}, "seq must be an int >= 1"),
        ({"seq": True}, "seq must be an int >= 1"),
        ({"occurred_at": "2026-11-22T10:00:00+00:00"}, "microseconds"),
        ({"occurred_at": "2026-11-22T10:00:00.000000+01:00"}, "UTC"),
        ({"action": ""}, "registered action name"),
        ({"prev_hash": "AB" * 32}, "64 lowercase hex"),
        ({"prev_hash": "ab" * 32}, "GENESIS_HASH"),
        ({"payload": {"s": {1}}}, r"payload\['s'\]"),
    ],
)
def test_make_record_rejects_bad_fields_naming_them(change: dict, message: str) -> None:
    fields = {
        "seq": 1,
        "occurred_at": WHEN,
        "actor": "a",
        "action": "case.open",
        "subject": "case:1",
        "payload": {},
        "prev_hash": GENESIS_HASH,
        **change,
    }
    with pytest.raises((ValueError, TypeError), match=message):
        make_record(**fields)


def test_format_occurred_at_converts_to_utc_with_microseconds() -> None:
    moment = datetime(2026, 11, 22, 11, 30, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert format_occurred_at(moment) == "2026-11-22T10:30:00.000005+00:00"


def test_format_occurred_at_rejects_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_occurred_at(datetime(2026, 11, 22, 10, 0))
