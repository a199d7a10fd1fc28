"""Append throughput of the audit log on PostgreSQL with concurrent writers, and proof that the
chain has no gap and no fork afterwards.

Creates a scratch database on the server (default 127.0.0.1:5432, user postgres; set
FAIRHEARING_BENCH_PG to another libpq DSN without dbname), runs the migrations, then starts W
writer processes that each append E events through ``audit_record`` (the real append: lock
the head row, hash, insert, move the head, commit). Afterwards it checks that sequence numbers
are exactly 1..W*E, that every event links to the one before it, and runs the full
verification. The scratch database is dropped at the end.

    .venv/bin/python benchmarks/audit_append_pg.py [WRITERS] [EVENTS_PER_WRITER]   # default 8 1000

With FAIRHEARING_BENCH_ASYNC_COMMIT=1 the writers commit with ``synchronous_commit = off``, which
shows how much of the time is the disk's flush at each commit.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

DSN = os.environ.get("FAIRHEARING_BENCH_PG", "host=127.0.0.1 port=5432 user=postgres")


def _django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.test_settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


_BARRIER = None


def _init(barrier) -> None:  # type: ignore[no-untyped-def]
    global _BARRIER
    _BARRIER = barrier


def _writer(args: tuple[str, int, int]) -> tuple[int, float, float]:
    """Append ``count`` events; the clock starts when every writer is connected and ready."""
    name, writer, count = args
    _django(name)
    from django.db import connection

    from fairhearing.audit.services import audit_record

    connection.ensure_connection()
    if os.environ.get("FAIRHEARING_BENCH_ASYNC_COMMIT"):
        # Upper bound without waiting for the disk flush at each commit (a crash may lose the
        # last few commits, never break the chain: each lost append is lost whole).
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    _BARRIER.wait()  # type: ignore[union-attr]
    start = time.time()
    for i in range(count):
        audit_record(actor=f"user:bench-{writer}", action="case.viewed", subject=f"case:{uuid.uuid4()}", payload={"writer": writer, "i": i})
    return count, start, time.time()


def main() -> None:
    import psycopg

    writers = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    per_writer = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    name = f"fh_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(DSN + " dbname=postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _django(name)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        connections.close_all()
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(writers)
        with ctx.Pool(writers, initializer=_init, initargs=(barrier,)) as pool:
            results = pool.map(_writer, [(name, w, per_writer) for w in range(writers)], chunksize=1)
        seconds = max(end for _, _, end in results) - min(start for _, start, _ in results)
        total = sum(count for count, _, _ in results)
        print(f"{writers} writers x {per_writer} events = {total:,} appends in {seconds:.2f} s: {total / seconds:,.0f} events/s")

        from fairhearing.audit.models import AuditEvent
        from fairhearing.audit.services import audit_verify

        seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
        gaps = [s for (s, _, _), expected in zip(seqs, range(1, len(seqs) + 1), strict=True) if s != expected]
        links = sum(1 for a, b in itertools.pairwise(seqs) if b[1] != a[2])
        forks = len(seqs) - len({prev for _, prev, _ in seqs})
        print(f"events stored: {len(seqs):,}; seq gaps: {len(gaps)}; broken links: {links}; forks (shared predecessor): {forks}")
        outcome = audit_verify(actor="system:bench", record=False)
        print(f"verify: {outcome.report.message}")
        assert len(seqs) == total and not gaps and not links and not forks and outcome.ok
        connections.close_all()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
