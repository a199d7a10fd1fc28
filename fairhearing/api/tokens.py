"""Token text, hashing and lookup."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fairhearing.api.models import ApiToken
from fairhearing.core import clock

PREFIX_BYTES = 6


def new_token_text() -> tuple[str, str, str]:
    """(full token, prefix, secret hash)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(32)
    return f"fh_{prefix}_{secret}", prefix, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_for(text: str) -> ApiToken | None:
    """The live token for this text, or None (malformed, unknown, wrong secret, revoked, expired,
    or its user deactivated). Marks the token used."""
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "fh":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts[2])):
        return None
    now = clock.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
