"""Who did something: a staff user, the system, or a party acting through a receipt or link.

Every service takes an ``Actor`` so that the audit log records the same kind of name for staff,
parties and the tick, and permission checks have one input type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fairhearing.accounts.models import User


@dataclass(frozen=True)
class Actor:
    kind: str  # "user", "system", "complainant", "respondent", "public"
    ident: str
    user: User | None = None

    @property
    def audit_name(self) -> str:
        return f"{self.kind}:{self.ident}"

    @property
    def role(self) -> str:
        if self.user is not None:
            return str(self.user.role)
        return self.kind


def user_actor(user: User) -> Actor:
    return Actor(kind="user", ident=str(user.public_id), user=user)


SYSTEM = Actor(kind="system", ident="tick")


def system_actor(name: str) -> Actor:
    return Actor(kind="system", ident=name)


def party_actor(kind: str, reference: str) -> Actor:
    if kind not in ("complainant", "respondent", "public"):
        raise ValueError(f"unknown party kind {kind!r}")
    return Actor(kind=kind, ident=reference)
