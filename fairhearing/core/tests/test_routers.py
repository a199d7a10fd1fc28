"""The replica router: the published statistics read from DATABASE_REPLICA_URL's database, and
nothing else does; nothing is written or migrated there."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connections

from fairhearing.cases.models import Case, Member
from fairhearing.core.routers import REPLICA, ReplicaRouter, replica_reads


@pytest.fixture
def replica(settings, monkeypatch):
    """A second connection to the same database standing in for a replica. Being a separate
    connection, it sees only committed rows, so a read that went to it misses the rows a test
    writes inside its own transaction: that is how a test tells where a read went."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(connections["default"].settings_dict))
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica_reads():
        assert Case.objects.all().db == "default"
    assert ReplicaRouter().db_for_read(Case) is None


def test_with_a_replica_only_marked_reads_go_to_it(replica):
    assert Case.objects.all().db == "default"
    with replica_reads():
        assert Case.objects.all().db == REPLICA
        assert ReplicaRouter().db_for_write(Case) == "default"
    assert Case.objects.all().db == "default"


def test_the_mark_is_lifted_when_the_block_fails(replica):
    with pytest.raises(RuntimeError), replica_reads():
        raise RuntimeError("report failed")
    assert Case.objects.all().db == "default"


def test_nothing_is_migrated_onto_the_replica():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate("default", "cases") is None


def test_rows_from_the_replica_and_the_primary_may_be_related():
    one, other = Case(), Case()
    one._state.db, other._state.db = REPLICA, "default"
    assert ReplicaRouter().allow_relation(one, other) is True
    other._state.db = "elsewhere"
    assert ReplicaRouter().allow_relation(one, other) is None


@pytest.fixture(scope="class")
def replica_for_the_class(django_db_setup, django_db_blocker):
    """The replica stand-in, added before the test case starts, so that the test case admits it
    and opens a transaction on it as on the primary."""
    copy = dict(connections["default"].settings_dict)
    if copy["ENGINE"].endswith("sqlite3"):
        # A reader: it must not take SQLite's write lock, which the primary's transaction holds.
        copy["OPTIONS"] = {**copy["OPTIONS"], "transaction_mode": "DEFERRED"}
    settings.DATABASES[REPLICA] = copy
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del settings.DATABASES[REPLICA]


@pytest.mark.usefixtures("replica_for_the_class")
@pytest.mark.django_db(databases=["default", REPLICA])
class TestTheStatisticsOnAReplica:
    def test_the_published_statistics_are_read_from_the_replica(self):
        from fairhearing.reports.statistics import build_report

        committed = Member.objects.using(REPLICA).filter(status=Member.Status.ACTIVE).count()
        for number in range(3):
            Member.objects.create(membership_number=f"R-{number}", name=f"Member {number}")
        assert Member.objects.filter(status=Member.Status.ACTIVE).count() == committed + 3
        # The new members are not committed yet, so only the primary's connection sees them.
        assert build_report(date(2026, 1, 1), date(2026, 3, 31)).measures["members"] == committed
