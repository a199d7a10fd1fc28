"""Writes to the sanctions registry, the tick hooks that end lapsed sanctions and bring members'
status into line, and the platform check. The platform check answers match / possible match /
no match with a score, and never why: the reason for a sanction is not the organiser's business.

A member's ``status`` on the membership list follows the registry: every write here that puts a
sanction in force or ends one calls ``member_status_sync`` in the same transaction, so the list
and the platform check never disagree about a member the registry names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from fairhearing.accounts.models import Role
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Member, Party
from fairhearing.core import clock
from fairhearing.core.actors import SYSTEM, Actor
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.registry.models import SanctionEntry

if TYPE_CHECKING:
    from fairhearing.decisions.models import Decision
    from fairhearing.registry.matching_types import MatchResult

#: Decision outcomes that enter the registry, and the kind of entry each makes.
REGISTRY_KINDS = {"suspension": SanctionEntry.Kind.SUSPENDED, "expulsion": SanctionEntry.Kind.EXPELLED}
#: Most names one platform check may ask about (the parser's MAX_SPEAKERS), so one request cannot walk the registry name by name at will.
MAX_CHECK_ITEMS = 5000
CHECK_ROLES = (Role.ORGANISER, Role.OVERSEER)


#: The member status each kind of entry imposes; an expulsion outranks a suspension.
STATUS_FOR_KIND = {SanctionEntry.Kind.EXPELLED: Member.Status.EXPELLED, SanctionEntry.Kind.SUSPENDED: Member.Status.SUSPENDED}
SANCTIONED_STATUSES = (Member.Status.SUSPENDED, Member.Status.EXPELLED)


def _subject(entry: SanctionEntry) -> str:
    return f"sanction:{entry.public_id}"


def _imposed_status(member: Member, on: date) -> str | None:
    """The status the entries in force for ``member`` on ``on`` impose, or None when none is."""
    kinds = set(active_entries(on).filter(member=member).values_list("kind", flat=True))
    if SanctionEntry.Kind.EXPELLED in kinds:
        return Member.Status.EXPELLED
    if SanctionEntry.Kind.SUSPENDED in kinds:
        return Member.Status.SUSPENDED
    return None


def member_status_sync(*, actor: Actor, member: Member, entry: SanctionEntry, cause: str) -> str | None:
    """Set ``member.status`` from the sanctions in force for them today, and audit the change.

    ``entry`` is the entry whose start or end prompted the call, and ``cause`` a code for what
    happened to it (``sanction_started``, ``sanction_ended``, ``aligned``). While a sanction is in force the
    status is the one it imposes (expelled outranks suspended). When none is left, a status the
    registry imposed goes back to what it was before the run of sanctions began (so a lapsed
    member stays lapsed); a suspended or expelled status that did not come from the registry (the
    organisation's own membership list said so) is left alone. Runs inside the caller's
    transaction; returns the new status, or None when nothing changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    target = _imposed_status(member, clock.today())
    if target is None:
        if member.status != STATUS_FOR_KIND.get(entry.kind):  # type: ignore[call-overload]
            return None
        target = entry.member_status_before or Member.Status.ACTIVE
    if target == member.status:
        return None
    before = member.status
    member.status = target
    member.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="registry.member_status_changed",
        subject=f"member:{member.public_id}",
        payload={"from": before, "to": target, "sanction": str(entry.public_id), "cause": cause},
    )
    return target


def _status_before(member: Member, today: date) -> str:
    """What a new entry restores when it ends: the status before the current run of sanctions
    (the one the entries already in force carry), or the member's status now when none is."""
    running = active_entries(today).filter(member=member).order_by("created_at", "id").first()
    if running is not None:
        return running.member_status_before or Member.Status.ACTIVE
    return member.status


