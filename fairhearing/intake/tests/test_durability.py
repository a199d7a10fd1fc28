"""Kill the server mid-burst: every complaint that got a reference is whole, and none is half-stored.

Runs gunicorn on a free local port against a temporary SQLite file, sends 50 concurrent
submissions (each with a file), sends SIGKILL to the whole server once about half have answered,
then reads the database file directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.cookiejar
import itertools
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fairhearing.intake.tests.helpers import PDF

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
SUBMISSIONS = 50
KILL_AFTER = 25


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _submit(base: str, number: int) -> str | None:
    """One complainant: load the form, send it with a file, read the reference off the receipt."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        form = opener.open(f"{base}/complain/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        started = re.search(r'name="started" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        body, content_type = _multipart({
            "csrfmiddlewaretoken": token, "started": started, "complainant_name": f"Complainant {number}",
            "respondent_name": f"Respondent {number}", "account": f"Account number {number} of what happened.",
            "category": "bullying", "consent": "on",
        }, f"evidence-{number}.pdf", PDF + str(number).encode())
        request = urllib.request.Request(f"{base}/complain/", data=body, headers={"Content-Type": content_type, "Referer": f"{base}/complain/"})
        receipt = opener.open(request, timeout=60).read().decode()
    except (urllib.error.URLError, OSError, AttributeError):
        return None
    found = re.search(r'id="reference">([A-Z0-9-]+)<', receipt)
    return found.group(1) if found else None


def _run_server(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    (tmp / "durability_settings.py").write_text(
        "from fairhearing.settings import *  # noqa\n"
        "FAIRHEARING_INTAKE_MIN_FILL_SECONDS = 0\n"
        "FAIRHEARING_INTAKE_SUBMISSIONS_PER_HOUR = 100000\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp}{os.pathsep}{REPO}", "DJANGO_SETTINGS_MODULE": "durability_settings",
           "SECRET_KEY": "durability-test-key-0123456789-0123456789-0123456789", "FAIRHEARING_VAR_DIR": str(tmp),
           "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "FAIRHEARING_TASK_BACKEND": "database",
           "EMAIL_URL": "console:", "DEBUG": "false", "FAIRHEARING_SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    bin_dir = Path(sys.executable).parent
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=tmp)
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "fairhearing.wsgi", "-b", f"127.0.0.1:{port}", "-w", "4", "--threads", "4", "--timeout", "120"],
        env=env, cwd=tmp, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/complain/", timeout=2)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError("the server did not start")


def test_every_complaint_that_got_a_reference_survives_a_sigkill_whole(tmp_path):
    if not (Path(sys.executable).parent / "gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = _free_port()
    server = _run_server(tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    references: list[str] = []
    done = threading.Event()
    lock = threading.Lock()

    def one(number: int) -> None:
        reference = _submit(base, number)
        with lock:
            if reference:
                references.append(reference)
            if len(references) >= KILL_AFTER:
                done.set()

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            for number in range(SUBMISSIONS):
                pool.submit(one, number)
            done.wait(timeout=240)
            os.killpg(server.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)

    assert len(references) >= KILL_AFTER, f"only {len(references)} submissions got a reference before the kill"
    db = sqlite3.connect(tmp_path / "db.sqlite3")
    complaints = db.execute("SELECT id, public_id, reference, case_id, submission_event_hash FROM cases_complaint").fetchall()
    by_reference = {row[2]: row for row in complaints}
    missing = [r for r in references if r not in by_reference]
    assert missing == [], f"references given out but not stored: {missing}"
    evidence_dir = tmp_path / "evidence"
    for pk, public_id, reference, case_id, event_hash in complaints:
        subject = f"complaint:{uuid.UUID(public_id)}"
        assert case_id is not None and db.execute("SELECT 1 FROM cases_case WHERE id=?", (case_id,)).fetchone(), reference
        event = db.execute("SELECT hash FROM audit_auditevent WHERE action='complaint.submitted' AND subject=?", (subject,)).fetchone()
        assert event is not None and event[0] == event_hash, reference
        files = db.execute("SELECT stored_name, sha256 FROM intake_evidence WHERE complaint_id=? AND kind='file'", (pk,)).fetchall()
        assert len(files) == 1, reference
        stored, digest = files[0]
        assert hashlib.sha256((evidence_dir / stored).read_bytes()).hexdigest() == digest, reference
    chain = db.execute("SELECT seq, prev_hash, hash FROM audit_auditevent ORDER BY seq").fetchall()
    assert [row[0] for row in chain] == list(range(1, len(chain) + 1)), "the audit chain has a gap"
    assert all(later[1] == earlier[2] for earlier, later in itertools.pairwise(chain)), "the audit chain is broken"
    print(f"\n{len(references)} of {SUBMISSIONS} got a reference before SIGKILL; {len(complaints)} complaints stored, all whole")
