"""Verification by ranges gives exactly the report of the one-pass check, whatever the damage
and wherever the ranges are cut.

Each test builds a log, damages it the way test_tamper.py does, and checks it twice: with
``verify_rows`` (one pass, event by event) and with ``verify_ranges`` over the same rows cut
into ranges of ``2**h`` events (h = 0..3, so a log of up to 24 events has up to 24 ranges).
The reports must be equal field by field, which also pins the damage kind, the first bad
seq and the checkpoint named. Hypothesis chooses the log, the damage and the cut.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.audit.chain import EventRow, event_encoding, make_record
from fairhearing.audit.merkle import MerkleAccumulator, leaf_hash, stack_heights
from fairhearing.audit.ranges import (
    RangeQuery,
    RangeScan,
    RangeSpec,
    WorkerError,
    combine,
    plan_ranges,
    prepare_rows,
    range_starts,
    scan_range,
    scan_ranges_in_processes,
)
from fairhearing.audit.signing import Checkpoint
from fairhearing.audit.verify import Damage, Report, verify_ranges, verify_rows

from .test_tamper import (
    FIELDS,
    INSERT_PLACES,
    logs,
    new_value,
    rehash,
    replace,
    rewritten_rows,
    with_forged_event,
)
from .test_verify import Log, build_log, event_fields, sign_sizes

ranged = settings(max_examples=60, deadline=None)
heights = st.integers(0, 3)


@dataclass
class MemoryLog:
    """Rows in storage order (primary key = position + 1), cut into ranges like the database.

    ``prepared``: the ranges are scanned as prepared rows (as PostgreSQL delivers them), or
    as plain rows encoded by the scan (as SQLite delivers them).
    """

    rows: list[EventRow]
    block_height: int
    specs: list[RangeSpec]
    prepared: bool = True

    @classmethod
    def planned(cls, rows: list[EventRow], block_height: int, prepared: bool = True) -> MemoryLog:
        """Cut where the database would: at the first row holding each range's first seq."""
        seqs = [row[0] for row in rows if type(row[0]) is int]
        pks: dict[int, int] = {}
        for pk, row in enumerate(rows, start=1):
            pks.setdefault(row[0], pk)
        starts = range_starts(max(seqs, default=0), block_height)
        return cls(rows, block_height, plan_ranges(starts, pks), prepared)

    def part(self, spec: RangeSpec) -> list[EventRow]:
        lo = 1 if spec.lo is None else spec.lo
        hi = len(self.rows) + 1 if spec.hi is None else spec.hi
        return self.rows[lo - 1 : hi - 1]

    def scan(self, sizes) -> list[RangeScan]:  # type: ignore[no-untyped-def]
        scans = []
        for spec in self.specs:
            part = self.part(spec)
            scan = scan_range(
                prepare_rows(part) if self.prepared else part,
                start=spec.start,
                sizes=sizes,
                block_height=self.block_height,
                prepared=self.prepared,
            )
            scans.append(scan)
            if not scan.intact:
                break
        return scans

    def rows_from(self, index: int) -> contextlib.nullcontext[list[EventRow]]:
        lo = self.specs[index].lo
        return contextlib.nullcontext(self.rows[(1 if lo is None else lo) - 1 :])


def both(
    log: Log,
    rows: list[EventRow],
    block_height: int,
    checkpoints: list[Checkpoint] | None = None,
    public_key=None,  # type: ignore[no-untyped-def]
    against=None,  # type: ignore[no-untyped-def]
    memory: MemoryLog | None = None,
) -> Report:
    """Verify ``rows`` in one pass and by ranges (of prepared and of plain rows); assert the
    reports agree and return it."""
    checkpoints = log.checkpoints if checkpoints is None else checkpoints
    public_key = public_key or log.public_key
    expected = verify_rows(rows, checkpoints, public_key, against)
    memory = memory or MemoryLog.planned(rows, block_height)
    for prepared in (True, False):
        memory = dataclasses.replace(memory, prepared=prepared)
        assert verify_ranges(memory, checkpoints, public_key, against) == expected
    return expected


# Merkle composition


@given(leaves=st.lists(st.binary(min_size=1, max_size=8), max_size=70), height=st.integers(0, 4))
def test_block_roots_appended_as_subtrees_give_the_roots_of_the_whole_tree(leaves, height) -> None:
    whole = MerkleAccumulator()
    joined = MerkleAccumulator()
    block = 1 << height
    for first in range(0, len(leaves), block):
        part = MerkleAccumulator()
        for data in leaves[first : first + block]:
            part.append(data)
            whole.append(data)
            # The tree so far, joined from finished blocks and this block's stack so far.
            probe = joined.copy()
            for digest, h in zip(part.stack, stack_heights(part.size), strict=True):
                probe.append_subtree(digest, h)
            assert probe.root() == whole.root()
        for digest, h in zip(part.stack, stack_heights(part.size), strict=True):
            joined.append_subtree(digest, h)
    assert joined.size == whole.size == len(leaves)
    assert joined.root() == whole.root()


