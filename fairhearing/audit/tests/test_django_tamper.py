"""Tamper tests over the database: each damage done to stored rows is detected and named by
``fairhearing audit verify``.

The append-only triggers are dropped inside each test (the test's transaction rolls the drop
back), standing in for a database administrator who can do anything to the tables but cannot
read the signing key.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from fairhearing.audit import triggers
from fairhearing.audit.chain import GENESIS_HASH, compute_hash
from fairhearing.audit.merkle import MerkleAccumulator
from fairhearing.audit.signing import generate_key_file, sign_checkpoint
from fairhearing.core.testing import open_case

COLUMNS = ("seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash")


@pytest.fixture
def log(personas, tmp_path, settings):  # type: ignore[no-untyped-def]
    """A log of real events, a checkpoint covering them, and an overseer's exported copy."""
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "key.pem"
    call_command("audit", "keygen", stdout=StringIO())
    for name in ("Ann Example", "Bo Example", "Cy Example"):
        open_case(personas, respondent=name)
    call_command("audit", "checkpoint", stdout=StringIO())
    copy = tmp_path / "overseer.json"
    call_command("audit", "export-checkpoints", "-o", str(copy), stdout=StringIO())
    triggers.drop(connection)
    return copy


def rows() -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_auditevent ORDER BY id")  # noqa: S608
        return [list(row) for row in cursor.fetchall()]


def rewrite(new_rows: list[list]) -> None:
    """Replace the whole table, storing ``new_rows`` in this order (as a rebuilt table would)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        for pk, row in enumerate(new_rows, start=1):
            cursor.execute(
                f"INSERT INTO audit_auditevent (id, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                [pk, *row],
            )


def rehash(row_list: list[list], start: int = 0) -> None:
    """Recompute every hash and link from ``start`` on, as a forger without the key would."""
    prev = GENESIS_HASH if start == 0 else row_list[start - 1][7]
    for row in row_list[start:]:
        row[6] = prev
        row[7] = compute_hash(seq=row[0], occurred_at=row[1], actor=row[2], action=row[3], subject=row[4], payload_json=row[5], prev_hash=prev)
        prev = row[7]


def verify(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--no-record", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_untouched_log_verifies(log):
    status, output = verify("--against", str(log))
    assert status == 0, output


@pytest.mark.parametrize("column,value", [
    ("seq", 900),
    ("occurred_at", "2020-01-01T00:00:00.000000+00:00"),
    ("actor", "user:someone-else"),
    ("action", "case.note_added"),
    ("subject", "case:00000000-0000-0000-0000-000000000000"),
    ("payload", '{"complaint":"forged"}'),
    ("prev_hash", "f" * 64),
    ("hash", "e" * 64),
])
def test_changing_any_field_of_a_stored_event_is_detected_as_changed(log, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = 4", [value])  # noqa: S608
    status, output = verify()
    assert status == 1
    assert "DAMAGED: changed at seq 4" in output


def test_a_payload_change_that_parses_to_the_same_json_is_still_detected(log):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET payload = ' ' || payload WHERE seq = 2")
    status, output = verify()
    assert status == 1 and "changed at seq 2" in output


def test_deleting_an_event_is_detected_as_deleted(log):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    status, output = verify()
    assert status == 1 and "DAMAGED: deleted at seq 3" in output


def test_inserting_an_event_and_renumbering_the_rest_is_detected_as_inserted(log):
    current = rows()
    forged = [3, current[2][1], current[2][2], "case.note_added", current[2][4], '{"note":"backdated"}', current[1][7], ""]
    forged[7] = compute_hash(seq=3, occurred_at=forged[1], actor=forged[2], action=forged[3], subject=forged[4], payload_json=forged[5], prev_hash=forged[6])
    shifted = [[row[0] + 1, *row[1:]] for row in current[2:]]
    rewrite([*current[:2], forged, *shifted])
    status, output = verify()
    assert status == 1 and "DAMAGED: inserted at seq 3" in output


def test_swapping_two_events_is_detected_as_reordered(log):
    current = rows()
    current[3], current[4] = current[4], current[3]
    rewrite(current)
    status, output = verify()
    assert status == 1 and "DAMAGED: reordered at seq 4" in output


def test_cutting_off_the_end_of_the_log_is_detected_as_truncated(log):
    current = rows()
    keep = len(current) - 4  # the checkpoint covers all but its own event
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
    status, output = verify()
    assert status == 1 and f"DAMAGED: truncated at seq {keep + 1}" in output


def test_editing_an_event_and_recomputing_every_later_hash_is_caught_by_the_signed_root(log):
    current = rows()
    current[2][5] = '{"complaint":"rewritten"}'
    rehash(current, start=2)
    rewrite(current)
    status, output = verify()
    assert status == 1 and "DAMAGED: rewritten" in output


def test_a_log_rewritten_from_scratch_with_a_fresh_key_is_caught_only_by_the_overseer_copy(log, settings, tmp_path):
    current = rows()
    current[1][5] = '{"complaint":"rewritten"}'
    rehash(current)
    rewrite(current)
    new_key_path = tmp_path / "fresh.pem"
    fresh = generate_key_file(new_key_path)
    settings.FAIRHEARING_AUDIT_KEY = new_key_path
    tree = MerkleAccumulator()
    for row in current[:-1]:
        tree.append(bytes.fromhex(row[7]))
    cp = sign_checkpoint(fresh, tree_size=tree.size, root=tree.root(), issued_at=current[-1][1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_checkpoint")
        cursor.execute(
            "INSERT INTO audit_checkpoint (tree_size, root, issued_at, key_id, signature) VALUES (%s, %s, %s, %s, %s)",
            [cp.tree_size, cp.root, cp.issued_at, cp.key_id, cp.signature],
        )
    status, _ = verify()
    assert status == 0  # on its own the rebuilt log is self-consistent: the documented limit
    status, output = verify("--against", str(log))
    assert status == 1 and "DAMAGED: rewritten" in output and "re-signed" in output


def test_altering_a_stored_checkpoint_is_detected_as_a_bad_signature(log):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_checkpoint SET root = %s", ["a" * 64])
    status, output = verify()
    assert status == 1 and "DAMAGED: bad_signature" in output
