"""Time verification of a large audit log stored in SQLite, through the real verify path.

Builds a scratch SQLite database (all migrations), writes N events straight into it with the
pure chain functions and one bulk insert (going through ``audit_append`` would take hours for a
million events and measures something else), signs a checkpoint every 100,000 events with a
scratch key, then times:

* ``fairhearing.audit.services.audit_verify`` (what ``fairhearing audit verify`` calls): reads
  every row from the database, recomputes every hash and link, the Merkle root at every
  checkpoint, and checks every signature; once per ``--workers`` setting, ``--runs`` times
  each, printing every run and the median (wall time, CPU time of this process and its worker
  processes, events/s, and the load average before and after: the machine is shared);
* ``checkpoint_write``: the root over all N events, as the tick computes it.

    .venv/bin/python benchmarks/audit_verify.py [N] [--runs 3] [--workers auto,1,2] [--one-pass]

``--workers auto`` lets ``audit_verify`` choose (one process per core for a large log);
``--one-pass`` also times the earlier path (``verify_rows`` over the ORM's rows).
Prints the figures; nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

CHECKPOINT_EVERY = 100_000
ACTIONS = ("case.viewed", "case.transitioned", "case.note_added", "case.listed", "case.assigned")


def setup(workdir: Path) -> Path:
    db = workdir / "audit-bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["FAIRHEARING_AUDIT_KEY"] = str(workdir / "key.pem")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.test_settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("audit", "keygen", verbosity=0)
    return db


def events(n: int, key, checkpoints: list) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    """Yield ``n`` chained events as ``EventRow`` tuples; append a checkpoint signed with ``key``
    to ``checkpoints`` every ``CHECKPOINT_EVERY`` events (the last stretch is left uncovered).

    Realistic field sizes: UUID actors and subjects, a small canonical JSON payload.
    """
    from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
    from fairhearing.audit.merkle import MerkleAccumulator
    from fairhearing.audit.signing import sign_checkpoint

    tree = MerkleAccumulator()
    prev = GENESIS_HASH
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for seq in range(1, n + 1):
        occurred_at = (t0 + timedelta(milliseconds=seq * 250)).isoformat(timespec="microseconds")
        actor = f"user:{(seq * 7919) % 60:08x}-3f1c-4b7e-9a2d-5c8e1f0a{seq % 60:04x}"
        action = ACTIONS[seq % 5]
        subject = f"case:6f1e{seq % 9973:04x}-2b7c-4d9e-8f10-a1b2c3d4e5f6"
        payload = canonical_payload({"case": f"FH-2026-{seq % 9973:05d}", "stage": "triage", "page": seq % 7})
        digest = compute_hash(seq=seq, occurred_at=occurred_at, actor=actor, action=action, subject=subject, payload_json=payload, prev_hash=prev)
        yield (seq, occurred_at, actor, action, subject, payload, prev, digest)
        tree.append(bytes.fromhex(digest))
        if seq % CHECKPOINT_EVERY == 0 and seq < n:  # the last stretch is left for checkpoint_write
            checkpoints.append(sign_checkpoint(key, tree_size=seq, root=tree.root(), issued_at=occurred_at))
        prev = digest


def generate(db: Path, n: int) -> float:
    from fairhearing.audit.services import signing_key

    key = signing_key()
    start = time.perf_counter()
    checkpoints: list = []
    rows = list(events(n, key, checkpoints))
    prev = rows[-1][7]
    conn = sqlite3.connect(db)
    conn.executemany(
        "INSERT INTO audit_auditevent (seq, occurred_at, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO audit_checkpoint (tree_size, root, issued_at, key_id, signature) VALUES (?, ?, ?, ?, ?)",
        [(c.tree_size, c.root, c.issued_at, c.key_id, c.signature) for c in checkpoints],
    )
    conn.execute("UPDATE audit_audithead SET seq = ?, hash = ? WHERE id = 1", (n, prev))
    conn.commit()
    # Move the bulk insert from the write-ahead log into the database file, as SQLite's
    # automatic checkpoints do on a live database.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - start


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def workers_option(text: str) -> list[int | None]:
    return [None if part.strip() == "auto" else int(part) for part in text.split(",")]


def measure(n: int, runs: int, workers: int | None, server_cpu: Callable[[], float] | None = None) -> None:
    """Run ``audit_verify`` ``runs`` times with ``workers``; print each run and the medians.

    CPU time is this process plus its worker processes (and, with ``server_cpu``, the
    database server process serving this one). On a shared machine the wall time also counts
    waiting for a core, so events per CPU-second are printed too.
    """
    from fairhearing.audit.services import audit_verify

    if runs < 1:
        return
    label = "auto" if workers is None else str(workers)
    walls, cpus, servers = [], [], []
    for attempt in range(1, runs + 1):
        before = loadavg()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        server = server_cpu() if server_cpu else 0.0
        start, cpu = time.perf_counter(), time.process_time()
        outcome = audit_verify(actor="system:bench", record=False, workers=workers)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        server = server_cpu() - server if server_cpu else 0.0
        report = outcome.report
        assert report.ok, report.message
        assert report.events_checked == n, report.message
        walls.append(wall)
        cpus.append(cpu)
        servers.append(server)
        extra = f" + {server:.2f} s CPU in the database server" if server_cpu else ""
        print(
            f"workers={label} run {attempt}: {n:,} events, {report.checkpoints_checked} checkpoints: "
            f"{wall:.2f} s wall = {n / wall:,.0f} events/s; {cpu:.2f} s CPU in this process and its "
            f"workers = {n / cpu:,.0f} events per CPU-second{extra}; load average {before} -> {loadavg()}",
            flush=True,
        )
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    extra = f", database server {statistics.median(servers):.2f} s CPU" if server_cpu else ""
    print(
        f"workers={label} median of {runs}: {wall:.2f} s wall = {n / wall:,.0f} events/s; "
        f"{cpu:.2f} s CPU = {n / cpu:,.0f} events per CPU-second{extra}",
        flush=True,
    )


def measure_one_pass(n: int, runs: int) -> None:
    """Time the earlier path for comparison: ``verify_rows`` over the ORM's ``event_rows``, one
    event after another in this process."""
    from fairhearing.audit import selectors
    from fairhearing.audit.services import signing_key
    from fairhearing.audit.verify import verify_rows

    stored = [cp.as_signed() for cp in selectors.stored_checkpoints()]
    public = signing_key().public_key()
    walls, cpus = [], []
    for attempt in range(1, runs + 1):
        before = loadavg()
        start, cpu = time.perf_counter(), time.process_time()
        report = verify_rows(selectors.event_rows(), stored, public)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert report.ok and report.events_checked == n, report.message
        walls.append(wall)
        cpus.append(cpu)
        print(f"one pass (ORM rows) run {attempt}: {wall:.2f} s wall = {n / wall:,.0f} events/s; {cpu:.2f} s CPU = {n / cpu:,.0f} events per CPU-second; load average {before} -> {loadavg()}", flush=True)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"one pass (ORM rows) median of {runs}: {wall:.2f} s wall = {n / wall:,.0f} events/s; {cpu:.2f} s CPU = {n / cpu:,.0f} events per CPU-second", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=workers_option, default=[None, 1], help="comma-separated: auto or a number")
    parser.add_argument("--one-pass", action="store_true", help="also time the earlier one-pass path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fh-audit-bench-") as tmp:
        db = setup(Path(tmp))
        generated = generate(db, args.n)
        size_mb = db.stat().st_size / 1e6
        print(f"generated {args.n:,} events in {generated:.1f} s ({size_mb:.0f} MB SQLite file)", flush=True)
        for workers in args.workers:
            measure(args.n, args.runs, workers)
        if args.one_pass:
            measure_one_pass(args.n, args.runs)
        from fairhearing.audit.services import checkpoint_write

        start, cpu = time.perf_counter(), time.process_time()
        stored = checkpoint_write(actor="system:bench")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert stored is not None
        print(f"checkpoint over {stored.tree_size:,} events: {seconds:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