@given(size=st.integers(0, 5000), height=st.integers(0, 6))
def test_stack_heights_account_for_every_leaf(size, height) -> None:
    plain = stack_heights(size)
    assert sum(1 << h for h in plain) == size
    assert plain == sorted(set(plain), reverse=True)
    blocked = stack_heights(size, height)
    assert sum(1 << h for h in blocked) == size
    assert blocked[: size >> height] == [height] * (size >> height)


def test_a_subtree_must_start_at_a_multiple_of_its_size() -> None:
    tree = MerkleAccumulator()
    tree.append(b"a")
    with pytest.raises(ValueError, match="multiple of its size"):
        tree.append_subtree(leaf_hash(b"b"), 1)
    with pytest.raises(ValueError, match="32 raw bytes"):
        tree.append_subtree(b"short", 0)
    tree.append_subtree(leaf_hash(b"b"), 0)
    assert tree.size == 2


def test_a_range_must_start_on_a_block_boundary() -> None:
    with pytest.raises(ValueError, match="1 \\+ a multiple of 4"):
        scan_range([], start=3, sizes=[], block_height=2)


# Encoding


@given(fields=st.fixed_dictionaries({
    "occurred_at": st.just("2026-11-22T10:00:00.000000+00:00"),
    "actor": st.text(max_size=10),
    "action": st.text(min_size=1, max_size=10),
    "subject": st.text(max_size=10),
    "payload": st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
}), seq=st.integers(2, 10**12))
def test_prepared_rows_carry_the_version_1_encoding(fields, seq) -> None:
    row = make_record(seq=seq, prev_hash="a" * 64, **fields).to_row()
    [(got_seq, encoding, link, digest)] = prepare_rows([row])
    assert (got_seq, link, digest) == (seq, row[6], row[7])
    assert encoding == event_encoding(
        seq=seq, occurred_at=row[1], actor=row[2], action=row[3], subject=row[4],
        payload_json=row[5], prev_hash=row[6],
    )


@pytest.mark.parametrize("index,value", [(1, None), (2, b"caseworker:ada"), (5, 17), (6, None), (0, True)])
def test_a_row_with_a_value_that_is_not_text_cannot_be_encoded(index, value) -> None:
    row = build_log(1).rows[0]
    [(_, encoding, _, _)] = prepare_rows([replace(row, FIELDS[index], value)])
    assert encoding is None


def one_pass_hash(row: EventRow) -> str:
    """The hash the one-pass check computes for a row whatever its values' types (its spec)."""
    parts = [f"fairhearing.audit.v1;{row[0]}"]
    for value in row[1:7]:
        length = len(value) if value.isascii() else len(value.encode())  # type: ignore[union-attr]
        parts.append(f"{length}:{value}")
    return hashlib.sha256(";".join(parts).encode()).hexdigest()


@pytest.mark.parametrize("field", ["actor", "payload", "prev_hash"])
@pytest.mark.parametrize("value", [b"caseworker:ada", "caseworker:zo\u00eb".encode(), "zoë ünïcode"])
def test_values_that_are_not_text_are_judged_as_the_one_pass_check_judges_them(field: str, value) -> None:
    """A database can hand back bytes (an SQLite BLOB); the last event, whose hash a forger
    recomputed over the same values, is intact exactly when the one-pass check says so."""
    log = build_log(6, [4])
    rows = list(log.rows)
    forged = replace(rows[5], field, value)
    hashable = not (isinstance(value, bytes) and not value.isascii())
    if field != "prev_hash" and hashable:
        forged = (*forged[:7], one_pass_hash(forged))
    rows[5] = forged
    for height in (0, 1, 2):
        report = both(log, rows, height)
        # Text is accepted; so are ASCII bytes, which the one-pass check hashes as they print.
        assert report.ok is (field != "prev_hash" and hashable), report.message


# Intact logs


def proven_by_ranges(log: Log, memory: MemoryLog) -> bool:
    """Whether the ranges alone prove the log, without falling back to the one-pass check."""
    trusted = {cp.tree_size: cp.root for cp in log.checkpoints}
    index, state = combine(memory.scan(sorted(trusted)), trusted, memory.block_height)
    return index is None and state.expected > max(trusted, default=0)


