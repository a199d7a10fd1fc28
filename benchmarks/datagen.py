"""Fill a scratch database with an organisation at scale: members, staff, complaints, cases at
every stage of the default process, and a valid, signed audit log of what happened to them.

Command line (creates the database when it does not exist, migrates it, fills it)::

    .venv/bin/python benchmarks/datagen.py \\
        --database-url postgres://postgres@127.0.0.1:5432/fh_scale_1m \\
        --cases 1000000 --members 500000 --events 10000000 --seed 1

    .venv/bin/python benchmarks/datagen.py --database-url sqlite:///var/fh_scale_100k.sqlite3 --cases 100000

Options: ``--members`` (default half the cases), ``--events`` (default ten per case; the life of
each case comes first and page views fill the rest, so a very low figure is exceeded and said so),
``--seed`` (default 1: same seed, same data), ``--as-of YYYY-MM-DD`` (the day the data treats as
today; default today), ``--replace`` (drop and recreate the PostgreSQL database, or delete the
SQLite file, first; without it a database that already holds cases is refused), ``--key PATH``
(the audit signing key; default the ``FAIRHEARING_AUDIT_KEY`` setting, created when missing, so
``DATABASE_URL=... fairhearing audit verify`` passes with the default settings). The database
named ``test`` is always refused. A summary (counts and timings) is printed as JSON on stdout.

From Python::

    datagen = importlib.util.module_from_spec(...)  # benchmarks/ is not a package
    summary = datagen.build(database_url=URL, cases=1000, members=500, events=10_000, seed=1)
    summary = datagen.generate(using="default", cases=100, members=50, events=1000, seed=1)

``build`` does what the command does (and needs Django set up, or sets it up itself with
``fairhearing.settings``); ``generate`` fills an already migrated Django database alias and
returns a ``Summary``. Both add to what is there: ids continue after the largest present, and
the audit chain continues from the current head.

What is made, per case (realistic proportions, see ``_walk``): one complaint (4 % have a second,
linked one), a complainant and a respondent party (60 % of respondents are members), one
allegation, a stage record per stage visited with its deadline and whether it was met, a
caseworker assignment once past the intake pool, a panel of three from the decision stage on, a
reviewer in review; open cases are overdue, paused (with their open pause) or fast-tracked in
realistic shares; closed cases carry their outcome; a few interim suspensions and external
contacts. The audit log holds the events the services would have written (submission or
recording, opening, assignment, every transition with its outcome, pauses, deadline breaches,
page views), in time order, hash-chained, with a signed checkpoint every tenth of the log.

Staff accounts: ``caseworker-0001``..., ``panel-0001``..., ``reviewer-0001``..., ``overseer-0001``,
all with the password in ``STAFF_PASSWORD``.

PostgreSQL rows are loaded with COPY inside one transaction (nothing is left half-filled on an
error); SQLite rows with batched INSERTs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
import uuid
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAFF_PASSWORD = "scale-data-password-7Qv"
CHECKPOINTS = 10
REFUSED_NAMES = {"test", "postgres", "template0", "template1"}

CATEGORIES = (("antisemitism", 30), ("other_racism", 14), ("other_discrimination", 10),
              ("sexual_harassment", 9), ("bullying", 22), ("other", 15))
CATEGORY_LABELS = {"antisemitism": "Antisemitism", "other_racism": "Other racism",
                   "other_discrimination": "Other discrimination", "sexual_harassment": "Sexual harassment",
                   "bullying": "Bullying or intimidation", "other": "Other"}
CHANNELS = (("web", 68), ("api", 6), ("email", 12), ("post", 3), ("phone", 8), ("in_person", 3))
PUBLIC_CHANNELS = {"web", "api"}
CLAUSES = {"antisemitism": ("AS", "AS-1", "AS-2", "AS-3", "AS-5", "AS-7"), "other_racism": ("ZT",),
           "other_discrimination": ("ZT",), "sexual_harassment": ("ZT",), "bullying": ("ZT",), "other": ("ZT",)}
FIRST = ("Aisha", "Ben", "Chloe", "David", "Esther", "Farid", "Grace", "Hannah", "Ibrahim", "Jack", "Kate",
         "Liam", "Maya", "Noah", "Olivia", "Priya", "Rachel", "Samuel", "Tom", "Uma", "Victor", "Wendy",
         "Yusuf", "Zoe", "Adam", "Bethan", "Ciaran", "Deborah", "Eli", "Fiona", "Gareth", "Helen", "Isaac",
         "Joanne", "Kwame", "Leah", "Miriam", "Nathan", "Owen", "Patrick", "Rhys", "Sarah", "Tariq", "Ursula")
LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Khan", "Cohen", "Levy", "Murphy", "Kelly", "Hughes", "Edwards", "Ali", "Hussain", "Singh",
        "Lewis", "Harris", "Martin", "Cooper", "King", "Baker", "Hill", "Morris", "Ward", "Okafor", "Mensah")
BRANCHES = tuple(f"{town} branch" for town in ("Leeds", "Bristol", "Camden", "Hackney", "Salford", "Cardiff",
                                               "Norwich", "York", "Brighton", "Glasgow", "Derby", "Exeter"))
SENTENCES = (
    "At the branch meeting the respondent said that members like me should go back where we came from.",
    "The respondent posted a message in the members' group that repeated an old conspiracy theory.",
    "After I raised a point of order I was shouted down and called names in front of everyone.",
    "The respondent has sent me repeated private messages after I asked them to stop.",
    "A post shared by the respondent compared a group of members to vermin.",
    "During the online meeting the respondent mocked my accent and my religion.",
    "The respondent told new members that people of my background cannot be trusted with money.",
    "I was excluded from the committee after refusing to laugh at a joke about my faith.",
    "The respondent said the incident everyone saw was invented by people like me for sympathy.",
    "Screenshots of the messages are attached; several members saw them before they were deleted.",
    "This has happened more than once and other members have told me they are afraid to speak.",
    "I reported it to the branch secretary at the time but nothing was done.",
)


@dataclass
class Summary:
    vendor: str
    cases: int = 0
    open_cases: int = 0
    overdue: int = 0
    paused: int = 0
    fast_tracked: int = 0
    closed: int = 0
    complaints: int = 0
    members: int = 0
    parties: int = 0
    stage_records: int = 0
    assignments: int = 0
    events: int = 0
    checkpoints: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- writing rows ------------------------------------------------------------------------------

_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Writer:
    """Rows into one table: COPY text on PostgreSQL, batched INSERTs on SQLite.

    Values: None, bool, int, str, date, aware datetime, UUID, converted per vendor the way
    Django stores them (SQLite keeps UUIDs as 32 hex digits and datetimes as naive UTC text).
    """

    def __init__(self, connection: Any, table: str, columns: Sequence[str], batch: int = 20_000) -> None:
        self.connection, self.table, self.columns, self.batch = connection, table, list(columns), batch
        self.pg = connection.vendor == "postgresql"
        self.rows: list[Any] = []
        self.count = 0

    def _pg(self, value: Any) -> str:
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, str):
            return value.translate(_COPY_ESCAPE)
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    def _sqlite(self, value: Any) -> Any:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def add(self, row: Sequence[Any]) -> None:
        if self.pg:
            self.rows.append("\t".join(map(self._pg, row)))
        else:
            self.rows.append(tuple(map(self._sqlite, row)))
        if len(self.rows) >= self.batch:
            self.flush()

    def add_line(self, line: str) -> None:
        """A row already in COPY text form (PostgreSQL only; the fast path for audit events)."""
        self.rows.append(line)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        names = ", ".join(f'"{c}"' for c in self.columns)
        raw = self.connection.connection
        if self.pg:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                copy.write("\n".join(self.rows) + "\n")
        else:
            marks = ", ".join("?" for _ in self.columns)
            raw.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', self.rows)
        self.count += len(self.rows)
        self.rows = []


BULK_TABLES = ("cases_member", "cases_case", "cases_complaint", "cases_party", "cases_allegation", "cases_stagerecord",
               "cases_assignment", "cases_pause", "registry_sanctionentry", "audit_externalcontact", "audit_auditevent",
               "audit_checkpoint")


class DeferredIndexes:
    """Load first, index after, as a restore does: on PostgreSQL, drop the secondary indexes,
    unique constraints and foreign keys of the bulk tables, and put back exactly the same
    definitions once the rows are in (one sorted build per index instead of millions of
    random inserts, one join per foreign key instead of a deferred check per row). Primary
    keys and the audit triggers stay. Everything runs in the caller's transaction, and the
    schema afterwards is compared with the schema before."""

    def __init__(self, connection: Any, tables: Sequence[str] = BULK_TABLES) -> None:
        self.connection, self.tables = connection, list(tables)
        self.before: list[tuple[str, str, str, str]] = []

    def _snapshot(self) -> list[tuple[str, str, str, str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                """SELECT c.conrelid::regclass::text, c.conname, c.contype::text, pg_get_constraintdef(c.oid)
                     FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
                   UNION ALL
                   SELECT i.tablename, i.indexname, 'i', i.indexdef FROM pg_indexes i
                    WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (
                          SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.contype IN ('p', 'u'))
                   ORDER BY 1, 3, 2""", [self.tables, self.tables])
            return [tuple(row) for row in cursor.fetchall()]

    def __enter__(self) -> DeferredIndexes:
        self.before = self._snapshot()
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for kind in ("f", "u", "i"):
                for table, name, found, _ in self.before:
                    if found == kind:
                        cursor.execute(f'DROP INDEX "{name}"' if kind == "i" else f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None:
            return  # the transaction rolls back and takes the drops with it
        with self.connection.cursor() as cursor:
            for wanted in ("i", "u", "f"):
                for table, name, found, definition in self.before:
                    if found == wanted:
                        cursor.execute(definition if wanted == "i" else f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        before, after = _shape(self.before), _shape(self._snapshot())
        if after != before:
            raise RuntimeError(f"the schema changed while loading: lost {before - after}, gained {after - before}")


def _shape(snapshot: Iterable[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
    """A snapshot with casts and brackets taken out: PostgreSQL deparses a re-created partial
    index's ``IN (...)`` with casts placed differently, which means the same."""
    return {(table, name, kind, re.sub(r"::[a-z ]+(\[\])?|[()\s]", "", definition)) for table, name, kind, definition in snapshot}


