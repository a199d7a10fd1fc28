"""PostgreSQL restarted under load: requests fail cleanly and succeed again, nothing accepted is lost.

A PostgreSQL server of the test's own (never the machine's shared one) serves gunicorn while
six complainants submit complaints with a file, without pause. The server is stopped twice in the
middle of that load, once in "fast" mode (sessions are ended) and once in "immediate" mode (as if
it crashed: recovery from the write-ahead log on start), and started again each time.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from fairhearing.core.tests.faults import (
    Answer,
    app_env,
    app_server,
    fairhearing,
    only_in_pass,
    opener,
    scratch_postgres,
    submit_complaint,
)

pytestmark = pytest.mark.slow

CLIENTS = 6
UNAVAILABLE_MESSAGE = "temporarily unavailable"


def _is_clean_unavailable(answer: Answer) -> bool:
    return (answer.status == 503 and UNAVAILABLE_MESSAGE in answer.body and "Traceback" not in answer.body
            and "Internal Server Error" not in answer.body)


class Load:
    """Complainants submitting without pause; every answer is kept."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.numbers = itertools.count()
        # Half the complainants keep their cookies (a session from an earlier receipt), half start afresh.
        self.threads = [threading.Thread(target=self._run, args=(i % 2 == 0,), daemon=True) for i in range(CLIENTS)]

    def _run(self, keep_cookies: bool) -> None:
        client = opener() if keep_cookies else None
        while not self.stopping.is_set():
            answer = submit_complaint(self.base, next(self.numbers), client=client)
            with self.lock:
                self.answers.append(answer)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def count(self, predicate: Callable[[Answer], bool]) -> int:
        with self.lock:
            return sum(1 for answer in self.answers if predicate(answer))

    def wait_for(self, predicate: Callable[[Answer], bool], at_least: int, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while self.count(predicate) < at_least:
            assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {at_least} {what}; answers so far: {self.summary()}"
            time.sleep(0.05)

    def summary(self) -> str:
        with self.lock:
            kinds: dict[str, int] = {}
            for answer in self.answers:
                key = "receipt" if answer.reference else f"{answer.status}"
                kinds[key] = kinds.get(key, 0) + 1
            other = next((a for a in self.answers if not a.reference and not _is_clean_unavailable(a)), None)
        text = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
        if other is not None:
            plain = re.sub(r"<[^>]+>|\s+", " ", other.body)
            text += f"; first unclean answer ({other.status}): {plain[:400]}"
        return text


def _has_receipt(answer: Answer) -> bool:
    return answer.reference is not None


def test_a_postgresql_restart_under_load_fails_cleanly_loses_nothing_and_recovers(tmp_path: Path) -> None:
    import psycopg

    only_in_pass("postgresql")
    with scratch_postgres() as server:
        url = server.create_database("fairhearing")
        env = app_env(tmp_path, url)
        migrated = fairhearing(env, "migrate", "--noinput", "-v", "0", cwd=tmp_path)
        assert migrated.returncode == 0, migrated.stderr
        with app_server(env, tmp_path) as base:
            load = Load(base)
            load.start()
            try:
                load.wait_for(_has_receipt, 5, 120, "receipts before the first restart")
                for mode in ("fast", "immediate"):
                    unavailable_before = load.count(_is_clean_unavailable)
                    server.stop(mode)
                    load.wait_for(_is_clean_unavailable, unavailable_before + CLIENTS, 60,
                                  f"clean 'unavailable' pages while the database was stopped ({mode})")
                    server.start()
                    receipts = load.count(_has_receipt)
                    load.wait_for(_has_receipt, receipts + 5, 120, f"receipts after the restart ({mode})")
            finally:
                load.stop()

        answers = list(load.answers)
        unclean = [a for a in answers if not a.reference and not _is_clean_unavailable(a)]
        assert unclean == [], (
            f"{len(unclean)} of {len(answers)} answers were neither a receipt nor a clean 503 ({load.summary()}); "
            f"first: status {unclean[0].status}: {unclean[0].body[:1500]}"
        )
        unavailable = [a for a in answers if _is_clean_unavailable(a)]
        assert all("try again" in a.body for a in unavailable)
        references = [a.reference for a in answers if a.reference]

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
            stored = {row[0]: row[1:] for row in db.execute(
                "SELECT reference, id, public_id, submission_event_hash, case_id FROM cases_complaint")}
            missing = [r for r in references if r not in stored]
            assert missing == [], f"{len(missing)} complaints that got a receipt are not in the database: {missing[:10]}"
            for reference in references:
                pk, public_id, event_hash, case_id = stored[reference]
                event = db.execute("SELECT hash FROM audit_auditevent WHERE action = 'complaint.submitted' AND subject = %s",
                                   (f"complaint:{uuid.UUID(str(public_id))}",)).fetchone()
                assert event is not None and event[0] == event_hash, f"{reference} has no matching audit event"
                assert case_id is not None, f"{reference} has no case"
                files = db.execute("SELECT stored_name, sha256 FROM intake_evidence WHERE complaint_id = %s AND kind = 'file'", (pk,)).fetchall()
                assert len(files) == 1, f"{reference} has {len(files)} evidence files, not 1"
                import hashlib

                stored_name, digest = files[0]
                content = (tmp_path / "evidence" / stored_name).read_bytes()
                assert hashlib.sha256(content).hexdigest() == digest, f"{reference}: the stored file does not match its hash"

        verified = fairhearing(env, "audit", "verify", "--no-record", cwd=tmp_path)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        print(f"\n{load.summary()}; {len(references)} receipts, all stored whole; {len(stored)} complaints in the database")