@ranged
@given(log=logs(), height=heights)
def test_an_intact_log_verifies_by_ranges(log: Log, height: int) -> None:
    report = both(log, log.rows, height)
    assert report.ok and report.events_checked == len(log.rows)
    for prepared in (True, False):
        assert proven_by_ranges(log, MemoryLog.planned(log.rows, height, prepared))


def test_an_intact_log_is_really_cut_and_joined() -> None:
    log = build_log(23, [1, 4, 5, 11, 16, 23])
    memory = MemoryLog.planned(log.rows, 2)
    assert [spec.start for spec in memory.specs] == [1, 5, 9, 13, 17, 21]
    trusted = {cp.tree_size: cp.root for cp in log.checkpoints}
    index, state = combine(memory.scan(sorted(trusted)), trusted, 2)
    assert index is None
    assert (state.expected, state.prev, state.last_matched) == (24, log.rows[-1][7], 23)
    assert state.tree.root().hex() == trusted[23]


@ranged
@given(data=st.data(), height=heights)
def test_a_range_of_several_blocks_joins_its_roots_at_every_checkpoint(data, height: int) -> None:
    """One range over the whole log keeps each block apart; its stacks at checkpoints past
    its first block are joined block by block."""
    n = data.draw(st.integers(1, 24), label="events")
    sizes = data.draw(st.sets(st.integers(1, n), min_size=1, max_size=8), label="checkpoints")
    log = build_log(n, sizes)
    whole = MemoryLog(log.rows, height, [RangeSpec(index=0, start=1, lo=None, hi=None)])
    assert both(log, log.rows, height, memory=whole).ok
    assert proven_by_ranges(log, whole)
    if n > 1 << height:  # a first range of one block, then one of all the others
        cut = 1 + (1 << height)
        second = MemoryLog(log.rows, height, [RangeSpec(0, 1, None, cut), RangeSpec(1, cut, cut, None)])
        assert both(log, log.rows, height, memory=second).ok
        assert proven_by_ranges(log, second)


def test_an_empty_log_verifies_by_ranges() -> None:
    log = build_log(0, [])
    assert both(log, [], 1).ok


# Damage, in the same kinds as test_tamper.py


@pytest.mark.parametrize("field", FIELDS)
@ranged
@given(data=st.data(), height=heights)
def test_a_changed_field_is_found_by_ranges(field: str, data, height: int) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="changed seq")
    rows = list(log.rows)
    rows[k - 1] = replace(rows[k - 1], field, new_value(data.draw, rows[k - 1], field))
    report = both(log, rows, height)
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, k), report.message


@pytest.mark.parametrize("field", FIELDS[1:7])
@ranged
@given(data=st.data(), height=heights)
def test_a_change_with_its_hash_recomputed_is_found_by_ranges(field: str, data, height: int) -> None:
    log = data.draw(logs(min_size=3))
    k = data.draw(st.integers(1, len(log.rows) - 1), label="changed seq")
    rows = list(log.rows)
    rows[k - 1] = rehash(replace(rows[k - 1], field, new_value(data.draw, rows[k - 1], field)))
    report = both(log, rows, height)
    assert (report.damage, report.first_bad_seq) == (Damage.CHANGED, k), report.message


@ranged
@given(data=st.data(), height=heights)
def test_deleted_events_are_found_by_ranges(data, height: int) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    k = data.draw(st.integers(1, n), label="first deleted seq")
    count = data.draw(st.integers(1, n - k + 1), label="deleted count")
    report = both(log, log.rows[: k - 1] + log.rows[k - 1 + count :], height)
    expected = Damage.TRUNCATED if k - 1 + count == n else Damage.DELETED
    assert (report.damage, report.first_bad_seq) == (expected, k), report.message


@pytest.mark.parametrize("place", INSERT_PLACES)
@ranged
@given(data=st.data(), well_formed=st.booleans(), height=heights)
def test_an_inserted_event_is_found_by_ranges(place: str, data, well_formed: bool, height: int) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    k = data.draw(st.integers(1, n), label="inserted seq")
    rows = with_forged_event(log, k, place, well_formed)
    report = both(log, rows, height)
    assert (report.damage, report.first_bad_seq) == (Damage.INSERTED, k), report.message


