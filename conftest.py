"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    from fairhearing.core.testing import create_personas

    return create_personas()


@pytest.fixture
def default_code(db):  # type: ignore[no-untyped-def]
    from fairhearing.conduct.services import ensure_default_code
    from fairhearing.core.actors import system_actor

    return ensure_default_code(actor=system_actor("setup"))


@pytest.fixture(autouse=True)
def _audit_triggers_lifted_for_flush(request):  # type: ignore[no-untyped-def]
    """Transactional tests end with a flush (DELETE/TRUNCATE of every table), which the audit
    triggers rightly refuse. Re-install them for the test, lift them only for the flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from fairhearing.audit import triggers

    triggers.install(connection)
    yield
    triggers.drop(connection)
