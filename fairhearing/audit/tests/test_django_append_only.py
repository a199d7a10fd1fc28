"""The database itself refuses edits to audit rows: SQLite triggers (the test database, built by
the migrations) and PostgreSQL triggers (the statements migration 0002 installs, run in a
scratch database when a server is reachable on 127.0.0.1:5432)."""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from fairhearing.audit import triggers
from fairhearing.audit.models import AuditEvent
from fairhearing.audit.services import audit_record
from fairhearing.core.actors import system_actor


@pytest.fixture
def event(db):  # type: ignore[no-untyped-def]
    return audit_record(actor=system_actor("test"), action="audit.log_viewed", subject="audit:log", payload={"n": 1})


def refused(sql: str, params: list | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_sqlite_refuses_to_update_an_audit_event(event):
    assert refused("UPDATE audit_auditevent SET payload = '{}' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).payload == event.payload


def test_sqlite_refuses_to_delete_an_audit_event(event):
    assert refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_orm_cannot_edit_or_delete_an_event_either(event):
    event.payload = "{}"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


def test_appending_still_works_with_the_triggers_in_place(event):
    second = audit_record(actor=system_actor("test"), action="audit.log_viewed", subject="audit:log", payload={"n": 2})
    assert second.seq == event.seq + 1 and second.prev_hash == event.hash


# --- PostgreSQL ---------------------------------------------------------------------------------

PG_DSN = os.environ.get("FAIRHEARING_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres")


@pytest.fixture
def pg():  # type: ignore[no-untyped-def]
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_DSN + " dbname=postgres", autocommit=True, connect_timeout=2)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    name = f"fh_trigger_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    conn = psycopg.connect(PG_DSN + f" dbname={name}", autocommit=True)
    try:
        conn.execute("CREATE TABLE audit_auditevent (id bigserial PRIMARY KEY, seq bigint UNIQUE, payload text)")
        for statement in triggers.INSTALL["postgresql"]:
            conn.execute(statement)
        conn.execute("INSERT INTO audit_auditevent (seq, payload) VALUES (1, '{}'), (2, '{}')")
        yield conn
    finally:
        conn.close()
        admin.execute(f'DROP DATABASE "{name}"')
        admin.close()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET payload = '{\"x\":1}' WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 2",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
])
def test_postgresql_refuses_every_edit_of_audit_rows(pg, sql):
    psycopg = pytest.importorskip("psycopg")
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        pg.execute(sql)
    assert pg.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == 2


def test_postgresql_still_accepts_appends(pg):
    pg.execute("INSERT INTO audit_auditevent (seq, payload) VALUES (3, '{}')")
    assert pg.execute("SELECT max(seq) FROM audit_auditevent").fetchone()[0] == 3