def _next_id(connection: Any, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        return int(cursor.fetchone()[0]) + 1


def _reset_sequences(connection: Any, tables: Iterable[str]) -> None:
    """Explicit ids were loaded: move each id sequence past them so the app's next insert fits."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows MAX(rowid) by itself
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))')


# --- the life of one case ----------------------------------------------------------------------


@dataclass
class Stay:
    stage: str
    entered: date
    left: date | None
    due: date | None
    transition: str = ""   # the transition that led into this stage ("" for the first)
    outcome: str = ""
    from_stage: str = ""


class Clock:
    """Working days with memoised lookups (a million cases ask the same few thousand questions)."""

    def __init__(self, calendar: Any) -> None:
        self.calendar = calendar
        self._add: dict[tuple[date, int], date] = {}
        self._between: dict[tuple[date, date], int] = {}

    def add(self, start: date, days: int) -> date:
        key = (start, days)
        found = self._add.get(key)
        if found is None:
            found = self._add[key] = self.calendar.add_working_days(start, days)
        return found

    def between(self, start: date, end: date) -> int:
        key = (start, end)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = self.calendar.working_days_between(start, end)
        return found


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _plan(rng: random.Random, category: str, review_categories: set[str]) -> list[tuple[str, str]]:
    """The transitions (key, outcome) this case will take if it lives long enough."""
    plan = [("acknowledge", "")]
    if rng.random() < 0.42:
        return [*plan, ("close_at_triage", "no_further_action" if rng.random() < 0.65 else "out_of_scope")]
    plan.append(("investigate", ""))
    if rng.random() < 0.25:
        return [*plan, ("close_no_case", "")]
    plan.append(("refer_to_panel", ""))
    if rng.random() < 0.06:
        plan.append(("refer_to_hearing", ""))
        plan.append(("record_hearing_outcome", _pick(rng, (("expulsion", 40), ("suspension", 30), ("formal_warning", 15),
                                                            ("reminder_of_conduct", 10), ("no_case_to_answer", 5)))))
    else:
        outcome = _pick(rng, (("no_case_to_answer", 30), ("reminder_of_conduct", 25), ("formal_warning", 30), ("suspension", 15)))
        if category in review_categories:
            plan.append(("send_for_review", outcome))
            if rng.random() < 0.04:
                plan += [("veto", ""), ("send_for_review", outcome)]
            plan.append(("verify", ""))
        else:
            plan.append(("determine", outcome))
    plan.append(("issue_decision", ""))
    if rng.random() < 0.15:
        return [*plan, ("lodge_appeal", ""), ("decide_appeal", _pick(rng, (("dismissed", 70), ("allowed", 15), ("sanction_substituted", 15))))]
    return [*plan, ("close_after_window", "")]


# --- the generator -----------------------------------------------------------------------------

# Event kinds, kept as small ints until the log is written in time order.
K_SUBMITTED, K_RECORDED, K_OPENED, K_LINKED, K_ASSIGNED, K_MOVED, K_PAUSED, K_BREACHED, K_VIEWED, K_PANEL = range(10)
DAY_US = 86_400_000_000


def _us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _at(day: date, rng: random.Random, start_hour: int = 8, hours: int = 10) -> datetime:
    seconds = start_hour * 3600 + rng.randrange(hours * 3600)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=rng.randrange(1_000_000))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class References:
    """Random references in the app's format (``FH-K7QX-M3TA``), drawn from the seed, never repeated."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        from fairhearing.core.identifiers import REFERENCE_ALPHABET

        self.rng, self.seen, self.alphabet = rng, set(taken), REFERENCE_ALPHABET

    def draw(self, prefix: str) -> str:
        while True:
            body = "".join(self.rng.choices(self.alphabet, k=8))
            ref = f"{prefix}-{body[:4]}-{body[4:]}"
            if ref not in self.seen:
                self.seen.add(ref)
                return ref


def generate(*, using: str = "default", cases: int, members: int | None = None, events: int | None = None,
             seed: int = 1, as_of: date | None = None, key_path: Path | None = None, log: Any = None) -> Summary:
    """Fill the migrated database ``using`` (a Django alias). Returns what was made, with timings."""
    from django.db import connections, transaction

    connection = connections[using]
    members = cases // 2 if members is None else members
    events = cases * 10 if events is None else events
    with transaction.atomic(using=using):
        generator = _Generator(connection, using, cases, members, events, seed, as_of, key_path, log)
        if connection.vendor != "postgresql":
            return generator.run()
        with DeferredIndexes(connection):
            generator.run()
        generator._lap("indexes")
        return generator.summary


class _Generator:
    def __init__(self, connection: Any, using: str, cases: int, members: int, events: int, seed: int,
                 as_of: date | None, key_path: Path | None, log: Any) -> None:
        from fairhearing.core import clock as app_clock
        from fairhearing.workflow.config import get_calendar, get_process

        self.connection, self.using = connection, using
        self.n_cases, self.n_members, self.n_events = cases, members, events
        self.rng = random.Random(seed)
        self.as_of = as_of or app_clock.today()
        self.process = get_process()
        self.clock = Clock(get_calendar())
        self.key_path = key_path
        self.log = log or (lambda message: None)
        self.summary = Summary(vendor=connection.vendor)
        self.started = time.perf_counter()
        self.cpu_started = time.process_time()

    def _lap(self, name: str) -> None:
        now = time.perf_counter()
        self.summary.seconds[name] = round(now - self.started, 2)
        self.summary.seconds[name + "_cpu"] = round(time.process_time() - self.cpu_started, 2)
        self.log(f"{name}: {now - self.started:.1f} s wall, {time.process_time() - self.cpu_started:.1f} s CPU")
        self.started, self.cpu_started = now, time.process_time()

    def run(self) -> Summary:
        self._staff()
        self._members()
        self._lap("staff_and_members")
        self._cases()
        self._lap("cases")
        self._events()
        self._lap("events")
        self._complaints()
        _reset_sequences(self.connection, ["cases_member", "cases_case", "cases_complaint", "cases_party", "cases_allegation",
                                           "cases_stagerecord", "cases_assignment", "cases_pause"])
        self._lap("complaints")
        return self.summary

    # -- people ------------------------------------------------------------------------------

    def _staff(self) -> None:
        from django.contrib.auth.hashers import make_password

        from fairhearing.accounts.models import Role, User

        rng = self.rng
        password = make_password(STAFF_PASSWORD)
        sizes = {Role.CASEWORKER: max(3, self.n_cases // 5000), Role.PANEL: max(6, self.n_cases // 20000),
                 Role.REVIEWER: max(2, self.n_cases // 100000), Role.OVERSEER: 1}
        existing = set(User.objects.using(self.using).values_list("username", flat=True))
        made = []
        for role, count in sizes.items():
            for i in range(1, count + 1):
                username = f"{role}-{i:04d}"
                if username in existing:
                    continue
                first, last = rng.choice(FIRST), rng.choice(LAST)
                made.append(User(username=username, public_id=_uuid(rng), password=password, role=role, first_name=first, last_name=last,
                                 email=f"{username}@staff.example.org", is_staff=False, is_active=True,
                                 display_name=f"{first} {last}", date_joined=datetime(2023, 1, 2, 9, tzinfo=UTC)))
        User.objects.using(self.using).bulk_create(made, batch_size=1000)
        staff = list(User.objects.using(self.using).filter(username__regex=r"^(caseworker|panel|reviewer|overseer)-\d{4}$")
                     .order_by("username").values_list("pk", "public_id", "role"))
        self.users = [(pk, f"user:{public_id}", str(public_id), role) for pk, public_id, role in staff]
        self.by_role: dict[str, list[int]] = {}
        for index, (_, _, _, role) in enumerate(self.users):
            self.by_role.setdefault(role, []).append(index)

    def _members(self) -> None:
        rng = self.rng
        columns = ["id", "public_id", "membership_number", "name", "email", "branch", "region", "role", "joined_on", "status"]
        out = Writer(self.connection, "cases_member", columns)
        start = _next_id(self.connection, "cases_member")
        self.member_base = start
        self.member_names: list[str] = []
        numbers = rng.sample(range(10_000_000, 99_999_999), self.n_members)
        self.member_numbers = [f"D{n}" for n in numbers]
        for i in range(self.n_members):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            self.member_names.append(name)
            r = rng.random()
            status = "active" if r < 0.95 else "lapsed" if r < 0.985 else "suspended" if r < 0.997 else "expelled"
            out.add((start + i, _uuid(rng), self.member_numbers[i], name, f"{first.lower()}.{last.lower()}{i}@members.example.org",
                     rng.choice(BRANCHES), "", "", date(2000, 1, 1) + timedelta(days=rng.randrange(9000)), status))
        out.flush()
        self.summary.members = out.count

    # -- cases -------------------------------------------------------------------------------

    def _cases(self) -> None:
        from fairhearing.cases.models import fold_name  # the key a new complaint is matched by

        rng, conn, clock, as_of = self.rng, self.connection, self.clock, self.as_of
        process = self.process
        review = set(process.review_categories)
        ids = {t: _next_id(conn, t) for t in ("cases_case", "cases_complaint", "cases_party", "cases_stagerecord",
                                                "cases_assignment", "cases_pause", "cases_allegation")}
        case_w = Writer(conn, "cases_case", ["id", "public_id", "reference", "category", "summary", "stage", "stage_entered_on",
                                            "due_on", "breached_at", "paused", "fast_tracked", "closed", "outcome",
                                            "next_update_on", "last_update_on", "opened_at", "closed_at", "process_version"])
        party_w = Writer(conn, "cases_party", ["id", "public_id", "case_id", "kind", "complaint_id", "member_id", "name", "email",
                                              "anonymous", "ended_at", "name_key"])
        alleg_w = Writer(conn, "cases_allegation", ["id", "public_id", "case_id", "text", "conduct_date"])
        stay_w = Writer(conn, "cases_stagerecord", ["id", "case_id", "stage", "entered_on", "left_on", "due_on", "working_days",
                                                   "met_deadline"])
        assign_w = Writer(conn, "cases_assignment", ["id", "case_id", "user_id", "role", "active", "assigned_at", "ended_at"])
        pause_w = Writer(conn, "cases_pause", ["id", "case_id", "kind", "reason", "started_on", "ended_on", "limit_on"])
        sanction_w = Writer(conn, "registry_sanctionentry", ["public_id", "member_id", "name", "membership_number", "kind",
                                                            "starts_on", "ends_on", "case_id", "source_decision_id",
                                                            "created_at", "ended_at", "ended_reason"])
        contact_w = Writer(conn, "audit_externalcontact", ["public_id", "case_id", "contact_name", "contact_key",
                                                          "contact_position", "occurred_at", "channel", "request",
                                                          "recorded_by_id", "recorded_at"])
        existing = set()
        with conn.cursor() as cursor:
            cursor.execute("SELECT reference FROM cases_case UNION ALL SELECT reference FROM cases_complaint")
            existing = {r[0] for r in cursor.fetchall()}
        refs = References(rng, existing)
        self.case_ref: list[str] = []
        accounts = [" ".join(rng.sample(SENTENCES, rng.randint(2, 4))) for _ in range(300)]
        caseworkers, panel, reviewers = self.by_role["caseworker"], self.by_role["panel"], self.by_role["reviewer"]
        pauses_by_stage = {s: [p for p in process.pauses.values() if s in p.stages] for s in ("triage", "investigation")}
        span = 2 * 365

        # Kept for the events and complaints, in compact form.
        self.case_subject: list[str] = []
        self.complaints: list[tuple[Any, ...]] = []   # rows without submission_event_hash
        self.complaint_public: list[str] = []
        self.stay_info: list[tuple[str, str, str, str, date | None, str]] = []  # transition, from, to, outcome, due, category
        self.assign_info: list[tuple[int, str]] = []   # user index, role
        self.pause_info: list[tuple[str, date]] = []
        ev_t, ev_case, ev_kind, ev_ref, ev_actor = array("q"), array("i"), array("b"), array("i"), array("i")
        self.views_made = 0
        self.ev = (ev_t, ev_case, ev_kind, ev_ref, ev_actor)

        def event(moment: datetime, case: int, kind: int, ref: int, actor: int) -> None:
            ev_t.append(_us(moment))
            ev_case.append(case)
            ev_kind.append(kind)
            ev_ref.append(ref)
            ev_actor.append(actor)

        def complaint(case_index: int, case_id: int, category: str, received: datetime, respondent: tuple[int | None, str],
                      conduct: date) -> tuple[int, int]:
            index = len(self.complaints)
            cid = ids["cases_complaint"] + index
            channel = _pick(rng, CHANNELS)
            anonymous = rng.random() < 0.1
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = "" if anonymous else f"{first} {last}"
            email = f"{first.lower()}.{last.lower()}{index}@example.net" if not anonymous or rng.random() < 0.5 else ""
            member_index, respondent_name = respondent
            public = _uuid(rng)
            self.complaint_public.append(str(public))
            self.complaints.append((cid, public, refs.draw("FH"), case_id, received, channel, category, anonymous, name,
                                    email, "", respondent_name,
                                    "" if member_index is None else self.member_numbers[member_index], rng.choice(BRANCHES),
                                    None if member_index is None else self.member_base + member_index,
                                    rng.choice(accounts), conduct.strftime("%d %B %Y"), conduct, rng.choice(("meeting", "online", "social media")),
                                    "", ""))
            party_w.add((ids["cases_party"], _uuid(rng), case_id, "complainant", cid, None, name, email, anonymous, None, fold_name(name)))
            ids["cases_party"] += 1
            return index, cid

        # Cases are written in the order they were opened, as the application writes them, so
        # the tables' physical order (and the planner's correlation statistics) are realistic.
        ages = sorted((int(span * rng.random() ** 1.25) for _ in range(self.n_cases)), reverse=True)
        for c in range(self.n_cases):
            case_id = ids["cases_case"] + c
            category = _pick(rng, CATEGORIES)
            opened_day = as_of - timedelta(days=ages[c])
            opened = _at(opened_day, rng)
            fast = rng.random() < 0.08
            public = _uuid(rng)
            subject = f"case:{public}"
            self.case_ref.append(refs.draw("FC"))
            self.case_subject.append(subject)
            member_index = rng.randrange(self.n_members) if self.n_members and rng.random() < 0.6 else None
            respondent_name = self.member_names[member_index] if member_index is not None else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            conduct = opened_day - timedelta(days=rng.randrange(1, 60))
            k, _cid = complaint(c, case_id, category, opened - timedelta(milliseconds=400), (member_index, respondent_name), conduct)
            channel = self.complaints[k][5]
            complainant_actor = -1 - k   # a negative actor is the complainant of complaint -1 - actor
            caseworker = rng.choice(caseworkers)
            event(opened - timedelta(milliseconds=400), c, K_SUBMITTED if channel in PUBLIC_CHANNELS else K_RECORDED, k,
                  complainant_actor if channel in PUBLIC_CHANNELS else caseworker)
            event(opened, c, K_OPENED, k, complainant_actor if channel in PUBLIC_CHANNELS else caseworker)
            party_w.add((ids["cases_party"], _uuid(rng), case_id, "respondent", None,
                         None if member_index is None else self.member_base + member_index, respondent_name,
                         "" if member_index is None else f"member{member_index}@members.example.org", False, None,
                         fold_name(respondent_name)))
            ids["cases_party"] += 1
            alleg_w.add((ids["cases_allegation"], _uuid(rng), case_id, self.complaints[k][15], conduct))
            ids["cases_allegation"] += 1

            # Walk the plan until a stay outlasts today.
            stays: list[Stay] = []
            stage, entered, previous = "received", opened_day, ("", "", "")
            moved_at = opened
            take_at = None
            stuck = 5.0 if rng.random() < 0.04 else 1.0   # the cases that wait for a year
            plan = _plan(rng, category, review)
            panel_drawn = False
            for key, outcome in [*plan, ("", "")]:
                days = process.stage_days(stage, fast)
                due = None if process.stage(stage).terminal else clock.add(entered, days)
                stay = Stay(stage, entered, None, due, previous[0], previous[1], previous[2])
                stays.append(stay)
                if stage in ("decision",) and not panel_drawn:
                    panel_drawn = True
                    first = len(self.assign_info)
                    for member in rng.sample(panel, 3):
                        self._assign(assign_w, ids, case_id, member, "panel", moved_at, c, None)
                    event(moved_at + timedelta(milliseconds=1), c, K_PANEL, first, -2)
                if stage == "review":
                    self._assign(assign_w, ids, case_id, rng.choice(reviewers), "reviewer", moved_at, c, event)
                if not key or process.stage(stage).terminal:
                    break
                target = self.process.transitions[key].target
                factor = rng.lognormvariate(math.log(0.55 if stage == "received" else 0.8), 0.6) * stuck
                spent = max(0, round(days * factor)) if days else 0
                left = clock.add(entered, spent) if spent else entered
                if left >= as_of:
                    break
                stay.left = left
                if due is not None and left > due:
                    event(_at(due + timedelta(days=1), rng, 5, 1), c, K_BREACHED, len(self.stay_info) + len(stays) - 1, -2)
                moved_at = max(_at(left, rng), moved_at + timedelta(seconds=1))
                actor = {"acknowledge": -2}.get(key, caseworker)
                if key in ("send_for_review", "determine", "refer_to_hearing", "record_hearing_outcome", "decide_appeal"):
                    actor = panel[0]
                elif key in ("verify", "veto"):
                    actor = reviewers[0]
                event(moved_at, c, K_MOVED, len(self.stay_info) + len(stays), actor)
                if key == "acknowledge":
                    take_at = moved_at + timedelta(minutes=rng.randrange(5, 600))
                previous = (key, outcome, stage)
                stage, entered = target, left
            current = stays[-1]
            closed = self.process.stage(current.stage).terminal
            # A caseworker takes the case from the intake pool after acknowledgement; a third of
            # the cases now in triage are still waiting in the pool.
            if take_at is not None and not (current.stage == "triage" and (take_at.date() >= as_of or rng.random() < 0.35)):
                self._assign(assign_w, ids, case_id, caseworker, "caseworker", take_at, c, event)
            paused = False
            if not closed and current.stage in pauses_by_stage and rng.random() < 0.10 and as_of > current.entered:
                kind = rng.choice(pauses_by_stage[current.stage])
                started = max(current.entered, as_of - timedelta(days=rng.randrange(0, 7)))
                limit = clock.add(started, kind.max_days)
                pause_w.add((ids["cases_pause"], case_id, kind.key, "Waiting for the information requested by letter.", started, None, limit))
                self.pause_info.append((kind.key, limit))
                event(_at(started, rng), c, K_PAUSED, len(self.pause_info) - 1, caseworker)
                ids["cases_pause"] += 1
                paused = True
                if current.due is not None:
                    current.due = clock.add(current.entered, process.stage_days(current.stage, fast) + clock.between(started, as_of))
            for stay in stays:
                met = None if stay.left is None or stay.due is None else stay.left <= stay.due
                worked = None if stay.left is None else clock.between(stay.entered, stay.left)
                stay_w.add((ids["cases_stagerecord"], case_id, stay.stage, stay.entered, stay.left, stay.due, worked, met))
                ids["cases_stagerecord"] += 1
                self.stay_info.append((stay.transition, stay.from_stage, stay.stage, stay.outcome, stay.due, category))
            outcome = next((s.outcome for s in reversed(stays) if s.outcome), "")
            overdue = not closed and not paused and current.due is not None and current.due < as_of
            breached_at = None
            if overdue and rng.random() < 0.99:
                breached_at = _at(current.due + timedelta(days=1), rng, 5, 1)
                event(breached_at, c, K_BREACHED, len(self.stay_info) - 1, -2)
            last_update = max(current.entered, as_of - timedelta(days=rng.randrange(0, 27))) if not closed else current.entered
            closed_at = moved_at if closed else None
            case_w.add((case_id, public, self.case_ref[c], category, f"{CATEGORY_LABELS[category]} complaint about {respondent_name}"[:300],
                        current.stage, current.entered, None if closed else current.due, breached_at, paused, fast, closed,
                        outcome, clock.add(last_update, self.process.update_interval_days), last_update, opened, closed_at, 1))
            if rng.random() < 0.04:   # a second complaint about the same respondent, linked to this case
                day = min(as_of, opened_day + timedelta(days=rng.randrange(1, 40)))
                received = max(_at(day, rng), opened + timedelta(seconds=5))
                k2, _ = complaint(c, case_id, category, received, (member_index, respondent_name), conduct)
                event(received, c, K_SUBMITTED, k2, -1 - k2)
                event(received + timedelta(milliseconds=300), c, K_LINKED, k2, -1 - k2)
            if member_index is not None and current.stage == "investigation" and rng.random() < 0.03:
                sanction_w.add((_uuid(rng), self.member_base + member_index, respondent_name, self.member_numbers[member_index], "suspended",
                                current.entered, None, case_id, None, moved_at, None, ""))
            if rng.random() < 0.002:
                day = min(as_of, opened_day + timedelta(days=rng.randrange(0, 90)))
                contact_w.add((_uuid(rng), case_id, "A. Office-Holder", "a office-holder", "Leader's office", _at(day, rng), "phone",
                               "Asked how the case was going and when it would be decided.", self.users[caseworker][0], _at(day, rng)))
            self.summary.stages[current.stage] = self.summary.stages.get(current.stage, 0) + 1
            self.summary.open_cases += not closed
            self.summary.closed += closed
            self.summary.overdue += overdue
            self.summary.paused += paused
            self.summary.fast_tracked += fast and not closed
            self._views(c, opened, closed_at, caseworker, event)
        for writer in (case_w, party_w, alleg_w, stay_w, assign_w, pause_w, sanction_w, contact_w):
            writer.flush()
        self.summary.cases = case_w.count
        self.summary.parties = party_w.count
        self.summary.stage_records = stay_w.count
        self.summary.assignments = assign_w.count

    def _assign(self, writer: Writer, ids: dict[str, int], case_id: int, user: int, role: str, at: datetime, c: int, event: Any) -> None:
        writer.add((ids["cases_assignment"], case_id, self.users[user][0], role, True, at, None))
        ids["cases_assignment"] += 1
        self.assign_info.append((user, role))
        if event is not None:
            event(at, c, K_ASSIGNED, len(self.assign_info) - 1, user if role == "caseworker" else -2)

    def _views(self, c: int, opened: datetime, closed_at: datetime | None, caseworker: int, event: Any) -> None:
        """Page views fill the log up to the requested size, spread over the cases' lives."""
        remaining_cases = self.n_cases - c
        written = len(self.ev[0])
        life = (written - self.views_made) / (c + 1) if c >= 100 else 8.5   # events of a case's life, on average
        share = (self.n_events - CHECKPOINTS - written - life * (remaining_cases - 1)) / remaining_cases
        views = max(0, int(share) + (self.rng.random() < share - int(share)))
        self.views_made += views
        if views <= 0:
            return
        end = closed_at or datetime(self.as_of.year, self.as_of.month, self.as_of.day, 18, tzinfo=UTC)
        window = max(1, int((end - opened).total_seconds()))
        overseer = self.by_role["overseer"][0]
        for _ in range(views):
            at = opened + timedelta(seconds=1 + self.rng.randrange(window))
            event(at, c, K_VIEWED, 0, overseer if self.rng.random() < 0.05 else caseworker)

    # -- the audit log -----------------------------------------------------------------------

    def _key(self) -> Any:
        from fairhearing.audit import services as audit_services
        from fairhearing.audit import signing

        path = Path(self.key_path) if self.key_path else audit_services.signing_key_path()
        if not path.exists():
            audit_services.audit_keygen(path)
            self.log(f"created the audit signing key {path}")
        return signing.load_private_key(path)

    def _events(self) -> None:
        from fairhearing.audit import merkle, signing
        from fairhearing.audit.chain import GENESIS_HASH, canonical_payload, compute_hash
        from fairhearing.audit.models import AuditHead

        conn, pg = self.connection, self.connection.vendor == "postgresql"
        key = self._key()
        ev_t, ev_case, ev_kind, ev_ref, ev_actor = self.ev
        import numpy as np

        order = np.argsort(np.frombuffer(ev_t, dtype=np.int64), kind="stable")
        head = AuditHead.objects.using(self.using).filter(pk=1).first()
        seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
        tree = merkle.MerkleAccumulator()
        if seq:
            from fairhearing.audit.selectors import event_hashes

            for leaf in event_hashes(up_to=seq, using=self.using):
                tree.append(leaf)
        total = len(order) + CHECKPOINTS
        every = max(1, math.ceil(total / CHECKPOINTS))
        writer = Writer(conn, "audit_auditevent", ["seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash"])
        cp_writer = Writer(conn, "audit_checkpoint", ["tree_size", "root", "issued_at", "key_id", "signature"])
        fromhex = bytes.fromhex
        dumps = canonical_payload
        users, complaints, stays, assigns, pauses = self.users, self.complaints, self.stay_info, self.assign_info, self.pause_info
        complaint_hash: list[str] = [""] * len(complaints)
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        day_text: dict[int, str] = {}
        escape = _COPY_ESCAPE

        def occurred(us: int) -> str:
            day, rest = divmod(us, DAY_US)
            text = day_text.get(day)
            if text is None:
                text = day_text[day] = (epoch + timedelta(days=day)).date().isoformat()
            seconds, micro = divmod(rest, 1_000_000)
            hours, seconds = divmod(seconds, 3600)
            minutes, seconds = divmod(seconds, 60)
            return f"{text}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}+00:00"

        def append(at: str, actor: str, action: str, subject: str, payload: str) -> str:
            nonlocal seq, prev
            seq += 1
            digest = compute_hash(seq=seq, occurred_at=at, actor=actor, action=action, subject=subject, payload_json=payload, prev_hash=prev)
            if pg:
                writer.add_line(f"{seq}\t{at}\t{actor}\t{action}\t{subject.translate(escape)}\t{payload.translate(escape)}\t{prev}\t{digest}")
            else:
                writer.add((seq, at, actor, action, subject, payload, prev, digest))
            prev = digest
            tree.append(fromhex(digest))
            return digest

        last_at = ""
        signed_up_to = 0
        for position in order.tolist():
            kind, c, ref, who = ev_kind[position], ev_case[position], ev_ref[position], ev_actor[position]
            at = occurred(ev_t[position])
            actor = users[who][1] if who >= 0 else "system:tick" if who == -2 else f"complainant:{complaints[-1 - who][2]}"
            subject = self.case_subject[c]
            if kind == K_VIEWED:
                append(at, actor, "case.viewed", subject, f'{{"case":"{self.case_ref[c]}"}}')
            elif kind == K_MOVED:
                transition, source, target, outcome, due, category = stays[ref]
                clauses = sorted(CLAUSES[category][:2]) if transition in ("investigate", "send_for_review", "determine", "refer_to_hearing") else []
                append(at, actor, "case.transitioned", subject, dumps({
                    "transition": transition, "from": source, "to": target, "clauses": clauses, "outcome": outcome,
                    "due_on": due.isoformat() if due else None}))
            elif kind in (K_SUBMITTED, K_RECORDED):
                row = complaints[ref]
                payload = {"complaint": row[2], "channel": row[5], "category": row[6]}
                if kind == K_SUBMITTED:
                    payload.update(anonymous=row[7], held_as_spam=False, evidence=[])
                complaint_hash[ref] = append(at, actor, "complaint.submitted" if kind == K_SUBMITTED else "complaint.recorded",
                                             f"complaint:{self.complaint_public[ref]}", dumps(payload))
            elif kind == K_OPENED:
                row = complaints[ref]
                due = self.clock.add(row[4].date(), self.process.stage_days("received", False))
                append(at, actor, "case.opened", subject, dumps({"case": self.case_ref[c], "complaint": row[2], "category": row[6],
                                                                "stage": "received", "due_on": due.isoformat()}))
            elif kind == K_LINKED:
                append(at, actor, "complaint.linked", subject, dumps({"complaint": complaints[ref][2], "case": self.case_ref[c]}))
            elif kind == K_ASSIGNED:
                user, role = assigns[ref]
                append(at, actor, "case.assigned", subject, dumps({"user": users[user][2], "role": role, "replaced": []}))
            elif kind == K_PANEL:
                seats = [users[assigns[ref + i][0]][2] for i in range(3)]
                append(at, actor, "panel.drawn", subject, dumps({"purpose": "decision", "members": seats, "method": "random"}))
            elif kind == K_PAUSED:
                pause_kind, limit = pauses[ref]
                append(at, actor, "case.paused", subject, dumps({"kind": pause_kind, "limit_on": limit.isoformat()}))
            elif kind == K_BREACHED:
                _, _, stage, _, due, _ = stays[ref]
                append(at, actor, "case.deadline_breached", subject, dumps({"stage": stage, "due_on": due.isoformat() if due else None,
                                                                            "today": at[:10]}))
            last_at = at
            if seq % every == 0:
                self._checkpoint(key, tree, seq, last_at, cp_writer, append, signing)
                signed_up_to = seq
        if seq and signed_up_to < seq - 1:
            self._checkpoint(key, tree, seq, last_at or occurred(_us(datetime.now(UTC))), cp_writer, append, signing)
        writer.flush()
        cp_writer.flush()
        with conn.cursor() as cursor:
            cursor.execute("UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, prev])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO audit_audithead (id, seq, hash) VALUES (1, %s, %s)", [seq, prev])
        self.summary.events = writer.count
        self.complaint_hash = complaint_hash

    def _checkpoint(self, key: Any, tree: Any, size: int, at: str, cp_writer: Writer, append: Any, signing: Any) -> None:
        """Sign the root at ``size`` and record that in the log, as ``checkpoint_write`` does."""
        signed = signing.sign_checkpoint(key, tree_size=size, root=tree.root(), issued_at=at)
        cp_writer.add((signed.tree_size, signed.root, signed.issued_at, signed.key_id, signed.signature))
        from fairhearing.audit.chain import canonical_payload

        append(at, "system:tick", "audit.checkpoint_written", "audit:log",
               canonical_payload({"tree_size": size, "root": signed.root, "key_id": signed.key_id}))
        self.summary.checkpoints += 1

    def _complaints(self) -> None:
        columns = ["id", "public_id", "reference", "case_id", "received_at", "channel", "category", "anonymous", "complainant_name",
                   "complainant_email", "complainant_phone", "respondent_name", "respondent_membership_number",
                   "respondent_branch_or_role", "respondent_member_id", "account", "conduct_dates", "conduct_first_date", "where",
                   "links", "receipt_hash", "submission_event_hash"]
        out = Writer(self.connection, "cases_complaint", columns)
        for row, digest in zip(self.complaints, self.complaint_hash, strict=True):
            out.add((*row, digest))
        out.flush()
        self.summary.complaints = out.count


# --- creating and migrating the database ------------------------------------------------------


def _setup_django(database_url: str) -> None:
    from django.conf import settings

    if not settings.configured:
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()


def _alias(database_url: str) -> str:
    """The Django alias of this database, adding one (``datagen``) when it is not configured."""
    from django.db import connections

    from fairhearing.core.env import database_from_url

    wanted = database_from_url(database_url, base_dir=ROOT)
    for alias in connections:
        current = connections.settings[alias]
        if (current["ENGINE"], str(current["NAME"]), current.get("HOST", "")) == (wanted["ENGINE"], str(wanted["NAME"]), wanted.get("HOST", "")):
            return alias
    configured = connections.configure_settings({"default": connections.settings["default"], "datagen": wanted})
    connections.settings["datagen"] = configured["datagen"]
    return "datagen"


def _prepare(database_url: str, replace: bool) -> None:
    """Create the database (PostgreSQL) or its folder (SQLite); with ``replace``, start empty."""
    from fairhearing.core.env import database_from_url

    config = database_from_url(database_url, base_dir=ROOT)
    name = str(config["NAME"])
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(name)
        if Path(name).name in REFUSED_NAMES or path.stem in REFUSED_NAMES:
            raise SystemExit(f"refusing to fill {name}: use a scratch database of your own")
        if replace:
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    if name in REFUSED_NAMES:
        raise SystemExit(f"refusing to fill the database {name!r}: use a scratch database of your own, such as fh_scale_1m")
    import psycopg

    dsn = {"host": config.get("HOST") or None, "port": config.get("PORT") or None, "user": config.get("USER") or None,
           "password": config.get("PASSWORD") or None, "dbname": "postgres"}
    with psycopg.connect(**{k: v for k, v in dsn.items() if v}, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and replace:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def build(*, database_url: str, cases: int, members: int | None = None, events: int | None = None, seed: int = 1,
          as_of: date | None = None, replace: bool = False, key_path: Path | None = None, log: Any = None) -> Summary:
    """Create (or reuse) the database at ``database_url``, migrate it and fill it.

    Refuses the database named ``test`` and, without ``replace``, a database that already holds cases.
    """
    _prepare(database_url, replace)
    _setup_django(database_url)
    from django.core.management import call_command
    from django.db import connections

    alias = _alias(database_url)
    started, cpu = time.perf_counter(), time.process_time()
    call_command("migrate", database=alias, verbosity=0, skip_checks=True)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_case")
        if cursor.fetchone()[0] and not replace:
            raise SystemExit(f"{database_url} already holds cases; pass --replace to start again from an empty database")
    migrated = (round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2))
    summary = generate(using=alias, cases=cases, members=members, events=events, seed=seed, as_of=as_of, key_path=key_path, log=log)
    summary.seconds["migrate"], summary.seconds["migrate_cpu"] = migrated
    if connections[alias].vendor == "postgresql":
        # What autovacuum would have done by the time a real log reached this size: planner
        # statistics, and the visibility map that lets index-only scans skip the heap.
        started = time.perf_counter()
        with connections[alias].cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        summary.seconds["vacuum_analyze"] = round(time.perf_counter() - started, 2)
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/NAME or sqlite:///PATH")
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--members", type=int, default=None, help="default: half the cases")
    parser.add_argument("--events", type=int, default=None, help="default: ten per case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="the day treated as today (YYYY-MM-DD)")
    parser.add_argument("--replace", action="store_true", help="drop the database (or delete the file) first")
    parser.add_argument("--key", type=Path, default=None, help="audit signing key (default: the FAIRHEARING_AUDIT_KEY setting)")
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases must be at least 1")
    started, cpu = time.perf_counter(), time.process_time()
    summary = build(database_url=args.database_url, cases=args.cases, members=args.members, events=args.events, seed=args.seed,
                    as_of=args.as_of, replace=args.replace, key_path=args.key,
                    log=lambda message: print(message, file=sys.stderr, flush=True))
    summary.seconds["total"] = round(time.perf_counter() - started, 2)
    summary.seconds["total_cpu"] = round(time.process_time() - cpu, 2)
    json.dump(summary.as_dict(), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
