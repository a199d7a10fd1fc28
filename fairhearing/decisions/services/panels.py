"""The panel pool, declared interests, the random draw, recusal and the reviewer's draw."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import require_manage
from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Assignment, Case
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.decisions.catalogue import get_catalogue
from fairhearing.decisions.eligibility import eligibility
from fairhearing.decisions.models import Interest, Panel, PoolMember, Review, Seat

MIN_REASON_LENGTH = 10
DRAW_METHOD = "secrets.SystemRandom().sample over the eligible list sorted by public id"


def subject(case: Case) -> str:
    return f"case:{case.public_id}"


def end_assignment(case: Case, user: User, role: str) -> None:
    Assignment.objects.filter(case=case, user=user, role=role, active=True).update(active=False, ended_at=clock.now())


def _require_admin(actor: Actor) -> None:
    if actor.user is None or actor.user.role != Role.ADMIN or not actor.user.is_active:
        raise NotPermitted("Only an administrator manages the panel and reviewer pool.")


@transaction.atomic
def pool_member_set(*, actor: Actor, user: User, training_valid_until: date | None, member_id: int | None = None) -> PoolMember:
    """Add a panel member or reviewer to the pool (or back to it), or update their training date
    and membership record (administrators)."""
    _require_admin(actor)
    if user.role not in (Role.PANEL, Role.REVIEWER):
        raise DomainError(f"{user} is not a panel member or reviewer; change their role first.")
    entry = PoolMember.objects.select_for_update().filter(user=user).first()
    created = entry is None
    returned = entry is not None and entry.removed_at is not None
    if entry is None:
        entry = PoolMember(user=user)
    if created or returned:
        entry.added_at = clock.now()
    entry.training_valid_until = training_valid_until
    entry.member_id = member_id
    entry.removed_at = None
    entry.save()
    audit_append(
        actor=actor,
        action="pool.member_set",
        subject=f"user:{user.public_id}",
        payload={"created": created, "returned": returned,
                 "training_valid_until": training_valid_until.isoformat() if training_valid_until else None},
    )
    return entry


@transaction.atomic
def pool_member_remove(*, actor: Actor, user: User) -> PoolMember:
    """Take a panel member or reviewer out of the pool (administrators): they are never drawn
    again until added back. Seats they already hold stand; their declared interests stay on the
    record. The row is kept, so the pool's history can be read back."""
    _require_admin(actor)
    entry = PoolMember.objects.select_for_update().filter(user=user, removed_at__isnull=True).first()
    if entry is None:
        raise DomainError(f"{user} is not in the pool, so there is nothing to remove.")
    entry.removed_at = clock.now()
    entry.save(update_fields=["removed_at"])
    seats = Seat.objects.filter(user=user, recused_at__isnull=True, panel__ended_at__isnull=True).count()
    audit_append(actor=actor, action="pool.member_removed", subject=f"user:{user.public_id}", payload={"current_seats": seats})
    return entry


@transaction.atomic
def interest_declare(*, actor: Actor, kind: str, value: str = "", case: Case | None = None) -> Interest:
    """A pool member declares an interest in their own name. It applies to every later draw."""
    user = actor.user
    entry = PoolMember.objects.filter(user=user, removed_at__isnull=True).first() if user is not None else None
    if entry is None:
        raise NotPermitted("Only members of the panel and reviewer pool declare interests here.")
    if kind not in Interest.Kind.values:
        raise MissingInformation(f"Choose what the interest is in: {', '.join(Interest.Kind.values)}.", field="kind")
    if kind == Interest.Kind.CASE:
        if case is None:
            raise MissingInformation("Name the case the interest is in.", field="case")
        value = value or case.reference
    elif not value.strip():
        raise MissingInformation("Say who or what the interest is in.", field="value")
    interest = Interest.objects.create(pool_member=entry, kind=kind, value=value.strip()[:300], case=case, declared_at=clock.now())
    audit_append(
        actor=actor,
        action="pool.interest_declared",
        subject=f"user:{entry.user.public_id}",
        payload={"interest": interest.pk, "kind": kind},
    )
    return interest


