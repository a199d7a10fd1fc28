"""Named personas and case builders shared by every app's tests.

Tests ask for ``personas`` (a fixture in conftest.py) and build cases with :func:`open_case`,
through the real services, so the audit chain in a test database is always valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from fairhearing.accounts.models import Role, User
from fairhearing.core.actors import Actor, user_actor

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test fixture


def make_user(username: str, role: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, email=f"{username}@example.org", **extra)
    return user


@dataclass
class Personas:
    caseworker: User
    caseworker2: User
    panel: User
    panel2: User
    panel3: User
    reviewer: User
    overseer: User
    organiser: User
    admin: User

    def actor(self, name: str) -> Actor:
        return user_actor(getattr(self, name))


def create_personas() -> Personas:
    return Personas(
        caseworker=make_user("casey", Role.CASEWORKER, display_name="Casey Worker"),
        caseworker2=make_user("carmen", Role.CASEWORKER, display_name="Carmen Other"),
        panel=make_user("pat", Role.PANEL, display_name="Pat Panel"),
        panel2=make_user("priya", Role.PANEL, display_name="Priya Panel"),
        panel3=make_user("paul", Role.PANEL, display_name="Paul Panel"),
        reviewer=make_user("rene", Role.REVIEWER, display_name="René Reviewer"),
        overseer=make_user("olu", Role.OVERSEER, display_name="Olu Overseer"),
        organiser=make_user("orla", Role.ORGANISER, display_name="Orla Organiser"),
        admin=make_user("ada", Role.ADMIN, display_name="Ada Admin", is_staff=True),
    )


def aware(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def open_case(personas: Personas, *, category: str = "antisemitism", respondent: str = "Sam Respondent", anonymous: bool = False, assign: bool = True, **extra: Any):  # type: ignore[no-untyped-def]
    """Record a complaint through the real service (which opens its case); optionally assign the
    persona caseworker. Returns the case."""
    from fairhearing.cases.services import case_assign, complaint_record

    actor = personas.actor("caseworker")
    complaint = complaint_record(
        actor=actor,
        channel="email",
        category=category,
        respondent_name=respondent,
        account=extra.pop("account", "At the branch meeting the respondent said something hateful."),
        complainant_name="" if anonymous else "Chris Complainant",
        complainant_email="" if anonymous else "chris@example.org",
        anonymous=anonymous,
        **extra,
    )
    case = complaint.case
    assert case is not None
    if assign:
        case_assign(actor=actor, case=case, user=personas.caseworker, role="caseworker")
    return case


def named_urls() -> list[tuple[str, str]]:
    """Every named URL as (namespaced name, route pattern), for tests that walk them all."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix="", namespace=""):  # type: ignore[no-untyped-def]
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", prefix + str(entry.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))