@transaction.atomic
def sanction_entry_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    starts_on: date,
    ends_on: date | None,
    membership_number: str = "",
    member: Any = None,
    case: Any = None,
    decision: Decision | None = None,
) -> SanctionEntry:
    """Put a sanction on the registry. Called by the decision services, which check who may act
    (an interim suspension is an entry with a case and no decision; docs/decisions.md); an
    expulsion has no end date, a suspension must have one. Without a member record, an exact
    membership number on the list supplies it. The member's status follows at once when the
    entry is already in force, or on the tick of its first day."""
    if kind not in SanctionEntry.Kind.values:
        raise DomainError(f"Unknown sanction kind {kind!r}; use one of {', '.join(SanctionEntry.Kind.values)}.")
    if not name.strip():
        raise DomainError("A registry entry needs the person's name.")
    if kind == SanctionEntry.Kind.SUSPENDED and (ends_on is None or ends_on <= starts_on):
        raise DomainError("A suspension needs an end date after its start date.")
    if member is None and membership_number.strip():
        # The complaint gave a number the membership list now holds: tie the entry to that
        # member, so their status follows it.
        member = Member.objects.filter(membership_number=membership_number.strip()).first()
    entry = SanctionEntry.objects.create(
        member=member,
        name=name.strip(),
        membership_number=membership_number.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        case=case,
        source_decision=decision,
        created_at=clock.now(),
        member_status_before=_status_before(member, clock.today()) if member is not None else "",
    )
    audit_append(
        actor=actor,
        action="registry.entry_created",
        subject=_subject(entry),
        payload={"kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None,
                 "case": f"case:{case.public_id}" if case is not None else None},
    )
    if member is not None and starts_on <= clock.today():
        member_status_sync(actor=actor, member=member, entry=entry, cause="sanction_started")
    return entry


def sanction_from_decision(*, actor: Actor, decision: Decision) -> list[SanctionEntry]:
    """Enter an issued suspension or expulsion for each respondent, from today. Runs inside the
    caller's transaction; other outcomes enter nothing."""
    from fairhearing.decisions.dates import add_months

    kind = REGISTRY_KINDS.get(decision.outcome)
    if kind is None:
        return []
    today = clock.today()
    ends_on = add_months(today, decision.term_months) if kind == SanctionEntry.Kind.SUSPENDED and decision.term_months else None
    entries = []
    for party in decision.case.parties.filter(kind=Party.Kind.RESPONDENT).select_related("member"):
        member = party.member
        entries.append(sanction_entry_create(
            actor=actor, kind=kind, name=member.name if member else party.name,
            membership_number=member.membership_number if member else _complaint_number(decision),
            member=member, case=decision.case, decision=decision, starts_on=today, ends_on=ends_on,
        ))
    return entries


def _complaint_number(decision: Decision) -> str:
    complaint = decision.case.complaints.exclude(respondent_membership_number="").first()
    return complaint.respondent_membership_number if complaint else ""


def _end(entry_id: int, reason: str, actor: Actor) -> bool:
    claimed = SanctionEntry.objects.filter(pk=entry_id, ended_at__isnull=True).update(ended_at=clock.now(), ended_reason=reason)
    if not claimed:
        return False
    entry = SanctionEntry.objects.select_related("member").get(pk=entry_id)
    audit_append(actor=actor, action="registry.entry_ended", subject=_subject(entry), payload={"reason": reason})
    if entry.member is not None:
        member_status_sync(actor=actor, member=entry.member, entry=entry, cause="sanction_ended")
    return True


def sanctions_end_for_decision(*, actor: Actor, decision: Decision, reason: str) -> int:
    """End the active entries that came from a decision (an appeal allowed or substituted)."""
    ids = list(SanctionEntry.objects.filter(source_decision=decision, ended_at__isnull=True).values_list("pk", flat=True))
    return sum(_end(pk, reason, actor) for pk in ids)


