"""Make a generated scratch database writable by the application before HTTP load runs on it.

``benchmarks/datagen.py`` loads rows with explicit ids and without columns added after it was
written. Two things then break or skew the running application, and this script repairs both (it
is idempotent, and changes nothing on a database the application filled itself):

- id sequences behind their table (on the first generated databases ``cases_allegation``'s
  sequence was left at 1, so every new case failed with a duplicate key and the complaint form
  answered 500): every id sequence is moved past the largest id in its table;
- ``cases_party.name_key`` empty on generated rows (the folded respondent name a new complaint
  is matched on, migration cases 0003): filled with ``fairhearing.cases.models.fold_name``.

    .venv/bin/python benchmarks/load_prepare.py --database-url postgres://postgres@127.0.0.1:5432/fh_load_1m

Run it on a copy (``CREATE DATABASE fh_load_1m TEMPLATE fh_scale_1m``), never on a database
others are measuring: the HTTP benchmarks add complaints, sessions and audit events.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def sequences_repair(conn: object) -> int:
    """Move every id sequence past its table's largest id; returns how many were behind."""
    behind = 0
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT table_name, pg_get_serial_sequence(format('%I', table_name), 'id') FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'id' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')"
    ).fetchall()
    for table, sequence in rows:
        if sequence is None:
            continue
        largest = conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]  # type: ignore[attr-defined]
        last, called = conn.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()  # type: ignore[attr-defined]
        if largest is not None and (last < largest or (last == largest and not called)):
            conn.execute("SELECT setval(%s, %s)", (sequence, largest))  # type: ignore[attr-defined]
            print(f"  {table}: sequence at {last}, largest id {largest}: moved")
            behind += 1
    return behind


def name_keys_fill(conn: object) -> int:
    """Fill the folded name of parties stored without it (streamed out, COPYed back, one UPDATE)."""
    from fairhearing.cases.models import fold_name

    conn.execute("CREATE TEMP TABLE party_keys (id bigint PRIMARY KEY, k varchar(200)) ON COMMIT DROP")  # type: ignore[attr-defined]
    with conn.cursor(name="parties") as rows, conn.cursor() as out:  # type: ignore[attr-defined]
        rows.execute("SELECT id, name FROM cases_party WHERE name <> '' AND name_key = ''")
        # One COPY per batch: a COPY holds the connection, so the cursor cannot fetch during one.
        while batch := rows.fetchmany(20000):
            with out.copy("COPY party_keys (id, k) FROM STDIN") as copy:
                for pk, name in batch:
                    copy.write_row((pk, fold_name(name)))
    return int(conn.execute(  # type: ignore[attr-defined]
        "UPDATE cases_party p SET name_key = party_keys.k FROM party_keys WHERE p.id = party_keys.id").rowcount)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args(argv)
    name = args.database_url.rsplit("/", 1)[-1]
    if not args.database_url.startswith(("postgres://", "postgresql://")) or name in ("test", "postgres"):
        parser.error("--database-url must name a PostgreSQL scratch database (not test or postgres)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    os.environ.setdefault("SECRET_KEY", "load-prepare-only-0123456789-0123456789-0123456789")
    import django

    django.setup()
    import psycopg

    sys.path.insert(0, str(REPO / "benchmarks"))
    from load_http import _dsn

    started = time.perf_counter()
    with psycopg.connect(_dsn(args.database_url)) as conn:
        print(f"{name}: id sequences behind their tables: {sequences_repair(conn)}")
        print(f"{name}: party name keys filled: {name_keys_fill(conn)}")
    with psycopg.connect(_dsn(args.database_url), autocommit=True) as conn:
        conn.execute("ANALYZE cases_party")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
