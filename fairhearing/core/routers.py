"""Reads that may come from a PostgreSQL replica: the published statistics, and nothing else.

A router only sees the model, not the caller, so the statistics mark themselves with
:func:`replica_reads` and the router sends reads to the ``replica`` database while that mark is
set (and only when DATABASE_REPLICA_URL configured one). Everything else, and every write, stays
on the primary: a caseworker must see what was just written, while figures for a past quarter
are the same a few seconds behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("fairhearing_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block (or a function decorated with it), reads go to the replica if one is
    configured. Use it only for reads that tolerate replication lag."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside :func:`replica_reads` go to the replica; nothing is ever written or migrated there."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows, so objects from either may be related.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary by replication; migrations run on the primary only.
        return False if db == REPLICA else None