def _seat(panel: Panel, users: list[User]) -> None:
    now = clock.now()
    for user in users:
        Seat.objects.create(panel=panel, user=user, seated_at=now)
        Assignment.objects.create(case=panel.case, user=user, role=Assignment.Role.PANEL, assigned_at=now)


def _fill(*, actor: Actor, panel: Panel, reason: str) -> list[User]:
    """Draw the panel's empty seats at random from the eligible list; audit both lists."""
    case = panel.case
    need = panel.size - panel.seats.filter(recused_at__isnull=True).count()
    if need <= 0:
        return []
    found = eligibility(case, Role.PANEL)
    if len(found.eligible) < need:
        raise DomainError(
            f"A panel cannot be drawn: {need} more member{'s are' if need != 1 else ' is'} needed but only "
            f"{len(found.eligible)} {'is' if len(found.eligible) == 1 else 'are'} eligible. Excluded: {found.explain()}. "
            "Ask the administrator to add trained members to the pool or renew training."
        )
    chosen = secrets.SystemRandom().sample(found.eligible, need)
    _seat(panel, chosen)
    audit_append(
        actor=actor,
        action="panel.drawn",
        subject=subject(case),
        payload={
            "panel": str(panel.public_id),
            "purpose": panel.purpose,
            "reason": reason,
            "method": DRAW_METHOD,
            "eligible": [str(u.public_id) for u in found.eligible],
            "excluded": found.excluded,
            "chosen": sorted(str(u.public_id) for u in chosen),
        },
    )
    return chosen


def retire_panels(case: Case, purpose: str) -> None:
    """End a case's active panels of one purpose and their members' assignments."""
    now = clock.now()
    for panel in Panel.objects.filter(case=case, purpose=purpose, ended_at__isnull=True):
        panel.ended_at = now
        panel.save(update_fields=["ended_at"])
        for seat in panel.seats.filter(recused_at__isnull=True).select_related("user"):
            end_assignment(case, seat.user, Assignment.Role.PANEL)


