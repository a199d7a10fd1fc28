"""A backup restored into an empty database verifies (``fairhearing audit verify``) and serves.

A database is filled with the demonstration data (every case made through the services, so with
its audit trail), a signed checkpoint is written and the overseer's copy exported. It is backed up
and restored into a new, empty database with the commands of docs/deployment.md (PostgreSQL:
``pg_dump --format=custom``, ``pg_restore --no-owner``; SQLite: the online backup API, which is
what ``sqlite3 DB ".backup FILE"`` uses). The restored database must pass ``audit verify`` against
the overseer's copy, and a real server on it must show the public statistics, let a caseworker
sign in and open a case, take a new complaint, and still verify afterwards.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import subprocess
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fairhearing.core.tests.faults import (
    app_env,
    app_server,
    fairhearing,
    only_in_pass,
    opener,
    postgres_bin,
    require,
    shared_postgres_url,
    submit_complaint,
)

pytestmark = pytest.mark.slow

DEMO_PASSWORD = "demo-password-2026"  # the demonstration data's sign-in, printed by `fairhearing demo-data`


def _ok(done: subprocess.CompletedProcess[str], what: str) -> str:
    assert done.returncode == 0, f"{what} failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def _fill(env: dict[str, str], cwd: Path) -> None:
    _ok(fairhearing(env, "migrate", "--noinput", "-v", "0", cwd=cwd), "migrate")
    _ok(fairhearing(env, "demo-data", cwd=cwd, timeout=900), "demo-data")
    _ok(fairhearing(env, "audit", "keygen", cwd=cwd), "audit keygen")
    _ok(fairhearing(env, "audit", "checkpoint", cwd=cwd), "audit checkpoint")
    _ok(fairhearing(env, "audit", "export-checkpoints", "-o", str(cwd / "overseer-copy.json"), cwd=cwd), "export-checkpoints")


def _tool(name: str) -> str:
    """A PostgreSQL client program matching the newest installed server, or the one on PATH."""
    bindir = postgres_bin()
    if bindir is not None and (bindir / name).exists():
        return str(bindir / name)
    found = shutil.which(name)
    require(found is not None, f"{name} is not installed")
    return str(found)


@contextlib.contextmanager
def _postgres_pair() -> Iterator[tuple[str, str]]:
    """Two new databases on the machine's PostgreSQL: one to fill, one left empty; both dropped after."""
    import psycopg

    admin = shared_postgres_url()
    require(admin is not None, "no PostgreSQL server answers on 127.0.0.1:5432 (set FAIRHEARING_FAULTS_POSTGRES to another)")
    assert admin is not None
    tag = uuid.uuid4().hex[:10]
    names = [f"fh_faults_backup_{tag}", f"fh_faults_restored_{tag}"]
    parts = urllib.parse.urlsplit(admin)
    urls = [urllib.parse.urlunsplit(parts._replace(path=f"/{name}")) for name in names]
    admin_dsn = admin.replace("postgres://", "postgresql://", 1)
    try:
        with psycopg.connect(admin_dsn, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{names[0]}"')
        yield urls[0], urls[1]
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as db:
            for name in names:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _serves(env: dict[str, str], cwd: Path) -> str:
    """Statistics page, a caseworker's sign-in and a case, a new complaint; returns its reference."""
    with app_server(env, cwd) as base:
        client = opener()
        statistics = client.open(f"{base}/statistics/", timeout=60)
        assert statistics.status == 200 and "complaints" in statistics.read().decode().lower()

        login = client.open(f"{base}/accounts/login/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert token, login[:1000]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": "caseworker", "password": DEMO_PASSWORD})
        signed_in = client.open(urllib.request.Request(f"{base}/accounts/login/", data=form.encode(),
                                                       headers={"Referer": f"{base}/accounts/login/"}), timeout=60)
        queues = signed_in.read().decode()
        assert signed_in.geturl().rstrip("/").endswith("/cases"), f"sign-in did not reach the case queues: {signed_in.geturl()}"
        link = re.search(r'href="(/cases/[0-9a-f-]{36}/)">([A-Z0-9-]+)<', queues)
        assert link, "the caseworker's queue lists no case"
        case = client.open(f"{base}{link.group(1)}", timeout=60)
        assert case.status == 200 and link.group(2) in case.read().decode()

        answer = submit_complaint(base, 1, timeout=60)
        assert answer.reference, f"a new complaint was refused by the restored database: {answer.status} {answer.body[:1000]}"
        return answer.reference


def _verifies(env: dict[str, str], cwd: Path) -> None:
    output = _ok(fairhearing(env, "audit", "verify", "--against", str(cwd / "overseer-copy.json"), cwd=cwd), "audit verify")
    assert output.startswith("OK"), output


def test_a_postgresql_dump_restored_into_an_empty_database_verifies_and_serves(tmp_path: Path) -> None:
    only_in_pass("postgresql")
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    with _postgres_pair() as (source, restored):
        env = app_env(tmp_path, source)
        _fill(env, tmp_path)
        dump = tmp_path / "fairhearing.dump"
        _ok(subprocess.run([pg_dump, "--format=custom", f"--file={dump}", source.replace("postgres://", "postgresql://", 1)],
                           capture_output=True, text=True, timeout=600), "pg_dump")
        # `createdb`, as in docs/deployment.md: a new, empty database.
        name = urllib.parse.urlsplit(restored)
        _ok(subprocess.run([_tool("createdb"), "-h", name.hostname or "127.0.0.1", "-p", str(name.port or 5432),
                            "-U", name.username or "postgres", name.path.lstrip("/")], capture_output=True, text=True, timeout=120), "createdb")
        _ok(subprocess.run([pg_restore, "--no-owner", "--exit-on-error", f"--dbname={restored.replace('postgres://', 'postgresql://', 1)}", str(dump)],
                           capture_output=True, text=True, timeout=600), "pg_restore")

        env = app_env(tmp_path, restored)
        assert "No migrations to apply" in _ok(fairhearing(env, "migrate", "--noinput", cwd=tmp_path), "migrate")
        _verifies(env, tmp_path)
        reference = _serves(env, tmp_path)
        _verifies(env, tmp_path)

        import psycopg

        with psycopg.connect(restored.replace("postgres://", "postgresql://", 1)) as db:
            assert db.execute("SELECT count(*) FROM cases_complaint WHERE reference = %s", (reference,)).fetchone() == (1,)
        with psycopg.connect(source.replace("postgres://", "postgresql://", 1)) as db:
            assert db.execute("SELECT count(*) FROM cases_complaint WHERE reference = %s", (reference,)).fetchone() == (0,)


def test_a_sqlite_backup_restored_into_an_empty_file_verifies_and_serves(tmp_path: Path) -> None:
    only_in_pass("sqlite")
    source, restored = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"
    env = app_env(tmp_path, f"sqlite:///{source}")
    _fill(env, tmp_path)
    with contextlib.closing(sqlite3.connect(source)) as live, contextlib.closing(sqlite3.connect(restored)) as copy:
        live.backup(copy)

    env = app_env(tmp_path, f"sqlite:///{restored}")
    _verifies(env, tmp_path)
    reference = _serves(env, tmp_path)
    _verifies(env, tmp_path)
    with contextlib.closing(sqlite3.connect(restored)) as db:
        assert db.execute("SELECT count(*) FROM cases_complaint WHERE reference = ?", (reference,)).fetchone() == (1,)
