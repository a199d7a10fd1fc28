"""Bearer-token authentication, per-token rate limits and scope checks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from fairhearing.api import ratelimit
from fairhearing.api.models import ApiToken
from fairhearing.api.problems import ScopeMissing
from fairhearing.api.tokens import token_for
from fairhearing.core.actors import Actor, user_actor


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            return None
        ratelimit.hit("token", found.prefix)
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def require_scope(request: HttpRequest, scope: str) -> Actor:
    """The acting user for a request whose token carries ``scope``; ScopeMissing otherwise."""
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise ScopeMissing(scope)
    return user_actor(token.user)


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
