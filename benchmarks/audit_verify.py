"""Time verification of a large audit log stored in SQLite, through the real verify path.

Builds a scratch SQLite database (all migrations), writes N events straight into it with the
pure chain functions and one bulk insert (going through ``audit_append`` would take hours for a
million events and measures something else), signs a checkpoint every 100,000 events with a
scratch key, then times:

* ``fairhearing.audit.services.audit_verify``: streams every row from the database, recomputes
  every hash and link, the Merkle root at every checkpoint, and checks every signature;
* ``checkpoint_write``: the root over all N events, as the tick computes it.

    .venv/bin/python benchmarks/audit_verify.py [N]     # default 1,000,000

Prints the figures; nothing is timed inside the test suite.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
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


def generate(db: Path, n: int) -> float:
    from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
    from fairhearing.audit.merkle import MerkleAccumulator
    from fairhearing.audit.services import signing_key
    from fairhearing.audit.signing import sign_checkpoint

    key = signing_key()
    start = time.perf_counter()
    tree = MerkleAccumulator()
    prev = GENESIS_HASH
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    rows = []
    checkpoints = []
    for seq in range(1, n + 1):
        occurred_at = (t0 + timedelta(milliseconds=seq * 250)).isoformat(timespec="microseconds")
        actor = f"user:{(seq * 7919) % 60:08x}-3f1c-4b7e-9a2d-5c8e1f0a{seq % 60:04x}"
        action = ACTIONS[seq % 5]
        subject = f"case:6f1e{seq % 9973:04x}-2b7c-4d9e-8f10-a1b2c3d4e5f6"
        payload = canonical_payload({"case": f"FH-2026-{seq % 9973:05d}", "stage": "triage", "page": seq % 7})
        digest = compute_hash(seq=seq, occurred_at=occurred_at, actor=actor, action=action, subject=subject, payload_json=payload, prev_hash=prev)
        rows.append((seq, occurred_at, actor, action, subject, payload, prev, digest))
        tree.append(bytes.fromhex(digest))
        if seq % CHECKPOINT_EVERY == 0 and seq < n:  # the last stretch is left for checkpoint_write
            checkpoints.append(sign_checkpoint(key, tree_size=seq, root=tree.root(), issued_at=occurred_at))
        prev = digest
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
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="fh-audit-bench-") as tmp:
        db = setup(Path(tmp))
        generated = generate(db, n)
        size_mb = db.stat().st_size / 1e6
        print(f"generated {n:,} events in {generated:.1f} s ({size_mb:.0f} MB SQLite file)")
        from fairhearing.audit.services import audit_verify, checkpoint_write

        # CPU time is reported beside wall time: on a shared machine the wall time also counts
        # waiting for a core.
        for attempt in (1, 2):
            start, cpu = time.perf_counter(), time.process_time()
            outcome = audit_verify(actor="system:bench", record=False)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            report = outcome.report
            assert report.ok, report.message
            print(f"verify #{attempt}: {report.events_checked:,} events, {report.checkpoints_checked} checkpoints: {seconds:.2f} s wall, {cpu:.2f} s CPU ({report.events_checked / seconds:,.0f} events/s wall)")
        start, cpu = time.perf_counter(), time.process_time()
        stored = checkpoint_write(actor="system:bench")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert stored is not None
        print(f"checkpoint over {stored.tree_size:,} events: {seconds:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
