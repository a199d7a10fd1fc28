"""``audit_verify`` reads the stored log by ranges, in this process or in worker processes, and
reports exactly what the one-pass check over the same rows reports.

The log here is cut into ranges of four events (block height 2), with signed
checkpoints both on range boundaries and inside ranges, and damaged the way a database
administrator could: rows updated, deleted, inserted between others, moved, or rewritten with
every later hash recomputed. The expected report is ``verify_rows`` over ``event_rows``, the
one-pass check this path must agree with. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from fairhearing.audit import ranges, selectors, services, triggers
from fairhearing.audit.chain import GENESIS_HASH, compute_hash, make_record
from fairhearing.audit.merkle import roots_at_sizes
from fairhearing.audit.models import AuditEvent, Checkpoint
from fairhearing.audit.ranges import RangeSpec, prepare_rows
from fairhearing.audit.signing import sign_checkpoint
from fairhearing.audit.verify import Damage, Report, verify_rows

from .test_verify import event_fields

N = 22
SIZES = [3, 8, 11, 16, 21]  # 8 and 16 end a range of four; 3, 11 and 21 fall inside one
COLUMNS = ("seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash")


@pytest.fixture
def small_ranges(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "MIN_BLOCK_HEIGHT", 2)
    monkeypatch.setattr(selectors, "MAX_BLOCK_HEIGHT", 2)


@pytest.fixture
def stored_log(small_ranges, tmp_path, settings):  # type: ignore[no-untyped-def]
    """N events stored with primary keys 10, 20, ... (room to insert between) and checkpoints."""
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "key.pem"
    call_command("audit", "keygen", stdout=StringIO())
    key = services.signing_key()
    assert not AuditEvent.objects.exists()
    prev = GENESIS_HASH
    events = []
    for seq in range(1, N + 1):
        fields = event_fields(seq)
        if seq == 5:
            fields = {**fields, "actor": "panel:zoë 😀", "payload": {"note": "réponse – reçue"}}
        row = make_record(seq=seq, prev_hash=prev, **fields).to_row()
        events.append(AuditEvent(pk=10 * seq, **dict(zip(COLUMNS, row, strict=True))))
        prev = row[7]
    AuditEvent.objects.bulk_create(events)
    roots = roots_at_sizes((bytes.fromhex(event.hash) for event in events), SIZES)
    for size, root in sorted(roots.items()):
        signed = sign_checkpoint(key, tree_size=size, root=root, issued_at=events[size - 1].occurred_at)
        Checkpoint.objects.create(**signed.to_dict())
    triggers.drop(connection)


def stored_rows() -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(COLUMNS)} FROM audit_auditevent ORDER BY id")  # noqa: S608
        return [list(row) for row in cursor.fetchall()]


def replace_all(rows: list[list]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.executemany(
            f"INSERT INTO audit_auditevent (id, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def one_pass() -> Report:
    stored = [cp.as_signed() for cp in selectors.stored_checkpoints()]
    return verify_rows(selectors.event_rows(), stored, services.signing_key().public_key())


def damage(kind: str, k: int) -> None:
    """Damage the stored log at event ``k`` in one of the ways a database administrator could."""
    with connection.cursor() as cursor:
        if kind == "change":
            cursor.execute("UPDATE audit_auditevent SET subject = %s WHERE seq = %s", ["case:forged", k])
        elif kind == "delete":
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [k])
        elif kind == "insert":  # a forged event k stored before the real one, renumbered
            current = stored_rows()
            forged = make_record(seq=k, prev_hash=current[k - 1][7], **event_fields(99)).to_row()
            shifted = [[row[0], row[1] + 1, *row[2:]] for row in current[k - 1 :]]
            replace_all([*current[: k - 1], [10 * k - 5, *forged], *shifted])
        elif kind == "move":  # event k stored after event k + 1
            cursor.execute("UPDATE audit_auditevent SET id = %s WHERE seq = %s", [10 * k + 15, k])
        elif kind == "rewrite":  # edit event k and recompute every hash from there on
            current = stored_rows()
            current[k - 1][6] = '{"note":"softened"}'
            prev = current[k - 2][8] if k > 1 else GENESIS_HASH
            for row in current[k - 1 :]:
                row[7] = prev
                row[8] = compute_hash(seq=row[1], occurred_at=row[2], actor=row[3], action=row[4], subject=row[5], payload_json=row[6], prev_hash=prev)
                prev = row[8]
            replace_all(current)
        else:  # "truncate"
            cursor.execute("DELETE FROM audit_auditevent WHERE seq >= %s", [k])


CASES = [
    *[("change", k) for k in (1, 4, 5, 8, 9, 22)],
    *[("delete", k) for k in (4, 5, 12, 13)],
    *[("insert", k) for k in (1, 5, 6, 20)],
    *[("move", k) for k in (4, 7, 21)],
    *[("rewrite", k) for k in (2, 5, 9, 12, 17)],
    ("truncate", 19),
]


@pytest.mark.django_db
def test_the_rows_read_for_verification_carry_the_encoding_the_chain_defines(stored_log) -> None:
    """On PostgreSQL the database builds each event's encoding; it must be byte for byte the
    chain's (non-ASCII text included). Elsewhere the plain rows are read."""
    plan = selectors.event_log_ranges(workers=1)
    everything = RangeSpec(index=0, start=1, lo=None, hi=None)
    with transaction.atomic(), plan.query.rows(connection.connection, everything) as rows:
        read = list(rows)
    assert plan.query.prepared is (connection.vendor == "postgresql")
    if plan.query.prepared:
        assert read == list(prepare_rows(selectors.event_rows()))
        assert "panel:zoë 😀".encode() in read[4][1]
    else:
        assert read == list(selectors.event_rows())


