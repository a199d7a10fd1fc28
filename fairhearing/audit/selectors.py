"""Reads of the audit log and of the oversight records.

Whole-log reads stream: ``values_list`` tuples through ``iterator(chunk_size=...)``, never a
model instance per event, so verifying a million events keeps memory flat. Verification reads
faster still through ``event_log_ranges``: the log in ranges of primary keys, read with the
database driver (PostgreSQL builds each event's encoding while this process hashes), one
range after another or in several processes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connections, transaction
from django.db.models import Max, Q, QuerySet

from fairhearing.audit.chain import ENCODING_PREFIX, EventRow
from fairhearing.audit.models import (
    AuditEvent,
    BreakGlassGrant,
    Checkpoint,
    ExternalContact,
    VerificationRun,
)
from fairhearing.audit.ranges import (
    RangeQuery,
    RangeScan,
    RangeSpec,
    WorkerError,
    plan_ranges,
    range_starts,
    scan_range,
    scan_ranges_in_processes,
)
from fairhearing.core import clock

log = logging.getLogger(__name__)

CHUNK = 20_000
ROW_FIELDS = ("seq", "occurred_at", "actor", "action", "subject", "payload", "prev_hash", "hash")
OLD_CASE_DAYS = 90
# Transitions that undo or reopen a decision, and the outcomes of an appeal that changes one.
REVERSING_TRANSITIONS = ("veto", "reopen")
REVERSING_APPEAL_OUTCOMES = ("allowed", "sanction_substituted")
# Actions of the decisions app that undo a decision outright.
REVERSING_ACTIONS = ("review.vetoed",)


def event_rows(*, using: str = "default", chunk_size: int = CHUNK) -> Iterator[EventRow]:
    """Every event as an ``EventRow`` tuple, in storage order (primary key, i.e. append order).

    Storage order rather than ``seq`` order, so that rows moved around are seen out of order.
    """
    query = AuditEvent.objects.using(using).order_by("pk").values_list(*ROW_FIELDS)
    return query.iterator(chunk_size=chunk_size)  # type: ignore[return-value]


# Ranges hold 2**h events, h within these bounds: at least four ranges per process where the
# log allows, so that a process slowed by other work on the machine does not hold the others
# up, and otherwise as few as that (each range is a query; after damage the one-pass check
# resumes at the start of the damaged range).
MIN_BLOCK_HEIGHT = 14
MAX_BLOCK_HEIGHT = 20
# Below this many events one process finishes before others would have started.
PARALLEL_FROM = 1 << 18


def _prepared_columns(vendor: str) -> str | None:
    """SQL for ``seq, <version 1 encoding as UTF-8 bytes>, prev_hash, hash`` (see
    ``chain.event_encoding``), or None where the database should not build it."""
    if vendor != "postgresql":
        # SQLite runs in this process: building the text there costs more than here.
        return None
    fields = " || ';' || ".join(
        f"octet_length({column}) || ':' || {column}" for column in ROW_FIELDS[1:7]
    )
    return f"seq, convert_to('{ENCODING_PREFIX};' || seq || ';' || {fields}, 'UTF8'), prev_hash, hash"


@dataclass
class EventLogRanges:
    """The stored log as ranges of primary keys, for ``verify.verify_ranges``.

    Each range starts at the row holding seq ``1 + k * 2**block_height`` (see
    ``ranges.plan_ranges``). With ``workers`` > 1 the ranges are read and hashed in that many
    worker processes, each with its own database connection; if they fail, in this process.
    ``query`` reads the rows for the ranges (prepared by PostgreSQL where it can), ``plain``
    the plain rows from which the one-pass check resumes after damage.
    """

    using: str
    specs: list[RangeSpec]
    block_height: int
    workers: int
    query: RangeQuery
    plain: RangeQuery

    def scan(self, sizes: Sequence[int]) -> list[RangeScan]:
        worker_connection = _worker_connection(self.using) if self.workers > 1 and len(self.specs) > 1 else None
        if worker_connection is not None:
            connect, kwargs = worker_connection
            try:
                return scan_ranges_in_processes(
                    self.specs, sizes=sizes, block_height=self.block_height, workers=min(self.workers, len(self.specs)),
                    connect=connect, connect_kwargs=kwargs, query=self.query,
                )
            except WorkerError as error:
                log.warning("%s; reading the log in this process instead", error)
        scans = []
        for spec in self.specs:
            with self._reading(self.query, spec) as rows:
                scan = scan_range(rows, start=spec.start, sizes=sizes, block_height=self.block_height, prepared=self.query.prepared)
            scans.append(scan)
            if not scan.intact:
                break
        return scans

    def rows_from(self, index: int) -> AbstractContextManager[Iterable[EventRow]]:
        spec = self.specs[index]
        return self._reading(self.plain, RangeSpec(index=index, start=spec.start, lo=spec.lo, hi=None))

    @contextmanager
    def _reading(self, query: RangeQuery, spec: RangeSpec) -> Iterator[Iterator[Any]]:
        connection = connections[self.using]
        # PostgreSQL's server-side cursor lives in a transaction (a savepoint if one is open);
        # outside one it would be copied whole before the first row. SQLite reads need none,
        # and its transactions here take the write lock.
        with transaction.atomic(using=self.using) if connection.vendor == "postgresql" else nullcontext():
            connection.ensure_connection()
            with query.rows(connection.connection, spec) as rows:
                yield rows


def range_block_height(head: int, workers: int) -> int:
    """The height ``h`` of ranges of ``2**h`` events for a log of ``head`` events read by
    ``workers`` processes: four ranges or more each, within the bounds above."""
    return min(max((head // (4 * workers)).bit_length() - 1, MIN_BLOCK_HEIGHT), MAX_BLOCK_HEIGHT)


def event_log_ranges(*, using: str = "default", workers: int | None = None, block_height: int | None = None) -> EventLogRanges:
    """Plan the ranges of the stored log for verification.

    ``workers`` None chooses: one process per core for a log of ``PARALLEL_FROM`` events or
    more, if other processes can see the same data (not inside a transaction, not an
    in-memory database); else one, this one. ``block_height`` None chooses the range size
    (see ``MIN_BLOCK_HEIGHT``).
    """
    connection = connections[using]
    head = AuditEvent.objects.using(using).aggregate(head=Max("seq"))["head"] or 0
    shared = not connection.in_atomic_block and _worker_connection(using) is not None
    if workers is None:
        workers = _cores() if shared and head >= PARALLEL_FROM else 1
    elif not shared:
        workers = 1  # other processes would not see this transaction's rows, or the database
    workers = max(1, workers)
    if block_height is None:
        block_height = range_block_height(head, workers)
    starts = range_starts(head, block_height)
    found = dict(AuditEvent.objects.using(using).filter(seq__in=starts).values_list("seq", "pk")) if starts else {}
    specs = plan_ranges(starts, found)
    vendor = connection.vendor
    prepared = _prepared_columns(vendor) if _server_encodes_utf8(using) else None
    table = AuditEvent._meta.db_table
    kind = "postgresql" if vendor == "postgresql" else "sqlite"
    pk = AuditEvent._meta.pk.column  # type: ignore[union-attr]
    plain = RangeQuery(vendor=kind, select=f"SELECT {', '.join(ROW_FIELDS)} FROM {table}", pk=pk, prepared=False)  # noqa: S608 - names from the model
    query = RangeQuery(vendor=kind, select=f"SELECT {prepared} FROM {table}", pk=pk, prepared=True) if prepared else plain  # noqa: S608
    return EventLogRanges(using=using, specs=specs, block_height=block_height, workers=workers, query=query, plain=plain)


def _cores() -> int:
    """The cores this process may run on (all of the machine's where that cannot be asked)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _server_encodes_utf8(using: str) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        row = cursor.fetchone()
    return bool(row) and str(row[0]).upper() in ("UTF8", "UTF-8")


def _worker_connection(using: str) -> tuple[Any, dict[str, Any]] | None:
    """How a worker process connects to the same database (None if it cannot)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        return psycopg.connect, {key: value for key, value in params.items() if isinstance(value, str | int | float) and not isinstance(value, bool)}
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if not os.path.isfile(name):  # an in-memory database is this process's alone
            return None
        return sqlite3.connect, {"database": name, "timeout": 20}
    return None


def event_hashes(*, up_to: int, using: str = "default", chunk_size: int = CHUNK) -> Iterator[bytes]:
    """The raw 32-byte hash of each event with ``seq <= up_to``, in sequence order (Merkle leaves)."""
    query = AuditEvent.objects.using(using).filter(seq__lte=up_to).order_by("seq").values_list("hash", flat=True)
    fromhex = bytes.fromhex
    for digest in query.iterator(chunk_size=chunk_size):
        yield fromhex(digest)


def head_seq(*, using: str = "default") -> int:
    """The sequence number of the newest event (0 for an empty log)."""
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def stored_checkpoints(*, using: str = "default") -> list[Checkpoint]:
    return list(Checkpoint.objects.using(using).order_by("tree_size", "pk"))


def latest_checkpoint(*, covering: int = 0, using: str = "default") -> Checkpoint | None:
    """The newest checkpoint whose tree includes event ``covering`` (any, if 0)."""
    query = Checkpoint.objects.using(using)
    if covering:
        query = query.filter(tree_size__gte=covering)
    return query.order_by("-tree_size", "-pk").first()


def last_verification() -> VerificationRun | None:
    return VerificationRun.objects.first()


def events_page(*, before: int | None = None, action: str = "", subject: str = "", size: int = 100) -> list[AuditEvent]:
    """A page of events, newest first, for the overseer's log view."""
    query = AuditEvent.objects.order_by("-seq")
    if before:
        query = query.filter(seq__lt=before)
    if action:
        query = query.filter(action=action)
    if subject:
        query = query.filter(subject=subject)
    return list(query[:size])


@dataclass(frozen=True)
class OversightSummary:
    """What the overseer's dashboard shows: each list is newest first."""

    break_glass: list[BreakGlassGrant]
    reassignments: list[AuditEvent]
    reversals: list[AuditEvent]
    contacts: list[ExternalContact]
    contact_count: int
    old_cases: list[Any]
    last_verification: VerificationRun | None
    latest_checkpoint: Checkpoint | None
    head_seq: int


def reassignment_events() -> QuerySet[AuditEvent]:
    """Assignments that replaced someone already assigned."""
    return AuditEvent.objects.filter(action="case.assigned").exclude(payload__contains='"replaced":[]').order_by("-seq")


def reversal_events() -> QuerySet[AuditEvent]:
    """Decisions vetoed, reopened or overturned on appeal."""
    transitions = Q()
    for key in REVERSING_TRANSITIONS:
        transitions |= Q(payload__contains=f'"transition":"{key}"')
    appeals = Q()
    for outcome in REVERSING_APPEAL_OUTCOMES:
        appeals |= Q(payload__contains=f'"outcome":"{outcome}"')
    return AuditEvent.objects.filter(
        Q(action="case.transitioned") & (transitions | (appeals & Q(payload__contains='"transition":"decide_appeal"')))
        | Q(action="appeal.decided") & appeals
        | Q(action__in=REVERSING_ACTIONS)
    ).order_by("-seq")


def cases_past(days: int = OLD_CASE_DAYS, now: datetime | None = None) -> QuerySet[Any]:
    """Open cases opened more than ``days`` calendar days ago, oldest first."""
    from fairhearing.cases.models import Case

    cutoff = (now or clock.now()) - timedelta(days=days)
    return Case.objects.filter(closed=False, opened_at__lt=cutoff).order_by("opened_at")


def oversight_summary(*, limit: int = 50) -> OversightSummary:
    """Everything on the overseer's dashboard (interference signals and log health)."""
    return OversightSummary(
        break_glass=list(BreakGlassGrant.objects.select_related("user", "case")[:limit]),
        reassignments=list(reassignment_events()[:limit]),
        reversals=list(reversal_events()[:limit]),
        contacts=list(ExternalContact.objects.select_related("case", "recorded_by")[:limit]),
        contact_count=ExternalContact.objects.count(),
        old_cases=list(cases_past()[:limit]),
        last_verification=last_verification(),
        latest_checkpoint=latest_checkpoint(),
        head_seq=head_seq(),
    )