@ranged
@given(data=st.data(), height=heights, contents_only=st.booleans())
def test_swapped_events_are_found_by_ranges(data, height: int, contents_only: bool) -> None:
    log = data.draw(logs())
    n = len(log.rows)
    i = data.draw(st.integers(1, n - 1), label="first swapped seq")
    j = data.draw(st.integers(i + 1, n), label="second swapped seq")
    rows = list(log.rows)
    if contents_only:
        rows[i - 1] = (i, *log.rows[j - 1][1:])
        rows[j - 1] = (j, *log.rows[i - 1][1:])
    else:
        rows[i - 1], rows[j - 1] = rows[j - 1], rows[i - 1]
    report = both(log, rows, height)
    assert (report.damage, report.first_bad_seq) == (Damage.REORDERED, i), report.message


@ranged
@given(data=st.data(), height=heights)
def test_a_rewrite_with_every_later_hash_recomputed_is_found_by_ranges(data, height: int) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="edited seq")
    report = both(log, rewritten_rows(log, k), height)
    assert report.damage == Damage.REWRITTEN, report.message
    assert report.first_bad_seq is not None and report.checkpoint_size is not None
    assert report.first_bad_seq <= k <= report.checkpoint_size


@ranged
@given(data=st.data(), height=heights)
def test_a_log_re_signed_with_a_new_key_is_found_by_ranges_given_the_overseers_copy(data, height: int) -> None:
    log = data.draw(logs())
    k = data.draw(st.integers(1, len(log.rows)), label="edited seq")
    rows = rewritten_rows(log, k)
    new_key = Ed25519PrivateKey.generate()
    checkpoints = sign_sizes(rows, new_key, [cp.tree_size for cp in log.checkpoints])
    assert both(log, rows, height, checkpoints, new_key.public_key()).ok
    report = both(log, rows, height, checkpoints, new_key.public_key(), against=log.overseer_copy())
    assert report.damage == Damage.REWRITTEN, report.message


# Damage placed on purpose at range boundaries and at checkpoints inside a block


BOUNDARY_LOG = build_log(24, [3, 4, 6, 8, 13, 16, 21, 24])  # blocks of 4: 1-4, 5-8, ...


@pytest.mark.parametrize("k", [1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24])
@pytest.mark.parametrize("damage", ["change", "rehash", "delete", "insert", "swap with next", "rewrite"])
def test_damage_at_either_side_of_a_range_boundary_is_found(k: int, damage: str) -> None:
    log = BOUNDARY_LOG
    rows = list(log.rows)
    if damage == "change":
        rows[k - 1] = replace(rows[k - 1], "actor", "someone:else")
    elif damage == "rehash":
        rows[k - 1] = rehash(replace(rows[k - 1], "actor", "someone:else"))
    elif damage == "delete":
        del rows[k - 1]
    elif damage == "insert":
        rows.insert(k - 1, make_record(seq=k, prev_hash=rows[k - 1][6], **event_fields(100)).to_row())
    elif damage == "swap with next" and k < len(rows):
        rows[k - 1], rows[k] = rows[k], rows[k - 1]
    elif damage == "rewrite":
        rows = rewritten_rows(log, k)
    memory = MemoryLog.planned(rows, 2)
    assert len(memory.specs) >= 5
    report = both(log, rows, 2, memory=memory)
    assert report.ok == (damage == "swap with next" and k == len(rows)), report.message


@pytest.mark.parametrize("k", range(1, 25))
def test_a_rewrite_is_named_at_the_checkpoint_inside_the_block_that_covers_it(k: int) -> None:
    log = BOUNDARY_LOG
    report = both(log, rewritten_rows(log, k), 2)
    sizes = sorted(cp.tree_size for cp in log.checkpoints)
    covering = min(size for size in sizes if size >= k)
    previous = max((size for size in sizes if size < k), default=0)
    assert (report.damage, report.checkpoint_size, report.first_bad_seq) == (
        Damage.REWRITTEN, covering, previous + 1,
    ), report.message


# Any cut at all, even one that does not match where the events are


@st.composite
def cuts(draw: st.DrawFn, rows: list[EventRow], height: int) -> list[RangeSpec]:
    """Consecutive ranges over ``rows`` at arbitrary positions, each told an aligned start."""
    positions = sorted(draw(st.sets(st.integers(2, max(2, len(rows))), max_size=6)))
    positions = [p for p in positions if p <= len(rows)]
    bounds = [None, *positions, None]
    specs = []
    for index in range(len(bounds) - 1):
        start = 1 + draw(st.integers(0, 6)) * (1 << height) if index else 1
        specs.append(RangeSpec(index=index, start=start, lo=bounds[index], hi=bounds[index + 1]))
    return specs


