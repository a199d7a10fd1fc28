"""Need-to-know access: the one place that says who may see and do what with a case.

A staff member sees a case only when assigned to it (caseworker, panel, reviewer) or as overseer.
Caseworkers also see the unassigned intake pool (cases in the intake stages with no caseworker), so
new complaints can be picked up; the moment a caseworker is assigned, the case leaves the pool.
Administrators and organisers see no case content.

Break-glass: a caseworker, panel member or reviewer who needs an unassigned case urgently may
take a time-limited, reasoned, audited grant (``fairhearing.audit.services.break_glass_grant``)
that every overseer is told about. A grant gives sight of the case only, never the right to act
on it. Only the overseer reads the audit log, the oversight dashboard and the contact register;
any staff member may record an external contact about a case they can see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import In

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


def has_intake_caseworker() -> Exists:
    """For a case in an intake stage: whether a caseworker is actively assigned to it.

    The stage test inside the subquery refers to the outer row. That keeps PostgreSQL from
    turning the NOT EXISTS into a hash of every active caseworker assignment in the organisation,
    rebuilt by every queue query (0.1 s at 100,000 cases and growing with the table); instead it
    probes the assignment index for the intake-stage rows it meets (docs/performance.md)."""
    from fairhearing.cases.models import Assignment

    return Exists(Assignment.objects.filter(
        In(OuterRef("stage"), INTAKE_STAGES), case=OuterRef("pk"), role=Assignment.Role.CASEWORKER, active=True,
    ))


def _in_pool() -> Q:
    return Q(stage__in=INTAKE_STAGES, closed=False) & ~Q(has_intake_caseworker())


def _granted(user: User) -> Q:
    """Cases this user holds an active (unexpired, not ended) break-glass grant for."""
    from fairhearing.audit.models import BreakGlassGrant
    from fairhearing.core import clock

    return Q(
        Exists(
            BreakGlassGrant.objects.filter(
                case=OuterRef("pk"), user=user, ended_at__isnull=True, expires_at__gt=clock.now()
            )
        )
    )


def _working_scope(user: User) -> Q | None:
    """The cases a staff member may see by their role alone (no grants); None means none."""
    if user.role == Role.CASEWORKER:
        return _assigned(user) | _in_pool()
    if user.role in (Role.PANEL, Role.REVIEWER):
        return _assigned(user)
    return None


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case this user may open. Deny by default: unknown roles see nothing."""
    from fairhearing.cases.models import Case

    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role == Role.OVERSEER:
        return Case.objects.all()
    scope = _working_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope | _granted(user))


def may_break_glass(user: User) -> bool:
    """Whether this user may ask for break-glass access at all (case roles only: an
    administrator or organiser never sees case content, and the overseer already sees all)."""
    return bool(user.is_authenticated and user.is_active and user.role in CASE_ROLES)


def has_active_grant(user: User, case: Case) -> bool:
    """Whether the user sees ``case`` through a break-glass grant rather than by assignment."""
    from fairhearing.cases.models import Case

    return Case.objects.filter(pk=case.pk).filter(_granted(user)).exists()


def is_overseer(user: User) -> bool:
    """The overseer alone reads the audit log, the dashboard and the external contact register."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.OVERSEER)


def require_overseer(actor: Actor) -> None:
    if actor.user is None or not is_overseer(actor.user):
        raise NotPermitted("Only the overseer can see this.")


def may_record_contact(user: User, case: Case) -> bool:
    """Any staff member who can see the case records an outside contact about it."""
    return can_view_case(user, case)


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
    # The role's own scope, not visible_cases: a break-glass grant shows a case but never
    # lets its holder act on it.
    scope = _working_scope(user)
    from fairhearing.cases.models import Case

    return scope is not None and Case.objects.filter(scope, pk=case.pk).exists()


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
