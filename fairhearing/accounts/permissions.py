"""Need-to-know access: the one place that says who may see and do what with a case.

A staff member sees a case only when assigned to it (caseworker, panel, reviewer) or as overseer.
Caseworkers also see the unassigned intake pool (cases in the intake stages with no caseworker), so
new complaints can be picked up; the moment a caseworker is assigned, the case leaves the pool.
Administrators and organisers see no case content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from fairhearing.accounts.models import Role
from fairhearing.core.actors import Actor
from fairhearing.core.errors import NotPermitted

if TYPE_CHECKING:
    from fairhearing.accounts.models import User
    from fairhearing.cases.models import Case
    from fairhearing.workflow.process import Transition

INTAKE_STAGES = ("received", "triage")
CASE_ROLES = (Role.CASEWORKER, Role.PANEL, Role.REVIEWER)


def _assigned(user: User) -> Q:
    from fairhearing.cases.models import Assignment

    return Q(Exists(Assignment.objects.filter(case=OuterRef("pk"), user=user, active=True)))


def _in_pool() -> Q:
    from fairhearing.cases.models import Assignment

    has_caseworker = Exists(
        Assignment.objects.filter(case=OuterRef("pk"), role=Assignment.Role.CASEWORKER, active=True)
    )
    return Q(stage__in=INTAKE_STAGES, closed=False) & ~Q(has_caseworker)


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case this user may open. Deny by default: unknown roles see nothing."""
    from fairhearing.cases.models import Case

    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role == Role.OVERSEER:
        return Case.objects.all()
    if user.role == Role.CASEWORKER:
        return Case.objects.filter(_assigned(user) | _in_pool())
    if user.role in (Role.PANEL, Role.REVIEWER):
        return Case.objects.filter(_assigned(user))
    return Case.objects.none()


def can_view_case(user: User, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def is_assigned(user: User, case: Case, role: str | None = None) -> bool:
    from fairhearing.cases.models import Assignment

    query = Assignment.objects.filter(case=case, user=user, active=True)
    if role is not None:
        query = query.filter(role=role)
    return query.exists()


def can_manage_case(user: User, case: Case) -> bool:
    """Caseworker actions (pause, fast-track, notes, assignment): the assigned caseworker, or any
    caseworker while the case is in the unassigned intake pool."""
    if user.role != Role.CASEWORKER or not user.is_active:
        return False
    return visible_cases(user).filter(pk=case.pk).exists()


def require_manage(actor: Actor, case: Case) -> None:
    if actor.user is None or not can_manage_case(actor.user, case):
        raise NotPermitted("Only the caseworker assigned to this case can do that.")


def may_take(actor: Actor, case: Case, transition: Transition) -> bool:
    """Whether the actor's role is listed on the transition and the actor may act on this case."""
    if actor.user is None:
        return actor.kind in transition.roles
    user = actor.user
    role = str(user.role)
    if role not in transition.roles or not user.is_active:
        return False
    if role == Role.CASEWORKER:
        return can_manage_case(user, case)
    if role in (Role.PANEL, Role.REVIEWER):
        return is_assigned(user, case, role)
    return False


def require_take(actor: Actor, case: Case, transition: Transition) -> None:
    if not may_take(actor, case, transition):
        roles = ", ".join(transition.roles)
        raise NotPermitted(f"'{transition.label}' can only be taken by someone assigned to this case as: {roles}.")
