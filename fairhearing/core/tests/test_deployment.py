"""The production layout of docs/deployment.md, as far as one machine allows: two application
servers (gunicorn) sharing nothing but PostgreSQL, Redis and the evidence store; two RQ workers;
the tick run from other processes; the statistics read from a replica.

It needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (override with
FAIRHEARING_TEST_POSTGRES_URL and FAIRHEARING_TEST_REDIS_URL). It works in a scratch database
with a unique name, dropped afterwards, and in one Redis database (9 by default), flushed before
and after. When a service is missing it skips with the reason, except when
FAIRHEARING_REQUIRE_SERVICES=1 (as in CI), where it fails instead.

Each server and worker has its own FAIRHEARING_VAR_DIR, so anything one of them kept on its own
disk would be invisible to the others; the evidence store is a directory named only through
FAIRHEARING_EVIDENCE_STORAGE, standing in for an object store. Mail goes to an SMTP sink in this
process, which records every message the workers send.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairhearing.core.tests.faults import only_in_pass

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("FAIRHEARING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("FAIRHEARING_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
SECRET = "deployment-test-key-0123456789-0123456789-0123456789"
PASSWORD = "correct horse battery staple 42"
PDF_TEMPLATE = b"%%PDF-1.4\n%% evidence %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n"
COMPLAINTS = 7  # the sixth from 127.0.0.1 passes the hourly limit of 5 and is held; the seventh comes from elsewhere
BALANCED_CLIENT = "203.0.113.7"  # the address a balancer reports, in a PROXY protocol header
STARTUP_SECONDS = 180
MAIL_SECONDS = 180


def _unavailable(reason: str) -> None:
    if os.environ.get("FAIRHEARING_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (FAIRHEARING_REQUIRE_SERVICES=1 requires it)")
    pytest.skip(reason)


# --- services ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _once_per_ci_run() -> None:
    """The test brings its own PostgreSQL database, so it runs once, in the suite's PostgreSQL pass
    (CI runs the suite on SQLite, then on PostgreSQL), not in both."""
    only_in_pass("postgresql")


@pytest.fixture(scope="module")
def redis_db() -> Iterator[Any]:
    try:
        import redis
    except ImportError:
        _unavailable("the redis package is not installed (pip install 'fairhearing[redis]')")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def scratch_databases() -> Iterator[tuple[str, str]]:
    """A primary and a replica database with unique names, dropped afterwards (never ``test``)."""
    import psycopg

    try:
        admin = psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    name = f"fh_deploy_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, f"{name}_replica"
    finally:
        for db in (f"{name}_replica", name):
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        self.reply("220 sink ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                sink.receive(b"".join(lines))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@dataclass
class SmtpSink:
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, raw: bytes) -> None:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    def message_ids(self) -> Counter[str]:
        with self.lock:
            return Counter(str(m["Message-ID"]) for m in self.messages)

    def wait_for(self, condition: Any, what: str, seconds: float = MAIL_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                with self.lock:
                    seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
                raise AssertionError(f"timed out waiting for {what}; mail received: {seen}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    sink = SmtpSink()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.sink = sink  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sink, server.server_address[1]
    server.shutdown()
    server.server_close()


# --- processes -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Layout:
    root: Path
    env: dict[str, str]
    database: str
    replica: str
    processes: list[tuple[str, subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def env_for(self, role: str, **extra: str) -> dict[str, str]:
        var = self.root / f"var-{role}"
        var.mkdir(exist_ok=True)
        return {**self.env, "FAIRHEARING_VAR_DIR": str(var), **extra}

    def run(self, role: str, *args: str, timeout: float = 600, **extra: str) -> str:
        """Run a fairhearing command to completion; its output, or a failure showing it."""
        done = subprocess.run([str(BIN / "fairhearing"), *args], env=self.env_for(role, **extra), cwd=self.root,
                              capture_output=True, timeout=timeout, check=False)
        output = (done.stdout + done.stderr).decode(errors="replace")
        assert done.returncode == 0, f"fairhearing {' '.join(args)} exited {done.returncode}:\n{output[-4000:]}"
        return done.stdout.decode()

    def start(self, role: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = self.root / f"{role}.log"
        process = subprocess.Popen(command, env=self.env_for(role), cwd=self.root, stdout=log.open("wb"),
                                   stderr=subprocess.STDOUT)
        self.processes.append((role, process, log))
        return process

    def log_tail(self, role: str) -> str:
        return (self.root / f"{role}.log").read_text(errors="replace")[-3000:]

    def stop_all(self) -> None:
        for _, process, _ in self.processes:
            if process.poll() is None:
                process.terminate()
        for _, process, _ in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _start_server(layout: Layout, role: str) -> str:
    port = _free_port()
    # As docs/deployment.md configures it behind a balancer (here on 127.0.0.1): the client's
    # address from the PROXY protocol, the scheme from X-Forwarded-Proto, trusted from it alone.
    layout.start(role, [str(BIN / "gunicorn"), "fairhearing.wsgi:application", "--bind", f"127.0.0.1:{port}",
                        "--workers", "1", "--timeout", "120", "--graceful-timeout", "5",
                        "--proxy-protocol", "--proxy-allow-from", "127.0.0.1", "--forwarded-allow-ips", "127.0.0.1"])
    return f"http://127.0.0.1:{port}"


def _wait_healthy(layout: Layout, role: str, base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    process = next(p for r, p, _ in layout.processes if r == role)
    while True:
        assert process.poll() is None, f"{role} exited:\n{layout.log_tail(role)}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        assert time.monotonic() < deadline, f"{role} did not become healthy:\n{layout.log_tail(role)}"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def layout(tmp_path_factory, scratch_databases, redis_db, smtp_sink) -> Iterator[Layout]:
    database, replica = scratch_databases
    root = tmp_path_factory.mktemp("deployment")
    store = root / "evidence-store"
    store.mkdir()
    kept = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
    env = {
        **kept,
        "DJANGO_SETTINGS_MODULE": "fairhearing.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FAIRHEARING_SECURE_COOKIES": "false",
        # The caseworker signs in with a password only; two-factor sign-in is tested in accounts.
        "FAIRHEARING_REQUIRE_TWO_FACTOR": "false",
        "DATABASE_URL": f"{POSTGRES_URL}/{database}",
        "DATABASE_REPLICA_URL": f"{POSTGRES_URL}/{replica}",
        "FAIRHEARING_TASK_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink[1]}",
        "FAIRHEARING_AUDIT_KEY": str(root / "audit-signing-key.pem"),
        "FAIRHEARING_EVIDENCE_STORAGE": json.dumps({
            "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(store)}}),
        "FAIRHEARING_LOG_LEVEL": "WARNING",
    }
    result = Layout(root=root, env=env, database=database, replica=replica)
    result.run("setup", "migrate", "--verbosity", "0")
    # The replica: a copy taken now, which never catches up. Reads that reach it see no complaints.
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{database}"')
    result.run("setup", "audit", "keygen")
    result.run("setup", "shell", "-c", (
        "from fairhearing.accounts.models import Role, User\n"
        f"User.objects.create_user(username='casey', password={PASSWORD!r}, role=Role.CASEWORKER, email='casey@example.org')\n"
        f"User.objects.create_user(username='olu', password={PASSWORD!r}, role=Role.OVERSEER, email='olu@example.org')\n"
    ))
    try:
        yield result
    finally:
        result.stop_all()


@pytest.fixture(scope="module")
def running(layout: Layout) -> Iterator[dict[str, str]]:
    """Two application servers and two workers, each with its own var directory."""
    servers = {"server-a": _start_server(layout, "server-a"), "server-b": _start_server(layout, "server-b")}
    for name in ("worker-1", "worker-2"):
        layout.start(name, [str(BIN / "fairhearing"), "worker", "--name", f"{layout.database}-{name}"])
    for role, base in servers.items():
        _wait_healthy(layout, role, base)
    yield servers


def _db(layout: Layout) -> Any:
    import psycopg

    return psycopg.connect(f"{POSTGRES_URL}/{layout.database}", autocommit=True)


# --- HTTP ----------------------------------------------------------------------------------------


class _ViaBalancer(http.client.HTTPConnection):
    """A connection that starts as a balancer's does: a PROXY protocol line naming the client."""

    def connect(self) -> None:
        super().connect()
        self.sock.sendall(f"PROXY TCP4 {BALANCED_CLIENT} 127.0.0.1 40000 {self.port}\r\n".encode())


