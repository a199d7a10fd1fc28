"""A worker killed in the middle of sending: the message is sent later, exactly once as far as the
recipient can tell.

A real ``fairhearing worker`` process sends the complainants' acknowledgements to an SMTP server
run by the test, which can hold its answer at one chosen moment. The worker is killed (SIGKILL)
while it waits there, either before the server accepted the message (the server is holding its
reply to the end of DATA) or after (the message was accepted; the server is holding its reply to
QUIT, so the worker has not yet recorded "sent"). Then, with the project's clock moved past the
claim timeout, the tick puts the message back and a new worker sends it.

"Once as far as the recipient can tell": every copy a recipient holds carries the message's one
stable Message-ID, which mail systems and clients use to treat copies as one message. A message
the server never accepted must arrive; one it accepted may arrive again, but only under the same
Message-ID. Runs against a SQLite file and against a PostgreSQL server of the test's own.
"""

from __future__ import annotations

import contextlib
import email
import json
import os
import select
import signal
import smtplib
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fairhearing.core.tests.faults import BIN, app_env, fairhearing, only_in_pass, scratch_postgres

pytestmark = pytest.mark.slow

DOMAIN = "example.org"  # DEFAULT_FROM_EMAIL's domain, used in every Message-ID


class SmtpSink:
    """A small SMTP server that keeps what it accepts and can hold one reply.

    ``hold("data")`` holds the next reply to the end of DATA: the message is not accepted yet.
    ``hold("quit")`` holds the next reply to QUIT: the message before it was accepted. A held
    connection that the client closes is dropped; a message whose DATA reply was never sent is
    not kept, as a mail server does when the connection is lost before it answered.
    """

    def __init__(self) -> None:
        self.accepted: list[tuple[list[str], email.message.Message]] = []
        self.dropped = 0
        self.holding = threading.Event()
        self._hold: str | None = None
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._serve(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hold(self, when: str) -> None:
        with self._lock:
            self._hold = when
            self.holding.clear()

    def _take_hold(self, when: str) -> bool:
        with self._lock:
            if self._hold == when:
                self._hold = None
                return True
            return False

    def _held_until_client_leaves(self, connection: socket.socket) -> None:
        self.holding.set()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            readable, _, _ = select.select([connection], [], [], 0.1)
            if readable and not connection.recv(1, socket.MSG_PEEK):
                return
        raise AssertionError("the held client never went away")

    def _serve(self, handler: socketserver.StreamRequestHandler) -> None:
        def reply(text: str) -> None:
            handler.wfile.write(text.encode() + b"\r\n")
            handler.wfile.flush()

        reply("220 sink ESMTP")
        recipients: list[str] = []
        while True:
            line = handler.rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb == b"EHLO":
                reply("250-sink\r\n250 8BITMIME")
            elif verb in (b"HELO", b"NOOP"):
                reply("250 OK")
            elif verb in (b"MAIL", b"RSET"):
                recipients = []
                reply("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>").split(">")[0])
                reply("250 OK")
            elif verb == b"DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = handler.rfile.readline()
                    if not data or data == b".\r\n":
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if not data:
                    return
                if self._take_hold("data"):
                    self._held_until_client_leaves(handler.connection)
                    with self._lock:
                        self.dropped += 1
                    return
                with self._lock:
                    self.accepted.append((list(recipients), email.message_from_bytes(b"".join(lines))))
                reply("250 OK: queued")
            elif verb == b"QUIT":
                if self._take_hold("quit"):
                    self._held_until_client_leaves(handler.connection)
                    return
                reply("221 Bye")
                return
            else:
                reply("502 Command not implemented")

    def copies_for(self, address: str) -> list[email.message.Message]:
        with self._lock:
            return [message for recipients, message in self.accepted if address in recipients]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# Run inside the project by ``python -c``: submit complaints, or run the tick at a chosen time.