def sanctions_end_interim(*, actor: Actor, case: Any, reason: str) -> int:
    """End the interim suspensions on a case (entries with the case and no decision), when the
    written decision that replaces them is issued. Runs inside the caller's transaction."""
    ids = list(SanctionEntry.objects.filter(case=case, source_decision__isnull=True, ended_at__isnull=True).values_list("pk", flat=True))
    return sum(_end(pk, reason, actor) for pk in ids)


def sanctions_end_lapsed(*, batch: int = 1000) -> int:
    """Tick hook: end every entry whose end date has come. Each row is claimed with a conditional
    UPDATE, so two ticks at once end (and audit) it exactly once. Returns how many ended."""
    today = clock.today()
    ended = 0
    for pk in SanctionEntry.objects.filter(ended_at__isnull=True, ends_on__lte=today).values_list("pk", flat=True)[:batch]:
        with transaction.atomic():
            ended += _end(pk, "the term ended", SYSTEM)
    return ended


def member_statuses_align(*, batch: int = 1000) -> int:
    """Tick hook: give every member named by a sanction in force the status it imposes. Catches
    an entry whose start date has come (entered ahead of time) and a membership list re-imported
    over a sanction. Each member is synced in its own transaction under a row lock, so two ticks
    at once change (and audit) it once. Returns how many members changed."""
    today = clock.today()
    out_of_line = (
        active_entries(today).filter(member__isnull=False)
        .exclude(member__status=Member.Status.EXPELLED)
        .exclude(kind=SanctionEntry.Kind.SUSPENDED, member__status=Member.Status.SUSPENDED)
        .order_by("member_id", "kind", "id")
    )
    changed = 0
    seen: set[int] = set()
    for entry in out_of_line.select_related("member")[:batch]:
        if entry.member_id in seen:
            continue
        seen.add(entry.member_id)  # type: ignore[arg-type]
        with transaction.atomic():
            changed += member_status_sync(actor=SYSTEM, member=entry.member, entry=entry, cause="aligned") is not None  # type: ignore[arg-type]
    return changed


def active_entries(on: date | None = None) -> QuerySet[SanctionEntry]:
    """Sanctions in force on a date: started, not ended, and before their end date."""
    on = on or clock.today()
    return SanctionEntry.objects.filter(ended_at__isnull=True, starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def _item(item: Any) -> tuple[str, str | None]:
    if isinstance(item, (tuple, list)):
        name, number = (item[0], item[1] if len(item) > 1 else None)
    else:
        name, number = item.name, getattr(item, "membership_number", None)
    return str(name), (str(number) if number else None)


@transaction.atomic
def platform_check(*, actor: Actor, items: Iterable[Any]) -> list[MatchResult]:
    """Answer each (name, membership number or None) with match / possible match / no match and a
    score, against the sanctions in force today. Organisers, overseers and system callers (the
    command, the API) may check. The audit event records who checked how many names and the
    verdict counts, not the names."""
    from fairhearing.registry.matching import MatchIndex
    from fairhearing.registry.matching_types import RegistryName

    allowed = (actor.user is None and actor.kind == "system") or (actor.user is not None and actor.user.role in CHECK_ROLES)
    if not allowed:
        raise NotPermitted("Only event organisers and overseers can run the platform check.")
    queries = [_item(i) for i in items]
    if not queries:
        raise DomainError("Give at least one name to check, one per line.")
    if len(queries) > MAX_CHECK_ITEMS:
        raise DomainError(f"Check at most {MAX_CHECK_ITEMS} names at once; split the list.")
    index = MatchIndex(
        RegistryName(entry_id=str(e.public_id), name=e.name, membership_number=e.membership_number or None)
        for e in active_entries()
    )
    results = index.match_many(queries)
    counts = Counter(str(r.verdict) for r in results)
    audit_append(actor=actor, action="registry.checked", subject="registry:platform-check",
                 payload={"names": len(results), "verdicts": dict(sorted(counts.items()))})
    return results
