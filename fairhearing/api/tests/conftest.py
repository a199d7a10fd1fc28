from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fairhearing.api.services import api_token_create
from fairhearing.core.actors import system_actor


@pytest.fixture
def token_for(personas) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    def make(name: str, *scopes: str) -> str:
        _, text = api_token_create(actor=system_actor("test"), user=getattr(personas, name), name="test", scopes=list(scopes))
        return text

    return make


@pytest.fixture
def client() -> Client:
    return Client()
