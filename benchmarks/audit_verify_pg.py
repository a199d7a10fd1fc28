"""Time verification of a large audit log stored in PostgreSQL, through the real verify path.

Builds (once) a scratch database ``fh_bench_verify`` on 127.0.0.1:5432 (user postgres; set
FAIRHEARING_BENCH_PG to another libpq DSN without dbname) with all migrations and N events
(default 10,000,000). The events are computed in Python with the project's chain functions
(``benchmarks/audit_verify.events``: the same field sizes as the SQLite benchmark) and written
with one COPY; a checkpoint signed with a scratch key every 100,000 events. The secondary
indexes are built after the COPY, then the table is vacuumed and analysed, as a restored
backup would be. Later runs reuse the database when it already holds N events and the key
file is still there (``--rebuild`` forces a fresh one).

Then it times ``fairhearing.audit.services.audit_verify`` (what ``fairhearing audit verify``
calls) ``--runs`` times per ``--workers`` setting and prints each run and the median: events/s
over wall time, the CPU time of this process and of its worker processes (with one process,
also that of the PostgreSQL server process serving it), and the load average before and after
(the machine is shared, so wall time also counts waiting for a core).

    .venv/bin/python benchmarks/audit_verify_pg.py [N] [--runs 3] [--workers auto,1] [--one-pass]
        [--damage SEQ ...] [--rebuild] [--drop]

``--workers 1`` measures the single-process path; ``auto`` lets ``audit_verify`` choose;
``--one-pass`` also times the earlier path (``verify_rows`` over the ORM's rows); ``--damage``
changes one event, times the verification that names it, and restores the event.
``--drop`` drops the scratch database afterwards (it takes about 1 KB per event on disk).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit_verify import (
    CHECKPOINT_EVERY,
    events,
    loadavg,
    measure,
    measure_one_pass,
    workers_option,
)

DSN = os.environ.get("FAIRHEARING_BENCH_PG", "host=127.0.0.1 port=5432 user=postgres")
NAME = "fh_bench_verify"
KEY = Path(tempfile.gettempdir()) / NAME / "key.pem"
COPY_BATCH = 50_000


def _django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{NAME}"
    os.environ["FAIRHEARING_AUDIT_KEY"] = str(KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.test_settings")
    import django

    django.setup()


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(DSN + " dbname=postgres", autocommit=True)


def _existing_size() -> int | None:
    """The number of events in the scratch database, or None if it is missing or unusable."""
    import psycopg

    with _admin() as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone() is None:
            return None
    if not KEY.exists():
        return None
    try:
        with psycopg.connect(f"{DSN} dbname={NAME}") as conn:
            row = conn.execute("SELECT seq FROM audit_audithead WHERE id = 1").fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else None


def build(n: int) -> None:
    """Create the scratch database and fill it with ``n`` chained events and checkpoints."""
    import psycopg

    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{NAME}"')
    KEY.parent.mkdir(parents=True, exist_ok=True)
    KEY.unlink(missing_ok=True)
    _django()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("audit", "keygen", verbosity=0)
    connections.close_all()
    from fairhearing.audit.services import signing_key

    key = signing_key()
    started = time.perf_counter()
    with psycopg.connect(f"{DSN} dbname={NAME}") as conn:
        # Secondary indexes are rebuilt after the load: maintaining five indexes row by row
        # would make the load several times slower and leave them fragmented.
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_auditevent' "
            "AND indexname <> 'audit_auditevent_pkey'"
        ).fetchall()
        unique = {
            name for (name,) in conn.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_auditevent'::regclass AND contype = 'u'"
            ).fetchall()
        }
        for name, _ in indexes:
            if name in unique:
                conn.execute(f'ALTER TABLE audit_auditevent DROP CONSTRAINT "{name}"')
            else:
                conn.execute(f'DROP INDEX "{name}"')
        checkpoints = []
        last = ""
        with conn.cursor().copy(
            "COPY audit_auditevent (id, seq, occurred_at, actor, action, subject, payload, prev_hash, hash) FROM STDIN"
        ) as copy:
            batch: list[str] = []
            for row in events(n, key, checkpoints):
                # The generated fields hold no tab, newline or backslash, so COPY's text format
                # needs no escaping.
                batch.append(f"{row[0]}\t" + "\t".join(map(str, row)) + "\n")
                if len(batch) == COPY_BATCH:
                    copy.write("".join(batch))
                    batch.clear()
                    if row[0] % 1_000_000 == 0:
                        print(f"  {row[0]:,} events written ({time.perf_counter() - started:.0f} s)", flush=True)
                last = row[7]
            copy.write("".join(batch))
        print(f"  COPY done ({time.perf_counter() - started:.0f} s); building indexes", flush=True)
        for name, definition in indexes:
            conn.execute(definition)
            if name in unique:
                conn.execute(f'ALTER TABLE audit_auditevent ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
        conn.execute("SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)", [n])
        conn.execute("UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [n, last])
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO audit_checkpoint (tree_size, root, issued_at, key_id, signature) VALUES (%s, %s, %s, %s, %s)",
                [(c.tree_size, c.root, c.issued_at, c.key_id, c.signature) for c in checkpoints],
            )
        conn.commit()
        conn.autocommit = True
        print(f"  indexes built ({time.perf_counter() - started:.0f} s); vacuum analyse", flush=True)
        conn.execute("VACUUM ANALYZE audit_auditevent")
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('audit_auditevent'))").fetchone()
    print(f"built {NAME}: {n:,} events, {len(checkpoints)} checkpoints, table with indexes {size[0] if size else '?'}, in {time.perf_counter() - started:.0f} s")


def backend_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this process's connection."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_damage(seq: int) -> None:
    """Change the subject of event ``seq``, time the verification that finds it, put it back.

    The append-only triggers are lifted for the two updates and put back afterwards.
    """
    from django.db import connection

    from fairhearing.audit import triggers
    from fairhearing.audit.services import audit_verify

    with connection.cursor() as cursor:
        cursor.execute("SELECT subject FROM audit_auditevent WHERE seq = %s", [seq])
        (subject,) = cursor.fetchone()
        triggers.drop(connection)
        try:
            cursor.execute("UPDATE audit_auditevent SET subject = %s WHERE seq = %s", ["case:forged", seq])
            before = loadavg()
            start, cpu = time.perf_counter(), time.process_time()
            outcome = audit_verify(actor="system:bench", record=False)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            report = outcome.report
            assert (str(report.damage), report.first_bad_seq) == ("changed", seq), report.message
            print(f"damage at seq {seq:,} found and named in {wall:.2f} s wall ({cpu:.2f} s CPU in this process); load average {before} -> {loadavg()}", flush=True)
        finally:
            cursor.execute("UPDATE audit_auditevent SET subject = %s WHERE seq = %s", [subject, seq])
            triggers.install(connection)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=workers_option, default=[None, 1], help="comma-separated: auto or a number")
    parser.add_argument("--one-pass", action="store_true", help="also time the earlier one-pass path")
    parser.add_argument("--damage", type=int, action="append", default=[], metavar="SEQ", help="also time finding a change to event SEQ (undone afterwards)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()

    if args.rebuild or _existing_size() != args.n:
        print(f"building {NAME} with {args.n:,} events (checkpoint every {CHECKPOINT_EVERY:,})", flush=True)
        build(args.n)
    _django()
    for workers in args.workers:
        # One process reads through this process's connection, whose server process can be
        # measured too (the backends of worker processes end with them).
        measure(args.n, args.runs, workers, server_cpu=backend_cpu if workers == 1 else None)
    if args.one_pass:
        measure_one_pass(args.n, args.runs)
    for seq in args.damage:
        measure_damage(seq)
    if args.drop:
        from django.db import connections

        connections.close_all()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        print(f"dropped {NAME}")


if __name__ == "__main__":
    main()
