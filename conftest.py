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