SCRIPT = """
import json, sys, django
from datetime import timedelta
django.setup()
from fairhearing.core import clock
command, args = sys.argv[1], sys.argv[2:]
if command == "submit":
    from fairhearing.intake.services import ComplaintInput, complaint_submit
    for address in args:
        complaint_submit(data=ComplaintInput(category="bullying", respondent_name="Respondent " + address,
                         account="What happened at the meeting.", complainant_name="Complainant",
                         complainant_email=address), ip="192.0.2.1", fill_seconds=60.0)
elif command == "tick":
    from fairhearing.workflow.services import tick_run
    with clock.frozen(clock.now() + timedelta(minutes=float(args[0]))):
        print(json.dumps({"requeued": tick_run().requeued}))
"""


@dataclass
class MailSetup:
    env: dict[str, str]
    cwd: Path
    sink: SmtpSink

    def script(self, *args: str) -> Any:
        done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=self.env, cwd=self.cwd,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def status(self, *addresses: str) -> dict[str, dict[str, Any]]:
        """Each recipient's message as stored: status, attempts and the Message-ID it is sent under."""
        url = self.env["DATABASE_URL"]
        marks = ", ".join(["?" if url.startswith("sqlite") else "%s"] * len(addresses))
        sql = f"SELECT recipient_email, status, attempts, public_id FROM cases_notification WHERE recipient_email IN ({marks})"  # noqa: S608 - only placeholders
        if url.startswith("sqlite"):
            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                rows = db.execute(sql, addresses).fetchall()
        else:
            import psycopg

            with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
                rows = db.execute(sql, addresses).fetchall()
        return {address: {"status": status, "attempts": attempts, "message_id": f"<{uuid.UUID(str(public_id))}@{DOMAIN}>"}
                for address, status, attempts, public_id in rows}

    @contextlib.contextmanager
    def worker(self) -> Iterator[subprocess.Popen[bytes]]:
        log = open(self.cwd / "worker.log", "ab")  # noqa: SIM115 - closed below
        process = subprocess.Popen([str(BIN / "fairhearing"), "worker", "--interval", "0.2"], env=self.env, cwd=self.cwd,
                                   start_new_session=True, stdout=log, stderr=log)
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            log.close()

    def run_worker_until_idle(self) -> None:
        done = fairhearing(self.env, "worker", "--batch", cwd=self.cwd, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    only_in_pass(request.param)
    tmp = tmp_path_factory.mktemp(f"mail-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'db.sqlite3'}"
        migrated = fairhearing(app_env(tmp, url), "migrate", "--noinput", "-v", "0", cwd=tmp)
        assert migrated.returncode == 0, migrated.stderr
        yield url, tmp
        return
    with scratch_postgres() as server:
        url = server.create_database("fairhearing")
        migrated = fairhearing(app_env(tmp, url), "migrate", "--noinput", "-v", "0", cwd=tmp)
        assert migrated.returncode == 0, migrated.stderr
        yield url, tmp


@pytest.fixture
def mail(database_url: tuple[str, Path]) -> Iterator[MailSetup]:
    url, tmp = database_url
    sink = SmtpSink()
    env = app_env(tmp, url, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", DEFAULT_FROM_EMAIL=f"complaints@{DOMAIN}")
    try:
        yield MailSetup(env=env, cwd=tmp, sink=sink)
    finally:
        sink.close()


def _addresses(label: str, count: int) -> list[str]:
    stamp = f"{time.time_ns():x}"
    return [f"{label}-{n}-{stamp}@{DOMAIN}" for n in range(count)]


def _kill_while_held(mail: MailSetup) -> None:
    with mail.worker() as worker:
        if not mail.sink.holding.wait(timeout=120):
            raise AssertionError(f"the worker never reached the held reply; log: {(mail.cwd / 'worker.log').read_text()[-3000:]}")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL


def _tick(mail: MailSetup, minutes: float) -> int:
    return int(mail.script("tick", str(minutes))["requeued"])


def _assert_each_once_by_message_id(mail: MailSetup, addresses: list[str]) -> dict[str, int]:
    """Every recipient holds copies of exactly one message, all under that message's Message-ID."""
    states = mail.status(*addresses)
    copies = {}
    for address in addresses:
        received = mail.sink.copies_for(address)
        assert received, f"{address} never received its message"
        ids = {message["Message-ID"] for message in received}
        assert ids == {states[address]["message_id"]}, f"{address} received {len(received)} copies under {ids}"
        assert len({message["Subject"] for message in received}) == 1
        assert states[address]["status"] == "sent", states[address]
        copies[address] = len(received)
    return copies


def test_a_worker_killed_before_the_server_accepted_a_message_sends_it_later_exactly_once(mail: MailSetup) -> None:
    held, *behind = addresses = _addresses("before", 3)
    mail.sink.hold("data")
    mail.script("submit", *addresses)
    _kill_while_held(mail)

    deadline = time.monotonic() + 30
    while mail.sink.dropped < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mail.sink.dropped == 1 and mail.sink.copies_for(held) == [], "the server kept a message it never accepted"
    states = mail.status(*addresses)
    assert states[held]["status"] == "sending", "the killed worker's claim should still stand"
    assert all(states[a]["status"] == "queued" for a in behind), "messages behind the killed one should wait, untouched"

    # A claim younger than the timeout may belong to a worker that is only slow: left alone.
    _tick(mail, minutes=0)
    assert mail.status(held)[held]["status"] == "sending"

    assert _tick(mail, minutes=11) >= 1
    assert mail.status(held)[held]["status"] == "queued"
    mail.run_worker_until_idle()

    copies = _assert_each_once_by_message_id(mail, addresses)
    assert copies == dict.fromkeys(addresses, 1), "a message the server never accepted is delivered once; the rest once each"
    assert mail.status(held)[held]["attempts"] == 2


def test_a_worker_killed_after_the_server_accepted_a_message_resends_it_under_the_same_message_id(mail: MailSetup) -> None:
    (address,) = _addresses("after", 1)
    mail.sink.hold("quit")
    mail.script("submit", address)
    _kill_while_held(mail)

    first = mail.sink.copies_for(address)
    assert len(first) == 1, "the server should hold the accepted message"
    state = mail.status(address)[address]
    assert state["status"] == "sending", "the worker died before recording the message as sent"
    assert first[0]["Message-ID"] == state["message_id"]

    assert _tick(mail, minutes=11) >= 1
    mail.run_worker_until_idle()

    copies = _assert_each_once_by_message_id(mail, [address])
    # The worker cannot know the server accepted it, so it sends again; the second copy carries the
    # same Message-ID, so the recipient's mail system shows one message.
    assert copies[address] == 2

    # And it is not sent a third time: another tick past the timeout finds nothing to put back.
    _tick(mail, minutes=30)
    mail.run_worker_until_idle()
    assert len(mail.sink.copies_for(address)) == 2


class _StalledThenFailed:
    """A mail connection on which the first send stalls past the claim timeout, during which the
    tick puts the message back and another worker sends it, and then fails (say, the server
    dropped the connection at the end). Later sends go through."""

    sent: list[Any] = []
    stall: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        if _StalledThenFailed.stall is not None:
            stall, _StalledThenFailed.stall = _StalledThenFailed.stall, None
            stall()
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        _StalledThenFailed.sent.extend(messages)
        return len(messages)


@pytest.mark.django_db
def test_a_worker_that_fails_after_its_claim_was_taken_over_does_not_undo_the_other_workers_send(settings):
    """Worker A stalls past the claim timeout; the tick puts the message back; worker B sends it
    and records it as sent; then A's send fails. A must not mark the message queued (to be sent
    again) or failed: it no longer holds the claim."""
    from datetime import timedelta

    from fairhearing.cases.models import Notification
    from fairhearing.cases.tasks import requeue_stale, send_notification
    from fairhearing.core import clock
    from fairhearing.intake.tests.helpers import submit

    settings.EMAIL_BACKEND = f"{__name__}._StalledThenFailed"
    _StalledThenFailed.sent = []
    submit(complainant_email="sam@example.org")
    notification = Notification.objects.get(recipient_email="sam@example.org")
    later = clock.now() + timedelta(minutes=11)

    def meanwhile() -> None:
        with clock.frozen(later):
            assert requeue_stale() == [notification.pk]
            assert send_notification.call(notification.pk) == "sent"  # worker B

    _StalledThenFailed.stall = meanwhile
    assert send_notification.call(notification.pk) == "failed"  # worker A, whose claim was taken over

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT, "worker A undid worker B's record of the send"
    assert len(_StalledThenFailed.sent) == 1
    with clock.frozen(later + timedelta(minutes=30)):
        assert requeue_stale() == []
