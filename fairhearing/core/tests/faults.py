"""Helpers for the fault tests: a throwaway PostgreSQL server, a real application server, and a
complainant who submits through HTTP.

A fault test needs real services (a PostgreSQL server it may stop, a file system it may fill).
When one is missing it is skipped with the reason, except in CI, which sets
``FAIRHEARING_REQUIRE_SERVICES=1`` so that a missing service fails the run instead.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
SECRET = "fault-test-key-0123456789-0123456789-0123456789-0123456789"


def require(condition: object, reason: str) -> None:
    """Skip when a prerequisite is missing; fail instead when CI demands every service."""
    if condition:
        return
    if os.environ.get("FAIRHEARING_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (FAIRHEARING_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def suite_database() -> str:
    """"sqlite" or "postgresql": the database the suite itself runs on in this pass."""
    from django.conf import settings

    return "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"


def only_in_pass(database: str) -> None:
    """Run a fault test that brings its own database once, in the suite's pass on that database
    (CI runs the whole suite on SQLite, then on PostgreSQL), not in both."""
    if suite_database() != database:
        pytest.skip(f"runs in the suite's {database} pass (DATABASE_URL={'postgres://…' if database == 'postgresql' else 'unset'})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_bin() -> Path | None:
    """The directory of the newest installed PostgreSQL server binaries."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class ScratchPostgres:
    """A PostgreSQL server of its own, in a temporary directory, on a free port."""

    bindir: Path
    root: Path
    port: int
    user: str | None  # run the binaries as this user (needed when the tests run as root)
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.root / "server.log"

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        # fsync=off is safe for what these tests do (they kill processes, not the machine) and
        # spares the shared disk; synchronous_commit stays on, so a commit is in the WAL.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def scratch_postgres() -> Iterator[ScratchPostgres]:
    bindir = postgres_bin()
    require(bindir is not None and (bindir / "pg_ctl").exists(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    assert bindir is not None
    user: str | None = None
    if os.geteuid() == 0:
        # initdb refuses to run as root; the server's files belong to the postgres account.
        require(shutil.which("runuser") is not None, "running as root needs runuser to start PostgreSQL as another user")
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            require(False, "running as root needs a 'postgres' account to start a scratch PostgreSQL server")
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="fh-faults-pg-"))
    if user:
        shutil.chown(root, user=user)
    server = ScratchPostgres(bindir=bindir, root=root, port=free_port(), user=user)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def shared_postgres_url() -> str | None:
    """The machine's PostgreSQL (CI's service) as a URL, when it answers."""
    import psycopg

    url = os.environ.get("FAIRHEARING_FAULTS_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return url
    except psycopg.Error:
        return None


def app_env(tmp: Path, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a real ``fairhearing`` process: production settings, submission limits off."""
    settings_file = tmp / "fault_settings.py"
    if not settings_file.exists():
        settings_file.write_text(
            "from fairhearing.settings import *  # noqa\n"
            "FAIRHEARING_INTAKE_MIN_FILL_SECONDS = 0\n"
            "FAIRHEARING_INTAKE_SUBMISSIONS_PER_HOUR = 1000000\n"
        )
    env = {**os.environ, "PYTHONPATH": f"{tmp}{os.pathsep}{REPO}", "DJANGO_SETTINGS_MODULE": "fault_settings",
           "SECRET_KEY": SECRET, "FAIRHEARING_VAR_DIR": str(tmp), "DATABASE_URL": database_url,
           "FAIRHEARING_TASK_BACKEND": "database", "EMAIL_URL": "console:", "DEBUG": "false",
           "FAIRHEARING_SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1",
           # These tests sign in with a password and are about faults; two-factor sign-in is tested in accounts.
           "FAIRHEARING_REQUIRE_TWO_FACTOR": "false", **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def fairhearing(env: dict[str, str], *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a ``fairhearing`` command; the result carries its exit status and output."""
    return subprocess.run([str(BIN / "fairhearing"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@contextlib.contextmanager
def app_server(env: dict[str, str], cwd: Path, *, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """gunicorn serving the project on a free port; yields its base URL."""
    require((BIN / "gunicorn").exists(), "gunicorn is not installed in this environment")
    port = free_port()
    log = open(cwd / "gunicorn.log", "ab")  # noqa: SIM115 - closed below, after the server
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "fairhearing.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "5"],
        env=env, cwd=cwd, start_new_session=True, stdout=log, stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise AssertionError(f"the application server exited: {(cwd / 'gunicorn.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            raise AssertionError("the application server did not start")
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Answer:
    """What a complainant saw: a reference from the receipt page, or the status and page text."""

    reference: str | None
    status: int | None
    body: str


def opener(jar: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar or http.cookiejar.CookieJar()))


def submit_complaint(base: str, number: int, client: urllib.request.OpenerDirector | None = None, timeout: float = 30) -> Answer:
    """One complainant: load the form, send it with a PDF, read the reference off the receipt."""
    client = client or opener()
    try:
        form = client.open(f"{base}/complain/", timeout=timeout).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        started = re.search(r'name="started" value="([^"]+)"', form)
        if not token or not started:
            return Answer(None, 200, form)
        body, content_type = multipart({
            "csrfmiddlewaretoken": token.group(1), "started": started.group(1),
            "complainant_name": f"Complainant {number}", "respondent_name": f"Respondent {number}",
            "account": f"Account number {number} of what happened at the meeting.", "category": "bullying", "consent": "on",
        }, f"evidence-{number}.pdf", PDF + f"% {number}\n".encode())
        request = urllib.request.Request(f"{base}/complain/", data=body,
                                         headers={"Content-Type": content_type, "Referer": f"{base}/complain/"})
        response = client.open(request, timeout=timeout)
        text = response.read().decode()
    except urllib.error.HTTPError as error:
        return Answer(None, error.code, error.read().decode(errors="replace"))
    except (urllib.error.URLError, OSError) as error:
        return Answer(None, None, f"{type(error).__name__}: {error}")
    found = re.search(r'id="reference">([A-Z0-9-]+)<', text)
    return Answer(found.group(1) if found else None, response.status, text)