class _BalancerHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_ViaBalancer, req)


class Browser:
    """One person's cookies, usable against any server (the session lives in the database)."""

    def __init__(self, *, via_balancer: bool = False) -> None:
        self.jar = http.cookiejar.CookieJar()
        handlers: list[Any] = [urllib.request.HTTPCookieProcessor(self.jar)]
        if via_balancer:
            handlers.append(_BalancerHandler())
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, url: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(url, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, url: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        boundary = secrets.token_hex(16)
        body = b""
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, (filename, content) in (files or {}).items():
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": url, **(headers or {})})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")  # type: ignore[misc]


def _hidden(page: bytes, name: str) -> str:
    found = re.search(rb'name="' + name.encode() + rb'"[^>]*value="([^"]*)"', page) or re.search(
        rb'value="([^"]*)"[^>]*name="' + name.encode() + rb'"', page)
    assert found, f"no hidden field {name} in the page"
    return found.group(1).decode()


def _text(page: bytes, element_id: str) -> str:
    found = re.search(rb'id="' + element_id.encode() + rb'">([^<]+)<', page)
    assert found, f"no element #{element_id} in the page"
    return found.group(1).decode().strip()


@dataclass
class Submitted:
    server: str
    reference: str
    email: str
    evidence: bytes


def _open_form(base: str, *, via_balancer: bool = False) -> tuple[Browser, str]:
    browser = Browser(via_balancer=via_balancer)
    status, page = browser.get(f"{base}/complain/")
    assert status == 200, page[:500]
    return browser, _hidden(page, "started")


