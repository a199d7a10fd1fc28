"""Writes for API tokens. Creating a token is an administrator's job, or the command's."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from fairhearing.accounts.models import Role, User
from fairhearing.api.models import ApiToken, Scope
from fairhearing.api.tokens import new_token_text
from fairhearing.audit.services import audit_append
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted

# Which scopes make sense for which role: a scope the role could never use is refused at creation.
ROLE_SCOPES: dict[str, set[str]] = {
    Role.CASEWORKER: {Scope.CASES_READ, Scope.CASES_WRITE, Scope.DECISIONS_WRITE, Scope.PRIVACY_WRITE, Scope.AUDIT_WRITE,
                      Scope.REPORTS_READ},
    Role.PANEL: {Scope.CASES_READ, Scope.CASES_WRITE, Scope.DECISIONS_WRITE, Scope.AUDIT_WRITE, Scope.REPORTS_READ},
    Role.REVIEWER: {Scope.CASES_READ, Scope.CASES_WRITE, Scope.DECISIONS_WRITE, Scope.AUDIT_WRITE, Scope.REPORTS_READ},
    Role.OVERSEER: {Scope.CASES_READ, Scope.PRIVACY_READ, Scope.PRIVACY_WRITE, Scope.AUDIT_WRITE, Scope.REPORTS_READ,
                    Scope.REGISTRY_CHECK},
    Role.ORGANISER: {Scope.REGISTRY_CHECK, Scope.REPORTS_READ},
    Role.ADMIN: {Scope.REPORTS_READ},
}


def _may_manage(actor: Actor) -> bool:
    return (actor.user is None and actor.kind == "system") or (actor.user is not None and actor.user.role == Role.ADMIN)


@transaction.atomic
def api_token_create(*, actor: Actor, user: User, name: str, scopes: list[str], days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token; returns it with its text, which is shown once and never stored."""
    if not _may_manage(actor):
        raise NotPermitted("Only an administrator can create API tokens.")
    if not name.strip():
        raise MissingInformation("Give the token a name that says what it is for.", field="name")
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise MissingInformation(f"Unknown or missing scope(s) {', '.join(unknown) or '(none)'}; choose from: {', '.join(Scope.values)}.", field="scopes")
    allowed = ROLE_SCOPES.get(str(user.role), set())
    refused = [s for s in scopes if s not in allowed]
    if refused:
        raise DomainError(f"A {user.get_role_display().lower()} cannot use scope(s) {', '.join(refused)}; "
                          f"allowed: {', '.join(sorted(allowed)) or 'none'}.", field="scopes")
    if days is not None and days < 1:
        raise MissingInformation("A token must last at least one day (or have no expiry).", field="days")
    text, prefix, digest = new_token_text()
    now = clock.now()
    token = ApiToken.objects.create(user=user, name=name.strip(), scopes=sorted(set(scopes)), prefix=prefix, secret_hash=digest,
                                    created_at=now, expires_at=now + timedelta(days=days) if days else None)
    audit_append(actor=actor, action="api_token.created", subject=f"api_token:{token.public_id}",
                 payload={"user": str(user.public_id), "scopes": token.scopes, "expires_at": token.expires_at.isoformat() if token.expires_at else None})
    return token, text


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if not _may_manage(actor) and (actor.user is None or actor.user.pk != token.user_id):
        raise NotPermitted("Only an administrator or the token's owner can revoke it.")
    if token.revoked_at is not None:
        raise DomainError("This token is already revoked.")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_append(actor=actor, action="api_token.revoked", subject=f"api_token:{token.public_id}", payload={})
    return token
