"""HTTP load against the real server: complaint submission and caseworker queue pages.

Starts gunicorn (production settings: DEBUG off, persistent database connections) against the
database named by --database-url, then runs a bounded closed-loop load: C client threads, each
with its own cookie jar and keep-alive connection, each sending its next request as soon as the
previous one answered, for a fixed duration after an excluded warm-up. Every response is checked:
a submission counts only when the receipt page shows a reference, and afterwards every reference
is looked up in the database (stored, with a case, not held as suspected spam).

Scenarios
  form     the public complaint form: GET /complain/, POST it (multipart, like the browser), GET
           the receipt. Each iteration is a new complainant (fresh cookies).
  api      POST /api/v1/complaints (JSON), expecting 201 and a reference.
  queues   a signed-in caseworker GETs the queue pages (/cases/?queue=...), each queue in turn.
           Each client signs in once, as its own caseworker (--username with {n}), with password
           and second factor as production requires: on first use through the set-up page (the
           key it shows is kept in --totp-keys for later runs), afterwards with the current code.

The intake spam heuristics (minimum fill time, submissions per address) and the API rate limits
would hold or refuse a load generator on one address, so the server runs with a settings module
that imports the production settings and raises those limits through their existing settings
(FAIRHEARING_INTAKE_MIN_FILL_SECONDS, FAIRHEARING_INTAKE_SUBMISSIONS_PER_HOUR,
FAIRHEARING_API_RATE_LIMITS); nothing else differs from production.

    .venv/bin/python benchmarks/load_http.py form --database-url postgres://postgres@127.0.0.1:5432/fh_scale_1m \\
        --clients 4 --duration 30 --warmup 5 --runs 3
    .venv/bin/python benchmarks/load_http.py queues --database-url ... --username caseworker --password ...

Reports, per run and as the median of the runs: requests, errors, throughput, p50/p95/p99/max
latency per request kind, the load average, and CPU seconds used by the load generator, the
gunicorn processes and the PostgreSQL backends serving this database.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
QUEUE_KEYS = ("new", "due_soon", "overdue", "paused", "mine", "fast_tracked")
CATEGORIES = ("antisemitism", "other_racism", "other_discrimination", "sexual_harassment", "bullying", "other")
SETTINGS_MODULE = """\
from fairhearing.settings import *  # noqa: F403

# Load comes from one address, faster than any person fills a form: without these the intake
# would (rightly) hold every submission after the fifth as suspected spam, and the API would
# answer 429. Everything else is the production configuration.
FAIRHEARING_INTAKE_MIN_FILL_SECONDS = 0
FAIRHEARING_INTAKE_SUBMISSIONS_PER_HOUR = 10**9
FAIRHEARING_API_RATE_LIMITS = {name: (10**9, 3600) for name in ("submit", "lookup", "token", "anonymous")}
"""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')
REFERENCE = re.compile(r'id="reference">(FH-[A-Z0-9-]+)<')
SETUP_KEY = re.compile(r'id="setup-key">([A-Z2-7 ]+)<')


# --- process CPU accounting ------------------------------------------------------------------


def _cpu_of(pid: int) -> float:
    """utime + stime of one process (all its threads), in seconds; 0 when it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def _dsn(database_url: str) -> str:
    parts = urlsplit(database_url)
    return (f"host={parts.hostname or '127.0.0.1'} port={parts.port or 5432} user={parts.username or 'postgres'} "
            f"dbname={parts.path.lstrip('/')}" + (f" password={parts.password}" if parts.password else ""))