@transaction.atomic
def panel_draw(*, actor: Actor, case: Case, size: int | None = None) -> Panel:
    """Draw a panel (decision or appeal, by the case's stage) of ``size`` members, default from the
    catalogue; or fill the empty seats of the current one. Raises a DomainError saying why when
    too few members are eligible. The assigned caseworker draws."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_manage(actor, case)
    purposes = {"decision": Panel.Purpose.DECISION, "appeal": Panel.Purpose.APPEAL}
    purpose = purposes.get(case.stage)
    if purpose is None:
        raise DomainError("A panel is drawn when the case is at 'Panel decision' or 'Appeal'.")
    size = size or get_catalogue().panel_size
    if size < 1:
        raise DomainError("A panel needs at least one member.")
    panel = Panel.objects.filter(case=case, purpose=purpose, ended_at__isnull=True).first()
    if panel is not None and panel.seats.filter(recused_at__isnull=True).count() >= panel.size:
        raise DomainError("This case already has a full panel; a member who cannot sit must recuse.")
    if purpose == Panel.Purpose.APPEAL:
        retire_panels(case, Panel.Purpose.DECISION)
    if panel is None:
        panel = Panel.objects.create(case=case, purpose=purpose, size=size, drawn_at=clock.now())
    _fill(actor=actor, panel=panel, reason="draw")
    return panel


@transaction.atomic
def panel_recuse(*, actor: Actor, case: Case, reason: str) -> User | None:
    """A seated panel member steps down with a reason; a replacement is drawn at once.

    The recusal always stands. Returns the replacement, or None when nobody is eligible: the
    panel is then short and the caseworker draws again when the pool allows."""
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(f"Give the reason for stepping down (at least {MIN_REASON_LENGTH} characters).", field="reason")
    seat = (
        Seat.objects.select_related("panel")
        .filter(panel__case=case, panel__ended_at__isnull=True, user=actor.user, recused_at__isnull=True)
        .first()
    )
    if seat is None or actor.user is None:
        raise NotPermitted("Only a member sitting on this case's current panel can recuse from it.")
    seat.recused_at = clock.now()
    seat.recusal_reason = reason.strip()
    seat.save(update_fields=["recused_at", "recusal_reason"])
    end_assignment(case, actor.user, Assignment.Role.PANEL)
    audit_append(actor=actor, action="panel.recused", subject=subject(case), payload={
        "panel": str(seat.panel.public_id),
        "reason": stated_reason_create(action="panel.recused", field="reason", text=seat.recusal_reason, case=case),
    })
    try:
        with transaction.atomic():
            chosen = _fill(actor=actor, panel=seat.panel, reason="replacement after recusal")
    except DomainError as error:
        audit_append(actor=actor, action="panel.short", subject=subject(case), payload={
            "panel": str(seat.panel.public_id), "why": stated_reason_create(action="panel.short", field="why", text=error.message, case=case),
        })
        return None
    return chosen[0] if chosen else None


def returning_reviewer(case: Case) -> User | None:
    """The reviewer who vetoed the case's last vetoed decision, if they may review the fresh
    panel's decision: their only exclusion is having been involved, and only as this case's
    reviewer (never on a panel or in another role). Otherwise None, and a reviewer is drawn."""
    vetoed = Review.objects.filter(decision__case=case, verdict=Review.Verdict.VETOED).select_related("reviewer").order_by("-reviewed_at", "-id").first()
    if vetoed is None:
        return None
    user = vetoed.reviewer
    if eligibility(case, Role.REVIEWER).excluded.get(str(user.public_id)) != ["involved_earlier"]:
        return None
    if Seat.objects.filter(panel__case=case, user=user).exists() or Assignment.objects.filter(case=case, user=user).exclude(role=Assignment.Role.REVIEWER).exists():
        return None
    return user


def draw_reviewer(*, actor: Actor, case: Case) -> User:
    """Assign a reviewer: after a veto, the reviewer who vetoed, when they still may
    (``returning_reviewer``); otherwise one drawn at random from eligible reviewers (not
    involved, no conflict, trained). Runs inside the caller's transaction."""
    returning = returning_reviewer(case)
    if returning is not None:
        Assignment.objects.create(case=case, user=returning, role=Assignment.Role.REVIEWER, assigned_at=clock.now())
        audit_append(actor=actor, action="review.reviewer_returned", subject=subject(case), payload={"chosen": str(returning.public_id)})
        return returning
    found = eligibility(case, Role.REVIEWER)
    if not found.eligible:
        raise DomainError(
            f"No independent reviewer is eligible for this case. Excluded: {found.explain()}. "
            "Ask the administrator to add a trained reviewer to the pool."
        )
    reviewer = secrets.choice(found.eligible)
    Assignment.objects.create(case=case, user=reviewer, role=Assignment.Role.REVIEWER, assigned_at=clock.now())
    audit_append(
        actor=actor,
        action="review.reviewer_drawn",
        subject=subject(case),
        payload={"method": "secrets.choice", "eligible": [str(u.public_id) for u in found.eligible], "excluded": found.excluded, "chosen": str(reviewer.public_id)},
    )
    return reviewer


@transaction.atomic
def reviewer_draw(*, actor: Actor, case: Case) -> User:
    """The caseworker draws a reviewer for a case awaiting review that has none."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_manage(actor, case)
    if case.stage != "review":
        raise DomainError("A reviewer is drawn when the case is at 'Independent review'.")
    if Assignment.objects.filter(case=case, role=Assignment.Role.REVIEWER, active=True).exists():
        raise DomainError("This case already has a reviewer.")
    return draw_reviewer(actor=actor, case=case)