def _submit(base: str, server: str, number: int, browser: Browser, started: str) -> Submitted:
    address = f"complainant{number}@example.org"
    evidence = PDF_TEMPLATE % str(number).encode() + secrets.token_hex(8).encode()
    status, url, page = browser.post(f"{base}/complain/", {
        "csrfmiddlewaretoken": browser.csrf(), "started": started, "complainant_name": f"Complainant {number}",
        "complainant_email": address, "respondent_name": f"Respondent {number}", "category": "antisemitism",
        "account": f"At the branch meeting respondent {number} said something antisemitic.", "consent": "on",
        "website": "",
    }, files={"files": (f"minutes-{number}.pdf", evidence)})
    assert status == 200 and url.endswith("/complain/receipt/"), f"submission {number} via {server}: {status} {url}\n{page[:1500]!r}"
    return Submitted(server=server, reference=_text(page, "reference"), email=address, evidence=evidence)


# --- the test ------------------------------------------------------------------------------------


def test_two_servers_two_workers_and_the_tick_share_one_database_one_redis_and_one_evidence_store(
    layout: Layout, running: dict[str, str], smtp_sink: tuple[SmtpSink, int], redis_db: Any,
) -> None:
    sink = smtp_sink[0]
    a, b = running["server-a"], running["server-b"]
    order = [("server-a", a) if n % 2 == 0 else ("server-b", b) for n in range(COMPLAINTS)]

    # Complainants open the form on alternate servers, wait past the spam check's minimum fill
    # time, and send two at a time, one to each server.
    forms = [_open_form(base, via_balancer=n == COMPLAINTS - 1) for n, (_, base) in enumerate(order)]
    time.sleep(3.5)
    submitted: list[Submitted] = []
    # The sixth goes alone, after the others: the hourly count per address is kept in the
    # database, so whichever server takes it sees the five before it and holds it. The seventh
    # arrives through the balancer from another address, which the server sees, so it is not held.
    batches = [(0, 1), (2, 3), (4,), (5,), (6,)]
    assert sorted(n for batch in batches for n in batch) == list(range(COMPLAINTS))
    with ThreadPoolExecutor(max_workers=2) as pool:
        for batch in batches:
            futures = [pool.submit(_submit, order[n][1], order[n][0], n, *forms[n]) for n in batch]
            submitted += [f.result() for f in futures]

    with _db(layout) as db:
        rows = dict(db.execute(
            "SELECT c.reference, count(h.id) FROM cases_complaint c "
            "LEFT JOIN intake_spamhold h ON h.complaint_id = c.id GROUP BY c.reference").fetchall())
        assert sorted(rows) == sorted(s.reference for s in submitted)
        assert [rows[s.reference] for s in submitted] == [0, 0, 0, 0, 0, 1, 0]
    held = submitted[5]
    opened = [s for s in submitted if s is not held]

    # A caseworker signs in on server A, over HTTPS as far as the browser knows: the balancer
    # ends TLS and says so in X-Forwarded-Proto, without which the form's https origin is refused.
    casey = Browser()
    casey.get(f"{a}/accounts/login/")
    login = {"csrfmiddlewaretoken": casey.csrf(), "username": "casey", "password": PASSWORD}
    https = {"Origin": a.replace("http://", "https://"), "Referer": a.replace("http://", "https://") + "/accounts/login/"}
    status, _, _ = casey.post(f"{a}/accounts/login/", login, headers=https)
    assert status == 403, "a TLS origin was accepted over plain HTTP"
    status, url, _ = casey.post(f"{a}/accounts/login/", login, headers={**https, "X-Forwarded-Proto": "https"})
    assert status == 200 and "/login/" not in url, "the caseworker could not sign in on server A"
    # ... and opens, on server A, the evidence sent through server B.
    with _db(layout) as db:
        evidence = dict(db.execute(
            "SELECT c.reference, e.public_id FROM intake_evidence e JOIN cases_complaint c "
            "ON e.complaint_id = c.id WHERE e.kind = 'file'").fetchall())
    through_b = [s for s in opened if s.server == "server-b"]
    assert through_b
    for item in through_b:
        status, body = casey.get(f"{a}/intake/evidence/{evidence[item.reference]}/")
        assert status == 200 and body == item.evidence, f"evidence of {item.reference} (sent via B) not served by A"
    # The same session works on server B: sessions are in the database, not in a server.
    status, body = casey.get(f"{b}/intake/evidence/{evidence[submitted[0].reference]}/")
    assert status == 200 and body == submitted[0].evidence

    # Each complainant whose complaint opened a case is acknowledged once, by one of the workers.
    acknowledged = [s.email for s in opened]
    sink.wait_for(lambda: all(sink.to(address) for address in acknowledged), "the acknowledgements")
    with _db(layout) as db:
        # A worker records "sent" just after the message leaves; wait for the records to follow.
        deadline = time.monotonic() + 60
        while db.execute("SELECT count(*) FROM cases_notification WHERE status <> 'sent'").fetchone()[0]:
            assert time.monotonic() < deadline, db.execute("SELECT kind, status, last_error FROM cases_notification").fetchall()
            time.sleep(0.2)
        stored = db.execute("SELECT public_id, recipient_email, kind FROM cases_notification").fetchall()
    assert sorted(email for _, email, _ in stored) == sorted(acknowledged)
    assert [len(sink.to(address)) for address in acknowledged] == [1] * len(acknowledged)

    # Four jobs for one message, taken by two workers at once: the conditional claim lets one send.
    with _db(layout) as db:
        duplicate_id = _insert_notification(db, "dup@example.org", "duplicate-jobs", minutes_old=0)
    layout.run("shell", "shell", "-c", f"from fairhearing.cases.notify import enqueue_send\nfor _ in range(4): enqueue_send({duplicate_id})")
    sink.wait_for(lambda: sink.to("dup@example.org"), "the message queued four times")

    # The tick, from two more processes at once: a message whose hand-over to Redis was lost is
    # queued again and sent once; an overdue case is breached once and the overseer told once.
    with _db(layout) as db:
        lost_id = _insert_notification(db, "lost@example.org", "lost-enqueue", minutes_old=60)
        overdue = db.execute(
            "UPDATE cases_case SET due_on = %s WHERE id = (SELECT case_id FROM cases_complaint "
            "WHERE reference = %s) RETURNING reference", (date.today() - timedelta(days=10), submitted[0].reference)).fetchone()[0]
    ticks = [subprocess.Popen([str(BIN / "fairhearing"), "tick"], env=layout.env_for(f"tick-{n}"), cwd=layout.root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for n in (1, 2)]
    outputs = [t.communicate(timeout=600)[0].decode(errors="replace") for t in ticks]
    assert [t.returncode for t in ticks] == [0, 0], outputs
    breached = [int(re.search(r"breached: (\d+)", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    assert sorted(breached) == [0, 1], outputs
    sink.wait_for(lambda: sink.to("lost@example.org") and sink.to("olu@example.org"), "the re-queued message and the breach notice")
    time.sleep(3)  # room for a late duplicate to arrive, were there one
    assert len(sink.to("lost@example.org")) == 1
    assert len(sink.to("dup@example.org")) == 1
    assert len(sink.to("olu@example.org")) == 1
    assert overdue in str(sink.to("olu@example.org")[0]["Subject"])
    assert max(sink.message_ids().values()) == 1, sink.message_ids()
    with _db(layout) as db:
        statuses = dict(db.execute("SELECT id, status FROM cases_notification WHERE id IN (%s, %s)", (lost_id, duplicate_id)).fetchall())
        assert statuses == {lost_id: "sent", duplicate_id: "sent"}
        breaches = db.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'case.deadline_breached'").fetchone()[0]
        assert breaches == 1

    # Both workers took jobs (Redis hands a job to the worker that has waited longest, and four
    # arrived at once), and between them they ran every job.
    from rq import Worker

    workers = {w.name: w for w in Worker.all(connection=redis_db)}
    ours = [workers[f"{layout.database}-{name}"] for name in ("worker-1", "worker-2")]
    assert all(w.successful_job_count > 0 for w in ours), {w.name: w.successful_job_count for w in ours}
    assert sum(w.successful_job_count for w in ours) >= len(acknowledged) + 4 + 2

    # The statistics are read from the replica, a copy taken before any complaint arrived; the
    # same command without a replica reads the primary.
    period = ["--from", (date.today() - timedelta(days=7)).isoformat(), "--to", (date.today() + timedelta(days=1)).isoformat()]
    from_replica = json.loads(layout.run("report", "report", *period))
    from_primary = json.loads(layout.run("report", "report", *period, DATABASE_REPLICA_URL=""))
    received = {r["key"]: r for r in from_replica["tables"]}["received"]["cells"][-1][-1]
    assert received == 0, from_replica
    assert {r["key"]: r for r in from_primary["tables"]}["received"]["cells"][-1][-1] not in (0, "0"), from_primary

    # Nothing went to any server's or worker's own directory: evidence is in the shared store only.
    for role in ("server-a", "server-b", "worker-1", "worker-2"):
        leftovers = [p for p in (layout.root / f"var-{role}").rglob("*") if p.is_file()]
        assert leftovers == [], f"{role} kept local files: {leftovers}"
    assert len([p for p in (layout.root / "evidence-store").iterdir() if p.is_file()]) == COMPLAINTS


def _insert_notification(db: Any, address: str, key: str, *, minutes_old: int) -> int:
    """A message stored but never handed to a worker (as when Redis was unreachable at commit)."""
    row = db.execute(
        "INSERT INTO cases_notification (public_id, kind, recipient_role, recipient_email, subject, body, "
        "dedupe_key, status, attempts, created_at, last_error) VALUES (gen_random_uuid(), 'test', 'complainant', %s, %s, "
        "'Body.', %s, 'queued', 0, now() - make_interval(mins => %s), '') RETURNING id",
        (address, f"Test message {key}", key, minutes_old)).fetchone()
    return int(row[0])