@pytest.mark.django_db
def test_the_stored_log_is_cut_into_ranges_of_four_events(stored_log) -> None:
    plan = selectors.event_log_ranges()
    assert [(spec.start, spec.lo, spec.hi) for spec in plan.specs] == [
        (1, None, 50), (5, 50, 90), (9, 90, 130), (13, 130, 170), (17, 170, 210), (21, 210, None),
    ]
    assert plan.workers == 1  # inside the test's transaction other processes could not see the rows


@pytest.mark.django_db
def test_an_intact_stored_log_verifies_by_ranges(stored_log) -> None:
    outcome = services.audit_verify(actor="system:test", record=False)
    assert outcome.ok, outcome.report.message
    assert outcome.report == one_pass()
    assert outcome.report.events_checked == N
    # ... and the ranges alone prove it: the one-pass check did not have to run.
    plan = selectors.event_log_ranges()
    trusted = {cp.tree_size: cp.root for cp in selectors.stored_checkpoints()}
    assert ranges.combine(plan.scan(sorted(trusted)), trusted, plan.block_height)[0] is None


@pytest.mark.django_db
@pytest.mark.parametrize("kind,k", CASES)
def test_damage_to_the_stored_log_is_reported_as_the_one_pass_check_reports_it(stored_log, kind: str, k: int) -> None:
    damage(kind, k)
    outcome = services.audit_verify(actor="system:test", record=False)
    assert not outcome.ok
    assert outcome.report == one_pass()
    expected = {"change": Damage.CHANGED, "delete": Damage.DELETED, "insert": Damage.INSERTED, "move": Damage.REORDERED, "rewrite": Damage.REWRITTEN, "truncate": Damage.TRUNCATED}[kind]
    assert outcome.report.damage == expected, outcome.report.message


@pytest.fixture
def processes(monkeypatch):  # type: ignore[no-untyped-def]
    """Record the scans that worker processes return (the real function runs)."""
    calls: list[list[ranges.RangeScan]] = []
    real = selectors.scan_ranges_in_processes

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        scans = real(*args, **kwargs)
        calls.append(scans)
        return scans

    monkeypatch.setattr(selectors, "scan_ranges_in_processes", recording)
    return calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind,k", [(None, 0), ("change", 1), ("change", 13), ("insert", 9), ("move", 8), ("rewrite", 10), ("truncate", 17)])
def test_worker_processes_report_what_the_one_pass_check_reports(stored_log, processes, kind: str | None, k: int) -> None:
    if kind:
        damage(kind, k)
    outcome = services.audit_verify(actor="system:test", record=False, workers=2)
    assert outcome.report == one_pass()
    assert outcome.ok is (kind is None), outcome.report.message
    [scans] = processes
    assert len(scans) > 1 or (kind == "change" and k == 1)
    if kind is None:
        assert [scan.start for scan in scans] == [1, 5, 9, 13, 17, 21]


@pytest.mark.django_db(transaction=True)
def test_when_worker_processes_fail_the_log_is_read_in_this_process(stored_log, monkeypatch, tmp_path, caplog) -> None:
    import sqlite3

    unreachable = (sqlite3.connect, {"database": str(tmp_path / "missing" / "db.sqlite3")})
    monkeypatch.setattr(selectors, "_worker_connection", lambda using: unreachable)
    damage("change", 14)
    outcome = services.audit_verify(actor="system:test", record=False, workers=2)
    assert outcome.report == one_pass()
    assert (outcome.report.damage, outcome.report.first_bad_seq) == (Damage.CHANGED, 14)
    assert "reading the log in this process instead" in caplog.text


@pytest.mark.parametrize("head,workers,height", [
    (10_000_000, 2, 20), (10_000_000, 1, 20), (1_000_000, 2, 16), (1_000_000, 1, 17), (300_000, 2, 15), (100, 1, 14), (0, 1, 14),
])
def test_ranges_are_sized_for_four_or_more_per_process_within_bounds(head: int, workers: int, height: int) -> None:
    assert selectors.range_block_height(head, workers) == height
    if height not in (selectors.MIN_BLOCK_HEIGHT, selectors.MAX_BLOCK_HEIGHT):
        assert head // (1 << height) >= 4 * workers
