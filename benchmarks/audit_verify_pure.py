"""Time pure-Python verification of an in-memory audit log (no database, no Django).

Generates N events (with realistic field sizes and a checkpoint every 10,000 events),
then times ``verify_rows``: recomputing every event hash, checking every link and
sequence number, computing the Merkle root at every checkpoint and checking every
signature. Prints events per second.

    .venv/bin/python benchmarks/audit_verify_pure.py [N]    # default 1,000,000
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
from fairhearing.audit.merkle import MerkleAccumulator
from fairhearing.audit.signing import sign_checkpoint
from fairhearing.audit.verify import verify_rows

ACTIONS = ("case.triage", "case.read", "evidence.add", "notice.send", "decision.issue")
CHECKPOINT_EVERY = 10_000


def generate(n: int, key: Ed25519PrivateKey) -> tuple[list, list]:
    rows = []
    checkpoints = []
    tree = MerkleAccumulator()
    prev = GENESIS_HASH
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    actors = [f"user:{i:04d}" for i in range(50)]
    for seq in range(1, n + 1):
        occurred_at = (start + timedelta(milliseconds=seq * 250)).isoformat(timespec="microseconds")
        payload = canonical_payload(
            {"case": f"FH-2026-{seq % 9973:05d}", "stage": "triage", "note_chars": seq % 400}
        )
        actor = actors[seq % 50]
        action = ACTIONS[seq % 5]
        subject = f"case:{seq % 9973:05d}"
        digest = compute_hash(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject=subject,
            payload_json=payload,
            prev_hash=prev,
        )
        rows.append((seq, occurred_at, actor, action, subject, payload, prev, digest))
        tree.append(bytes.fromhex(digest))
        if seq % CHECKPOINT_EVERY == 0 or seq == n:
            checkpoints.append(
                sign_checkpoint(key, tree_size=seq, root=tree.root(), issued_at=occurred_at)
            )
        prev = digest
    return rows, checkpoints


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    key = Ed25519PrivateKey.generate()
    began = time.perf_counter()
    rows, checkpoints = generate(n, key)
    print(
        f"generated {n:,} events and {len(checkpoints)} checkpoints in "
        f"{time.perf_counter() - began:.1f} s"
    )
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = verify_rows(rows, checkpoints, key.public_key())
        best_wall = min(best_wall, time.perf_counter() - began)
        best_cpu = min(best_cpu, time.process_time() - began_cpu)
        assert report.ok, report.message
    # CPU time is printed too: on a shared machine the wall clock also measures the neighbours.
    print(
        f"verify_rows: {n:,} events, best of 3: {best_wall:.2f} s wall = {n / best_wall:,.0f} "
        f"events/s; {best_cpu:.2f} s CPU = {n / best_cpu:,.0f} events/s"
    )
    print(report.message)


if __name__ == "__main__":
    main()
