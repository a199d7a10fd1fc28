"""Builders for decision tests: a trained pool and a case brought to the panel stage through
the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import Case
from fairhearing.conduct.models import Clause
from fairhearing.core.testing import Personas, make_user, open_case
from fairhearing.decisions import services
from fairhearing.decisions.models import Panel
from fairhearing.workflow.services import case_transition

TRAINED = date(2030, 1, 1)


def train(personas: Personas, user: User, until: date | None = TRAINED, member_id: int | None = None) -> None:
    services.pool_member_set(actor=personas.actor("admin"), user=user, training_valid_until=until, member_id=member_id)


def pool(personas: Personas, extra: int = 3) -> list[User]:
    """The three persona panel members plus ``extra`` more, all trained; and the reviewer."""
    users = [personas.panel, personas.panel2, personas.panel3]
    users += [make_user(f"panel{n}", Role.PANEL, display_name=f"Extra Panel {n}") for n in range(4, 4 + extra)]
    for user in users:
        train(personas, user)
    train(personas, personas.reviewer)
    return users


def clause(identifier: str) -> Clause:
    return Clause.objects.filter(identifier=identifier).latest("id")


def to_decision(personas: Personas, *, category: str = "bullying", clause_id: str = "BUL-1", **extra: Any) -> Case:
    case = open_case(personas, category=category, **extra)
    actor = personas.actor("caseworker")
    case_transition(actor=actor, case=case, transition_key="acknowledge")
    case_transition(actor=actor, case=case, transition_key="investigate", reasons="The complaint is in scope.", clause_ids=[clause(clause_id).pk])
    case_transition(actor=actor, case=case, transition_key="refer_to_panel", reasons="The investigation report is complete.")
    case.refresh_from_db()
    return case


def seated(case: Case, purpose: str = Panel.Purpose.DECISION) -> list[User]:
    panel = Panel.objects.get(case=case, purpose=purpose, ended_at__isnull=True)
    return [s.user for s in panel.seats.filter(recused_at__isnull=True).select_related("user")]


def findings(case: Case, clause_id: str, upheld: bool = True) -> list[services.FindingInput]:
    return [
        services.FindingInput(allegation=str(a.public_id), clause_id=clause(clause_id).pk, upheld=upheld, text="The panel finds the account credible and supported by the screenshots.")
        for a in case.allegations.all()
    ]