class WaitSampler(threading.Thread):
    """Every 100 ms, what each busy PostgreSQL backend of this database is doing: running, or
    waiting (on a lock such as the audit head row, on the WAL flush at commit, ...)."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url, self.stop = database_url, threading.Event()
        self.counts: dict[str, int] = defaultdict(int)
        self.samples = 0
        # CPU seconds of each backend when first and last seen: backends come and go (connections
        # are recycled after CONN_MAX_AGE), so they are followed at every sample.
        self.cpu_first: dict[int, float] = {}
        self.cpu_last: dict[int, float] = {}

    def backend_cpu(self) -> float:
        return sum(last - self.cpu_first[pid] for pid, last in self.cpu_last.items())

    def run(self) -> None:
        import psycopg

        name = urlsplit(self.database_url).path.lstrip("/")
        with psycopg.connect(_dsn(self.database_url), autocommit=True) as conn:
            while True:
                rows = conn.execute(
                    "SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'", (name,)).fetchall()
                for pid, *_ in rows:
                    cpu = _cpu_of(pid)
                    if cpu:
                        self.cpu_first.setdefault(pid, cpu)
                        self.cpu_last[pid] = cpu
                if self.stop.is_set():
                    return
                self.samples += 1
                for _, state, kind, event in rows:
                    if state == "idle":
                        continue
                    if state == "active":
                        label = f"waiting: {kind}/{event}" if kind else "running"
                    else:
                        label = f"{state} ({kind}/{event})" if kind else state
                    self.counts[label] += 1
                self.stop.wait(0.1)

    def summary(self) -> dict[str, float]:
        """Average number of backends in each state (sum of samples / number of samples)."""
        return {k: v / max(1, self.samples) for k, v in sorted(self.counts.items(), key=lambda kv: -kv[1])}


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def pids(self) -> list[int]:
        return [self.process.pid, *_children(self.process.pid)]

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


def server_start(*, database_url: str, workers: int, threads: int, work_dir: Path) -> Server:
    (work_dir / "load_settings.py").write_text(SETTINGS_MODULE)
    var_dir = work_dir / "var"
    var_dir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": f"{work_dir}{os.pathsep}{REPO}",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FAIRHEARING_VAR_DIR": str(var_dir),
        "FAIRHEARING_SECURE_COOKIES": "false",  # plain HTTP on 127.0.0.1
        "FAIRHEARING_TASK_BACKEND": "database",
        "EMAIL_URL": "console:",
        "ALLOWED_HOSTS": "127.0.0.1",
        "FAIRHEARING_LOG_LEVEL": "WARNING",
    }
    port = _free_port()
    log = work_dir / "gunicorn.log"
    command = [str(Path(sys.executable).parent / "gunicorn"), "fairhearing.wsgi", "-b", f"127.0.0.1:{port}",
               "-w", str(workers), "--threads", str(threads), "--timeout", "120", "--keep-alive", "5",
               "--worker-class", "gthread"]
    process = subprocess.Popen(command, env=env, cwd=work_dir, start_new_session=True,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited at start; see {log}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/complain/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


# --- one client --------------------------------------------------------------------------------


class Failure(Exception):
    pass


class Client:
    """One browser: a keep-alive connection from its own loopback address, and a cookie jar."""

    def __init__(self, host: str, port: int, rng: random.Random) -> None:
        self.host, self.port, self.rng = host, port, rng
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.source = self._address()

    def _address(self) -> str:
        # Anywhere in 127.0.0.0/8 reaches the server on 127.0.0.1, so each complainant can come
        # from an address of their own, as on the internet (the per-address counts stay small).
        return f"127.{self.rng.randrange(1, 255)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"

    def forget(self) -> None:
        """Become a new visitor: no cookies, a new connection from another address."""
        self.cookies = {}
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.source = self._address()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], str]:
        sent = {"Host": f"{self.host}:{self.port}", "User-Agent": "fairhearing-load/1"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.source, 0))
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection; a browser reconnects too.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n\r\n")
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def _complaint(rng: random.Random) -> dict[str, str]:
    """A plausible complaint about someone with no open case (the common case, and the one that
    opens a new case rather than linking)."""
    who = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10)).title()
    return {
        "complainant_name": f"Load Complainant {rng.randrange(10**6)}",
        "complainant_email": f"complainant{rng.randrange(10**6)}@example.org",
        "respondent_name": f"Respondent {who}",
        "respondent_branch_or_role": "Northtown branch",
        "account": "At the branch meeting on 3 March the member repeatedly shouted down a new volunteer and "
                   "called her names in front of everyone; two others saw it and can confirm.",
        "conduct_dates": "3 March 2026",
        "where": "Branch meeting, Northtown",
        "category": rng.choice(CATEGORIES),
    }


Timing = list[tuple[str, float, float]]  # (kind, started at, seconds)


def journey_form(client: Client, rng: random.Random, timings: Timing, references: list[str]) -> None:
    client.forget()  # a new complainant
    t0 = time.monotonic()
    status, _, page = client.request("GET", "/complain/")
    t1 = time.monotonic()
    timings.append(("GET /complain/", t0, t1 - t0))
    token, started = TOKEN.search(page), STARTED.search(page)
    if status != 200 or token is None or started is None:
        raise Failure(f"form: HTTP {status}, token found: {token is not None}")
    fields = {"csrfmiddlewaretoken": token.group(1), "started": started.group(1), **_complaint(rng),
              "consent": "on", "website": "", "links": "", "pasted_text": "", "respondent_membership_number": "",
              "complainant_phone": "", "conduct_first_date": ""}
    body, content_type = _multipart(fields)
    base = f"http://{client.host}:{client.port}"
    status, headers, page = client.request("POST", "/complain/", body, {"Content-Type": content_type, "Referer": f"{base}/complain/"})
    t2 = time.monotonic()
    timings.append(("POST /complain/", t1, t2 - t1))
    if status != 302 or not headers.get("location", "").endswith("/complain/receipt/"):
        errors = re.findall(r'class="error[^"]*"[^>]*>([^<]+)<', page)[:3]
        raise Failure(f"submit: HTTP {status} {errors}")
    status, _, page = client.request("GET", "/complain/receipt/")
    t3 = time.monotonic()
    timings.append(("GET /complain/receipt/", t2, t3 - t2))
    found = REFERENCE.search(page)
    if status != 200 or found is None:
        raise Failure(f"receipt: HTTP {status}, reference found: {found is not None}")
    references.append(found.group(1))
    timings.append(("form journey (3 requests)", t0, t3 - t0))


def journey_api(client: Client, rng: random.Random, timings: Timing, references: list[str]) -> None:
    client.forget()  # a new complainant
    payload = {k: v for k, v in _complaint(rng).items()}
    t0 = time.monotonic()
    status, _, text = client.request("POST", "/api/v1/complaints", json.dumps(payload).encode(),
                                     {"Content-Type": "application/json"})
    t1 = time.monotonic()
    timings.append(("POST /api/v1/complaints", t0, t1 - t0))
    try:
        reference = json.loads(text)["reference"] if status == 201 else None
    except (ValueError, KeyError):
        reference = None
    if reference is None:
        raise Failure(f"api: HTTP {status} {text[:200]}")
    references.append(reference)


def totp(key_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The time-based code an authenticator app shows for this key (RFC 6238, SHA-1)."""
    key = base64.b32decode(key_base32.replace(" ", "").upper() + "=" * (-len(key_base32.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


class TotpKeys:
    """Authenticator keys of the benchmark's staff accounts, kept in a file between runs: a key is
    shown only once, when the account sets up two-factor sign-in."""

    def __init__(self, path: Path, database: str) -> None:
        self.path, self.database, self.lock = path, database, threading.Lock()

    def _all(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get(self, username: str) -> str | None:
        with self.lock:
            return self._all().get(f"{self.database}:{username}")

    def put(self, username: str, key: str) -> None:
        with self.lock:
            keys = self._all()
            keys[f"{self.database}:{username}"] = key
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(keys, indent=1))
            self.path.chmod(0o600)


def _post_form(client: Client, path: str, page: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
    token = TOKEN.search(page)
    if token is None:
        raise Failure(f"no form on {path}")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
    referer = f"http://{client.host}:{client.port}{path}"
    return client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer})


def _code_step(client: Client, path: str, key: str) -> None:
    """Enter the current code on the set-up or check page; a code works once, so when another
    sign-in of this account used it already, wait for the next one."""
    for _ in range(3):
        status, _, page = client.request("GET", path)
        if status != 200:
            raise Failure(f"{path}: HTTP {status}")
        status, _, _ = _post_form(client, path, page, {"code": totp(key), "next": "/cases/"})
        if status == 302:
            return
        time.sleep(31 - time.time() % 30)
    raise Failure(f"code refused three times on {path}")


def sign_in(client: Client, username: str, password: str, keys: TotpKeys) -> None:
    """Password, then the second factor as staff must: set it up on first use (the key is read
    off the set-up page and kept), or enter the current code."""
    status, _, page = client.request("GET", "/accounts/login/")
    if status != 200:
        raise Failure(f"login form: HTTP {status}")
    status, _, _ = _post_form(client, "/accounts/login/", page, {"username": username, "password": password, "next": ""})
    if status != 302 or "sessionid" not in client.cookies:
        raise Failure(f"sign-in as {username!r} refused: HTTP {status}")
    status, headers, page = client.request("GET", "/accounts/two-factor/set-up/")
    if status == 200:  # no device yet: this page shows the key once
        found = SETUP_KEY.search(page)
        if found is None:
            raise Failure("the set-up page shows no key")
        keys.put(username, found.group(1))
        _code_step(client, "/accounts/two-factor/set-up/", found.group(1))
    elif status == 302 and "/accounts/two-factor/" in headers.get("location", ""):
        key = keys.get(username)
        if key is None:
            raise Failure(f"{username} has two-factor sign-in set up with a key this benchmark does not hold; "
                          "reset it (fairhearing two-factor reset) or sign in as another account")
        _code_step(client, "/accounts/two-factor/", key)
    status, _, _ = client.request("GET", "/cases/")
    if status != 200:
        raise Failure(f"signed in as {username} but /cases/ answered HTTP {status}")


def journey_queues(client: Client, rng: random.Random, timings: Timing, references: list[str]) -> None:
    del rng, references
    for key in QUEUE_KEYS:
        t0 = time.monotonic()
        status, _, page = client.request("GET", f"/cases/?queue={key}")
        t1 = time.monotonic()
        timings.append((f"GET /cases/?queue={key}", t0, t1 - t0))
        if status != 200 or "<h1>Cases</h1>" not in page or "does not exist" in page:
            raise Failure(f"queue {key}: HTTP {status}")


JOURNEYS = {"form": journey_form, "api": journey_api, "queues": journey_queues}


# --- a run -------------------------------------------------------------------------------------


@dataclass
class RunResult:
    seconds: float
    timings: Timing = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    journeys: int = 0
    loadavg_before: str = ""
    loadavg_after: str = ""
    cpu: dict[str, float] = field(default_factory=dict)
    backends: dict[str, float] = field(default_factory=dict)


def clients_prepare(*, scenario: str, port: int, clients: int, username: str, password: str, keys: TotpKeys,
                    seed: int) -> list[Client]:
    """One client per thread, made once and reused by every run. For the queues each signs in
    (password and second factor) as ``username.format(n=...)``, so with ``{n}`` in the name each
    client is a different caseworker."""
    made = [Client("127.0.0.1", port, random.Random(seed * 1000 + n)) for n in range(1, clients + 1)]
    if scenario == "queues":
        errors: list[str] = []

        def one(n: int, client: Client) -> None:
            try:
                sign_in(client, username.format(n=n), password, keys)
            except (Failure, OSError, http.client.HTTPException) as error:
                errors.append(f"client {n} ({username.format(n=n)}): {error}")

        threads = [threading.Thread(target=one, args=(n, c)) for n, c in enumerate(made, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise SystemExit("sign-in failed: " + "; ".join(errors))
    return made


def run_once(*, scenario: str, clients: list[Client], duration: float, warmup: float, server: Server | None,
             database_url: str) -> RunResult:
    journey = JOURNEYS[scenario]
    stop = threading.Event()
    measuring = threading.Event()
    start_at: list[float] = []
    lock = threading.Lock()
    result = RunResult(seconds=duration)

    def client_loop(client: Client) -> None:
        while not stop.is_set():
            timings: Timing = []
            references: list[str] = []
            counted = measuring.is_set()
            try:
                journey(client, client.rng, timings, references)
                failed = None
            except (Failure, OSError, http.client.HTTPException) as error:
                failed = f"{type(error).__name__}: {error}"
                client.conn = None
            # Only journeys that started and ended inside the measured window count.
            if counted and not stop.is_set():
                with lock:
                    if failed:  # a failure is an error, never a fast success
                        result.errors.append(failed)
                    else:
                        result.timings.extend(timings)
                        result.references.extend(references)
                        result.journeys += 1

    threads = [threading.Thread(target=client_loop, args=(client,), daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    result.loadavg_before = Path("/proc/loadavg").read_text().split(" ")[0]
    server_pids = server.pids() if server else []
    cpu0 = (resource.getrusage(resource.RUSAGE_SELF), sum(map(_cpu_of, server_pids)))
    sampler = WaitSampler(database_url)
    sampler.start()
    start_at.append(time.monotonic())
    measuring.set()
    time.sleep(duration)
    stop.set()
    sampler.stop.set()
    elapsed = time.monotonic() - start_at[0]
    own = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = sum(map(_cpu_of, server_pids))
    result.loadavg_after = Path("/proc/loadavg").read_text().split(" ")[0]
    for thread in threads:
        thread.join(timeout=120)
    result.seconds = elapsed
    sampler.join(timeout=10)
    result.backends = sampler.summary()
    result.cpu = {"load generator": own.ru_utime + own.ru_stime - cpu0[0].ru_utime - cpu0[0].ru_stime,
                  "gunicorn": server_cpu - cpu0[1], "postgres backends": sampler.backend_cpu()}
    return result


def verify_stored(database_url: str, references: list[str]) -> str:
    """Every reference handed out is a stored complaint with a case and no spam hold."""
    import psycopg

    if not references:
        return "no references to check"
    with psycopg.connect(_dsn(database_url)) as conn:
        stored, with_case, held = conn.execute(
            "SELECT count(*), count(c.case_id), count(h.id) FROM cases_complaint c "
            "LEFT JOIN intake_spamhold h ON h.complaint_id = c.id WHERE c.reference = ANY(%s)", (references,)
        ).fetchone()
    unique = len(set(references))
    verdict = "OK" if stored == with_case == unique and held == 0 else "MISMATCH"
    return f"{verdict}: {unique} references handed out, {stored} stored, {with_case} with a case, {held} held as spam"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(result: RunResult) -> dict[str, dict[str, float]]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _, seconds in result.timings:
        by_kind[kind].append(seconds * 1000)
    table = {}
    for kind, values in by_kind.items():
        table[kind] = {"n": len(values), "per_s": len(values) / result.seconds, "p50": percentile(values, 50),
                       "p95": percentile(values, 95), "p99": percentile(values, 99), "max": max(values)}
    return table


def print_run(number: int, result: RunResult, table: dict[str, dict[str, float]], check: str) -> None:
    cpu = ", ".join(f"{k} {v:.2f} s" for k, v in result.cpu.items())
    print(f"run {number}: {result.journeys} journeys in {result.seconds:.1f} s, {len(result.errors)} errors, "
          f"load average {result.loadavg_before} -> {result.loadavg_after}; CPU: {cpu}")
    for kind, row in table.items():
        print(f"  {kind:32} n={row['n']:6d} {row['per_s']:7.1f}/s  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
              f"p99 {row['p99']:7.1f}  max {row['max']:7.1f} ms")
    states = ", ".join(f"{k} {v:.2f}" for k, v in list(result.backends.items())[:6])
    print(f"  PostgreSQL backends of this database, average number by state: {states or 'none busy'}")
    for error in result.errors[:5]:
        print(f"  error: {error}")
    if check:
        print(f"  stored: {check}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=sorted(JOURNEYS))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--clients", type=int, default=4, help="concurrent closed-loop clients (default 4)")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per run (default 30)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load before measuring (default 5)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2, one per core)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--username", default="caseworker-{n:04d}",
                        help="staff account for the queues; {n} is the client's number from 1 (default caseworker-{n:04d}, "
                             "the generated data's caseworkers)")
    parser.add_argument("--totp-keys", type=Path, default=REPO / "var" / "load-totp-keys.json",
                        help="where the authenticator keys of the benchmark's accounts are kept between runs")
    parser.add_argument("--password", default=os.environ.get("FAIRHEARING_LOAD_PASSWORD", "scale-data-password-7Qv"),
                        help="their password (default: the generated data's; or FAIRHEARING_LOAD_PASSWORD)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/fh_scale_1k")

    with tempfile.TemporaryDirectory(prefix="fh-load-") as tmp:
        server = server_start(database_url=args.database_url, workers=args.workers, threads=args.threads, work_dir=Path(tmp))
        print(f"gunicorn: {args.workers} workers x {args.threads} threads on 127.0.0.1:{server.port}; "
              f"{args.clients} clients, {args.warmup:g} s warm-up, {args.duration:g} s measured, {args.runs} runs; "
              f"database {urlsplit(args.database_url).path.lstrip('/')}")
        runs = []
        try:
            keys = TotpKeys(args.totp_keys, urlsplit(args.database_url).path.lstrip("/"))
            clients = clients_prepare(scenario=args.scenario, port=server.port, clients=args.clients, username=args.username,
                                      password=args.password, keys=keys, seed=args.seed)
            for number in range(1, args.runs + 1):
                result = run_once(scenario=args.scenario, clients=clients, duration=args.duration, warmup=args.warmup,
                                  server=server, database_url=args.database_url)
                table = summarise(result)
                check = verify_stored(args.database_url, result.references) if args.scenario in ("form", "api") else ""
                print_run(number, result, table, check)
                runs.append({"table": table, "errors": len(result.errors), "journeys": result.journeys,
                             "seconds": result.seconds, "cpu": result.cpu, "check": check,
                             "loadavg": [result.loadavg_before, result.loadavg_after], "backends": result.backends, "error_samples": result.errors[:20]})
        finally:
            server.stop()

    kinds = sorted({k for run in runs for k in run["table"]})
    print(f"median of {len(runs)} runs:")
    for kind in kinds:
        rows = [run["table"][kind] for run in runs if kind in run["table"]]
        med = {m: statistics.median(r[m] for r in rows) for m in ("per_s", "p50", "p95", "p99", "max")}
        print(f"  {kind:32} {med['per_s']:7.1f}/s  p50 {med['p50']:7.1f}  p95 {med['p95']:7.1f}  p99 {med['p99']:7.1f}  max {med['max']:7.1f} ms")
    print(f"  errors per run: {[run['errors'] for run in runs]}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items() if k != "password"}, "runs": runs}, indent=1))
    return 1 if any(run["errors"] for run in runs) or any(run["check"].startswith("MISMATCH") for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