@ranged
@given(data=st.data(), height=heights)
def test_any_cut_into_ranges_gives_the_one_pass_report(data, height: int) -> None:
    log = data.draw(logs())
    rows = list(log.rows)
    if data.draw(st.booleans(), label="damaged"):
        k = data.draw(st.integers(1, len(rows)), label="changed seq")
        field = data.draw(st.sampled_from(FIELDS), label="field")
        rows[k - 1] = replace(rows[k - 1], field, new_value(data.draw, rows[k - 1], field))
    memory = MemoryLog(rows, height, data.draw(cuts(rows, height)))
    both(log, rows, height, memory=memory)


def test_a_range_that_does_not_link_to_the_one_before_is_not_accepted() -> None:
    log = build_log(8, [8])
    rows = list(log.rows)
    # The second range is an intact chain on its own, but starts from another predecessor.
    rows[4] = rehash(replace(rows[4], "prev_hash", "f" * 64))
    for index in range(5, 8):
        rows[index] = rehash(replace(rows[index], "prev_hash", rows[index - 1][7]))
    memory = MemoryLog.planned(rows, 2)
    scans = memory.scan([8])
    assert all(scan.intact for scan in scans)
    assert combine(scans, {8: log.checkpoints[0].root}, 2)[0] == 1
    assert both(log, rows, 2, memory=memory).damage == Damage.CHANGED


# Worker processes


def sqlite_log(path: Path, rows: list[EventRow]) -> RangeQuery:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE event (id INTEGER PRIMARY KEY, seq, occurred_at, actor, action, subject, "
            "payload, prev_hash, hash)"
        )
        connection.executemany("INSERT INTO event VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return RangeQuery(
        vendor="sqlite",
        select="SELECT seq, occurred_at, actor, action, subject, payload, prev_hash, hash FROM event",
        pk="id",
        prepared=False,
    )


@pytest.mark.parametrize("damaged_at", [None, 3, 10, 22])
def test_worker_processes_return_the_scans_of_one_process(tmp_path: Path, damaged_at: int | None) -> None:
    log = build_log(24, [6, 17, 24])
    rows = list(log.rows)
    if damaged_at:
        rows[damaged_at - 1] = replace(rows[damaged_at - 1], "subject", "case:other")
    query = sqlite_log(tmp_path / "log.sqlite3", rows)
    memory = MemoryLog.planned(rows, 2)
    sizes = [6, 17, 24]
    scans = scan_ranges_in_processes(
        memory.specs, sizes=sizes, block_height=2, workers=2,
        connect=sqlite3.connect, connect_kwargs={"database": str(tmp_path / "log.sqlite3")}, query=query,
    )
    assert scans == dataclasses.replace(memory, prepared=False).scan(sizes)
    assert len(scans) == (6 if damaged_at is None else 1 + (damaged_at - 1) // 4)
    assert [scan.intact for scan in scans][-1] is (damaged_at is None)


@pytest.mark.parametrize("cut", [(7, 8), (5, 5), (8, 9), (6, 10)])
def test_events_deleted_with_the_rest_re_chained_are_found_across_ranges(cut: tuple[int, int]) -> None:
    """A gap in the seq numbers where each range on its own is an intact chain: the next range
    does not start where the one before ended."""
    log = build_log(16, [16])
    first, last = cut
    rows = log.rows[: first - 1] + log.rows[last:]
    for index in range(first - 1, len(rows)):
        rows[index] = rehash(replace(rows[index], "prev_hash", rows[index - 1][7] if index else log.rows[0][6]))
    report = both(log, rows, 2)
    assert (report.damage, report.first_bad_seq) == (Damage.DELETED, first), report.message


def test_a_worker_that_cannot_open_the_database_fails_loudly(tmp_path: Path) -> None:
    log = build_log(8, [8])
    query = sqlite_log(tmp_path / "log.sqlite3", log.rows)
    with pytest.raises(WorkerError, match="before scanning range 0"):
        scan_ranges_in_processes(
            MemoryLog.planned(log.rows, 2).specs, sizes=[8], block_height=2, workers=2,
            connect=sqlite3.connect, connect_kwargs={"database": str(tmp_path / "missing" / "log.sqlite3")},
            query=query,
        )


def test_a_worker_that_cannot_start_fails_loudly(tmp_path: Path, monkeypatch) -> None:
    log = build_log(8, [8])
    query = sqlite_log(tmp_path / "log.sqlite3", log.rows)
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-such-python"))
    with pytest.raises(WorkerError, match="cannot start a verification worker"):
        scan_ranges_in_processes(
            MemoryLog.planned(log.rows, 2).specs, sizes=[8], block_height=2, workers=2,
            connect=sqlite3.connect, connect_kwargs={"database": str(tmp_path / "log.sqlite3")},
            query=query,
        )
