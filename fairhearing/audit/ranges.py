"""Fast verification of the audit log by ranges, in one process or several (no Django).

The sequential check in ``verify`` names damage precisely but pays for it on every event.
Most logs are intact, so the common case runs here instead: the log is cut into ranges of
consecutive rows (in storage order), each range is checked on its own, possibly in another
process, and the results are joined. Only when something does not hold does ``verify``
run its sequential check, and then only from the start of the first range that is not
proven intact, with the state the sequential check would have had there, so its finding is
the one a full sequential run would report.

Ranges start at a sequence number ``1 + k * 2**h`` for a fixed block height ``h``, so every
range begins on an aligned block of the Merkle tree: a range hashes its leaves into its own
stack of perfect subtrees (merging never crosses a block boundary) and the parent appends
those subtrees to the tree of everything before it (``MerkleAccumulator.append_subtree``).
At a checkpoint size inside a range the range returns its stack at that size; the parent
joins it to the tree so far to get the root there.

What a range proves about its rows, exactly as the sequential check would: each carries the
next sequence number, links to the hash of the row before it and hashes correctly. What it
cannot know, the parent checks: the first row of each range carries the range's first
sequence number and links to the last hash of the range before (``GENESIS_HASH`` for the
first), every range ends where the next begins, and every trusted root at a size the rows
reach matches.

Rows come in one of two shapes. Prepared rows are ``(seq, encoding, prev_hash, hash)``
where ``encoding`` is the version 1 encoding (``chain.event_encoding``) of the stored fields
as UTF-8 bytes: PostgreSQL builds it on its own core while this process hashes (see
``selectors``; ``prepare_rows`` builds the same here). Plain rows are ``EventRow`` tuples
(SQLite reads them in this process anyway), encoded by the scan exactly as the sequential
check encodes them. Letting the database build the encoding trusts it with nothing more
than reading the rows already does: every encoding is still hashed here and compared with
the stored hash, the seq and prev_hash columns are still compared, and the hashes still
have to give the signed roots. A wrong encoding does not match its stored hash, so the
range is not proven and the sequential check reads the plain columns; one that matched
would need a stored hash made for it, which is a different event, judged by the chain and
the signed roots as any edited row is.

Worker processes are fresh interpreters (see ``scan_ranges_in_processes``), each with its
own database connection.
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .chain import ENCODING_PREFIX, GENESIS_HASH, EventRow
from .merkle import EMPTY_ROOT, MerkleAccumulator, stack_heights, stack_root

__all__ = [
    "PreparedRow",
    "RangeQuery",
    "RangeScan",
    "RangeSpec",
    "ScanState",
    "WorkerError",
    "combine",
    "plan_ranges",
    "prepare_rows",
    "range_starts",
    "scan_range",
    "scan_ranges_in_processes",
    "serve_worker",
]

PreparedRow = tuple[int, bytes | None, str, str]
"""``(seq, encoding, prev_hash, hash)``; ``encoding`` is None when the fields cannot be encoded
(a NULL or a value that is not text), which makes the row not intact."""


@dataclass(frozen=True)
class RangeSpec:
    """One range of rows in storage order: primary keys ``lo <= pk < hi`` (None: unbounded).

    ``start`` is the sequence number its first row must carry; ``start - 1`` is a multiple
    of the block size.
    """

    index: int
    start: int
    lo: int | None
    hi: int | None


@dataclass
class RangeScan:
    """What one range found. ``count`` intact rows were read from ``start`` on; ``intact`` is
    False if a row after them was not intact (it stopped there).

    ``first_link`` is the prev_hash of the first row (not checked here: the parent checks it
    against the range before); ``last_link`` and ``last_hash`` are the prev_hash and hash of
    the last intact row. ``stacks`` maps each requested tree size the range reached to its
    own Merkle stack at that size (within its first block, the root of that stack alone),
    and ``final`` is its stack at the end.
    """

    start: int
    count: int = 0
    intact: bool = True
    first_link: str | None = None
    last_link: str | None = None
    last_hash: str | None = None
    stacks: dict[int, list[bytes]] = field(default_factory=dict)
    final: list[bytes] = field(default_factory=list)


@dataclass
class ScanState:
    """Where a sequential verification stands after a prefix of the rows: the next expected
    seq, the hash of the last intact event and its prev_hash, the largest trusted tree size
    whose root matched, and the Merkle tree of the events so far."""

    expected: int = 1
    prev: str = GENESIS_HASH
    prev_prev: str | None = None
    last_matched: int = 0
    tree: MerkleAccumulator = field(default_factory=MerkleAccumulator)


def range_starts(head: int, block_height: int) -> list[int]:
    """The sequence numbers at which ranges after the first may start, for a log whose largest
    seq is ``head``: ``1 + k * 2**block_height`` for k >= 1."""
    return list(range(1 + (1 << block_height), head + 1, 1 << block_height))


def plan_ranges(starts: Sequence[int], pks: Mapping[int, int]) -> list[RangeSpec]:
    """Split the rows into ranges at the rows holding the sequence numbers ``starts``.

    ``pks`` maps a seq to the primary key of the row holding it. A start whose row is missing,
    or not after the previous range's first row, is skipped: the range before runs on. Any
    split into consecutive ranges is checked exactly (a row out of place shows up in the
    range that holds it), so this only decides how the work is shared.
    """
    specs = [RangeSpec(index=0, start=1, lo=None, hi=None)]
    for start in starts:
        pk = pks.get(start)
        last = specs[-1]
        if pk is None or (last.lo is not None and pk <= last.lo):
            continue
        specs[-1] = RangeSpec(index=last.index, start=last.start, lo=last.lo, hi=pk)
        specs.append(RangeSpec(index=len(specs), start=start, lo=pk, hi=None))
    return specs


def prepare_rows(rows: Iterable[EventRow]) -> Iterator[PreparedRow]:
    """Turn ``EventRow`` tuples into prepared rows, encoding each as ``chain.event_encoding``
    would (None for a row whose fields are not all text)."""
    text_types = {str}
    for seq, occ, actor, action, subject, payload, link, digest in rows:
        encoding: bytes | None = None
        if type(seq) is int and {
            type(occ), type(actor), type(action), type(subject), type(payload), type(link)
        } == text_types:
            text = (
                f"{ENCODING_PREFIX};{seq};{len(occ)}:{occ};{len(actor)}:{actor};"
                f"{len(action)}:{action};{len(subject)}:{subject};"
                f"{len(payload)}:{payload};{len(link)}:{link}"
            )
            try:
                if text.isascii():
                    encoding = text.encode()
                else:  # character counts are not byte counts: count bytes
                    encoding = (
                        f"{ENCODING_PREFIX};{seq};{len(occ.encode())}:{occ};"
                        f"{len(actor.encode())}:{actor};{len(action.encode())}:{action};"
                        f"{len(subject.encode())}:{subject};{len(payload.encode())}:{payload};"
                        f"{len(link.encode())}:{link}"
                    ).encode()
            except UnicodeError:  # a lone surrogate cannot be stored as UTF-8 text
                encoding = None
        yield (seq, encoding, link, digest)


def scan_range(
    rows: Iterable[PreparedRow] | Iterable[EventRow],
    *,
    start: int,
    sizes: Sequence[int],
    block_height: int,
    prepared: bool = True,
) -> RangeScan:
    """Check one range of rows whose first row should carry seq ``start``.

    The rows are prepared rows, or with ``prepared=False`` ``EventRow`` tuples (encoded here,
    exactly as the one-pass check encodes them). ``sizes`` are the trusted tree sizes (those
    outside the range are ignored); ``block_height`` the height of the aligned blocks the
    range's Merkle stack keeps apart. Stops reading at the first row that is not intact.
    """
    if start < 1 or (start - 1) & ((1 << block_height) - 1):
        raise ValueError(f"a range must start at 1 + a multiple of {1 << block_height}, got {start}")
    result = RangeScan(start=start)
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return result
    try:
        result.first_link = first[2] if prepared else first[6]  # type: ignore[misc,assignment]
    except (TypeError, IndexError):
        result.intact = False
        return result
    wanted = sorted(size for size in set(sizes) if size >= start)
    wanted.append(-1)  # sentinel: never equal to a seq
    # The first row's link is vouched for by the parent (the hash the range before ends with).
    prev = GENESIS_HASH if start == 1 else result.first_link
    loop = _scan_prepared if prepared else _scan_fields
    expected, prev, prev_link, result.intact = loop(
        itertools.chain((first,), it),  # type: ignore[arg-type]
        start, prev, (1 << block_height) - 1, result.final, result.stacks, wanted,
    )
    result.count = expected - start
    if result.count:
        result.last_link = prev_link
        result.last_hash = prev
    return result


# The two loops below differ only in how an event's encoding is obtained; they are kept
# apart, and the Merkle steps inlined, because a function call per event would cost a
# sizeable share of the verification time. Each returns (next expected seq, hash and link
# of the last intact row, whether every row read was intact), and fills ``stack`` (merges
# stop at block boundaries: the parent joins whole blocks) and ``stacks`` (the stack at
# each size in ``wanted``, which ends with a sentinel that never equals a seq).


def _scan_prepared(
    rows: Iterable[PreparedRow],
    expected: int,
    prev: str | None,
    mask: int,
    stack: list[bytes],
    stacks: dict[int, list[bytes]],
    wanted: list[int],
) -> tuple[int, str | None, str | None, bool]:
    sha256 = hashlib.sha256
    first_block_end = expected + mask  # the first seq past the range's first block
    position = 0
    next_size = wanted[0]
    prev_link = None
    try:
        for seq, encoding, link, digest in rows:
            if seq != expected or link != prev:
                return expected, prev, prev_link, False
            raw = sha256(encoding).digest()  # type: ignore[arg-type]  # None raises TypeError
            if raw.hex() != digest:
                return expected, prev, prev_link, False
            node = sha256(b"\x00" + raw).digest()
            carry = (expected - 1) & mask
            while carry & 1:
                node = sha256(b"\x01" + stack.pop() + node).digest()
                carry >>= 1
            stack.append(node)
            prev_link = link
            prev = digest
            if expected == next_size:
                # In the first block one root stands for the stack (see ``combine``): a log
                # checkpointed every few events then sends little back.
                stacks[expected] = [stack_root(stack)] if expected < first_block_end else stack.copy()
                position += 1
                next_size = wanted[position]
            expected += 1
    except (TypeError, ValueError):  # a NULL encoding or a row of the wrong shape
        return expected, prev, prev_link, False
    return expected, prev, prev_link, True


def _scan_fields(
    rows: Iterable[EventRow],
    expected: int,
    prev: str | None,
    mask: int,
    stack: list[bytes],
    stacks: dict[int, list[bytes]],
    wanted: list[int],
) -> tuple[int, str | None, str | None, bool]:
    sha256 = hashlib.sha256
    first_block_end = expected + mask  # the first seq past the range's first block
    position = 0
    next_size = wanted[0]
    prev_link = None
    try:
        for seq, occ, actor, action, subject, payload, link, digest in rows:
            if seq != expected or link != prev:
                return expected, prev, prev_link, False
            text = (
                f"{ENCODING_PREFIX};{seq};{len(occ)}:{occ};{len(actor)}:{actor};"
                f"{len(action)}:{action};{len(subject)}:{subject};"
                f"{len(payload)}:{payload};{len(link)}:{link}"
            )
            if (
                text.isascii()
                and type(occ) is str
                and type(actor) is str
                and type(action) is str
                and type(subject) is str
                and type(payload) is str
                and type(link) is str
            ):  # all text, one character per byte: the lengths above are byte lengths
                raw = sha256(text.encode()).digest()
            else:
                exact = _digest_as_one_pass(seq, occ, actor, action, subject, payload, link)
                if exact is None:
                    return expected, prev, prev_link, False
                raw = exact
            if raw.hex() != digest:
                return expected, prev, prev_link, False
            node = sha256(b"\x00" + raw).digest()
            carry = (expected - 1) & mask
            while carry & 1:
                node = sha256(b"\x01" + stack.pop() + node).digest()
                carry >>= 1
            stack.append(node)
            prev_link = link
            prev = digest
            if expected == next_size:
                # In the first block one root stands for the stack (see ``combine``): a log
                # checkpointed every few events then sends little back.
                stacks[expected] = [stack_root(stack)] if expected < first_block_end else stack.copy()
                position += 1
                next_size = wanted[position]
            expected += 1
    except (TypeError, ValueError):  # a NULL or a value without a length, or a bad row
        return expected, prev, prev_link, False
    return expected, prev, prev_link, True


def _digest_as_one_pass(*fields: Any) -> bytes | None:
    """The event hash ``verify``'s one-pass check computes for these fields (byte lengths of
    non-ASCII text), or None where it computes none."""
    seq, *texts = fields
    try:
        parts = [f"{ENCODING_PREFIX};{seq}"]
        for text in texts:
            parts.append(f"{len(text) if text.isascii() else len(text.encode())}:{text}")
        return hashlib.sha256(";".join(parts).encode()).digest()
    except (AttributeError, TypeError):
        return None


def combine(
    scans: Sequence[RangeScan], trusted: Mapping[int, str], block_height: int
) -> tuple[int | None, ScanState]:
    """Join range scans, in storage order, into the state after all of them.

    Returns ``(None, state)`` when every range is intact, starts where the one before ended
    and links to its last hash, and every trusted root at a size the ranges reach matches.
    Otherwise returns ``(i, state)``: ranges before ``i`` are proven intact and ``state`` is
    the sequential check's state at the start of range ``i``, from which it must resume.
    A trusted size beyond the end (a truncated log) is left to the caller.
    """
    state = ScanState()
    if 0 in trusted and trusted[0] != EMPTY_ROOT.hex():
        return 0, state
    for index, scan in enumerate(scans):
        if not scan.intact or scan.start != state.expected:
            return index, state
        if scan.count == 0:
            continue
        if scan.first_link != state.prev:
            return index, state
        matched = state.last_matched
        before = state.tree.stack
        for size, stack in sorted(scan.stacks.items()):
            if size not in trusted:
                continue
            if size - scan.start + 1 < 1 << block_height:
                # Inside the range's first block: its subtrees are all smaller than those
                # before it, so they follow them on the stack (the range sent their root).
                root = stack_root(before + stack)
            else:
                tree = state.tree.copy()
                for digest, height in zip(
                    stack, stack_heights(size - scan.start + 1, block_height), strict=True
                ):
                    tree.append_subtree(digest, height)
                root = tree.root()
            if root.hex() != trusted[size]:
                return index, state
            matched = size
        tree = state.tree.copy()
        for digest, height in zip(
            scan.final, stack_heights(scan.count, block_height), strict=True
        ):
            tree.append_subtree(digest, height)
        state = ScanState(
            expected=state.expected + scan.count,
            prev=scan.last_hash or "",
            prev_prev=scan.last_link,
            last_matched=matched,
            tree=tree,
        )
    return None, state


@dataclass(frozen=True)
class RangeQuery:
    """How to read one range of rows with a DB-API connection (picklable, for workers).

    ``select`` is ``SELECT <columns> FROM <table>``: with ``prepared`` the columns are
    ``seq, <encoding as bytes>, prev_hash, hash``, otherwise the eight ``EventRow`` columns
    (encoded by ``scan_range(prepared=False)``). ``vendor`` is ``"postgresql"`` (psycopg 3: a
    server-side cursor, so a range never sits in memory whole) or ``"sqlite"``.
    """

    vendor: str
    select: str
    pk: str
    prepared: bool
    fetch: int = 2_000

    def sql(self, spec: RangeSpec) -> tuple[str, list[int]]:
        mark = "?" if self.vendor == "sqlite" else "%s"
        where, params = [], []
        if spec.lo is not None:
            where.append(f"{self.pk} >= {mark}")
            params.append(spec.lo)
        if spec.hi is not None:
            where.append(f"{self.pk} < {mark}")
            params.append(spec.hi)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"{self.select}{clause} ORDER BY {self.pk}", params

    @contextmanager
    def rows(self, connection: Any, spec: RangeSpec) -> Iterator[Iterator[Any]]:
        """Open a cursor over the rows of ``spec``, in storage order; closed on exit.

        On PostgreSQL the connection must be in a transaction (a server-side cursor lives in
        one).
        """
        sql, params = self.sql(spec)
        if self.vendor == "postgresql":
            cursor = connection.cursor(name="fairhearing_audit_verify", binary=True)
        else:
            cursor = connection.cursor()
        try:
            cursor.execute(sql, params)
            # Lists from fetchmany chained in C: cheaper per row than iterating the cursor.
            batches = iter(lambda: cursor.fetchmany(self.fetch), [])
            rows = itertools.chain.from_iterable(batches)
            yield rows
        finally:
            cursor.close()


# Worker processes. Each is a fresh interpreter (``python -c``, never a fork: a fork would copy
# the parent's open database connections and any lock its other threads hold, and
# multiprocessing's spawn would re-run the caller's main script). It reads its task from
# standard input, opens its own database connection with ``connect`` (a picklable callable
# such as ``psycopg.connect`` or ``sqlite3.connect``), scans its ranges in order and writes the
# scans to standard output. Both ends are this module, so pickle carries the data.

_WORKER = "import sys; sys.path.insert(0, sys.argv[1]); from fairhearing.audit.ranges import serve_worker; serve_worker()"


class WorkerError(RuntimeError):
    """A worker process failed (it could not connect, or it died); its ranges were not scanned."""


def serve_worker() -> None:
    """The worker's main: its task from standard input, each range's scan to standard output
    as soon as it is done (so the parent can stop the others at the first damaged range)."""
    connect, kwargs, query, specs, sizes, block_height = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by the parent, this module
    connection = connect(**kwargs)
    try:
        for spec in specs:
            try:
                with query.rows(connection, spec) as rows:
                    scan = scan_range(
                        rows, start=spec.start, sizes=sizes, block_height=block_height,
                        prepared=query.prepared,
                    )
            finally:
                connection.rollback()  # end the read transaction (PostgreSQL) before the next
            pickle.dump(scan, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            if not scan.intact:
                break
    finally:
        connection.close()


def scan_ranges_in_processes(
    specs: Sequence[RangeSpec],
    *,
    sizes: Sequence[int],
    block_height: int,
    workers: int,
    connect: Callable[..., Any],
    connect_kwargs: dict[str, Any],
    query: RangeQuery,
) -> list[RangeScan]:
    """Scan ``specs`` in ``workers`` processes; return the scans in order, up to and including
    the first range that is not intact (the workers are stopped there: the ranges after it
    would not be used).

    Worker ``w`` takes ranges ``w``, ``w + workers``, ... so a worker never waits for another.
    Raises ``WorkerError`` if a worker fails before delivering a range that is needed.
    """
    root = str(Path(__file__).resolve().parents[2])
    arrivals: queue.Queue[tuple[int, RangeScan | None]] = queue.Queue()
    processes: list[subprocess.Popen[bytes]] = []
    owner: dict[int, int] = {}
    try:
        for worker in range(workers):
            mine = list(specs[worker::workers])
            if not mine:
                continue
            try:
                process = subprocess.Popen(  # noqa: S603 - this interpreter running this module
                    [sys.executable, "-c", _WORKER, root], stdin=subprocess.PIPE, stdout=subprocess.PIPE
                )
            except OSError as error:
                raise WorkerError(f"cannot start a verification worker: {error}") from error
            number = len(processes)
            processes.append(process)
            assert process.stdin is not None
            try:
                pickle.dump((connect, connect_kwargs, query, mine, list(sizes), block_height), process.stdin)
                process.stdin.close()
            except OSError as error:  # it died before reading its task
                raise WorkerError(f"verification worker {number} did not take its task: {error}") from error
            owner.update((spec.index, number) for spec in mine)
            threading.Thread(target=_collect, args=(number, process, mine, arrivals), daemon=True).start()
        received: dict[int, RangeScan] = {}
        finished: set[int] = set()
        scans: list[RangeScan] = []
        for spec in specs:
            while spec.index not in received:
                if owner[spec.index] in finished:
                    worker = owner[spec.index]
                    raise WorkerError(
                        f"verification worker {worker} ended (exit status "
                        f"{processes[worker].wait()}) before scanning range {spec.index}"
                    )
                index, scan = arrivals.get()
                if scan is None:
                    finished.add(index)
                else:
                    received[index] = scan
            scans.append(received[spec.index])
            if not received[spec.index].intact:
                break
        return scans
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def _collect(
    number: int,
    process: subprocess.Popen[bytes],
    specs: list[RangeSpec],
    arrivals: queue.Queue[tuple[int, RangeScan | None]],
) -> None:
    """Pass on each scan worker ``number`` writes, then ``(number, None)`` when it stops."""
    assert process.stdout is not None
    try:
        for spec in specs:
            arrivals.put((spec.index, pickle.load(process.stdout)))  # noqa: S301 - our own worker
    except (EOFError, pickle.UnpicklingError, OSError, ValueError):
        pass  # the worker ended early: stopped at damage, failed, or was stopped
    finally:
        process.stdout.close()
        arrivals.put((number, None))
