"""Writes to the sanctions registry, the tick hook that ends lapsed sanctions, and the platform
check. The platform check answers match / possible match / no match with a score, and never why:
the reason for a sanction is not the organiser's business."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from fairhearing.accounts.models import Role
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Party
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


def _subject(entry: SanctionEntry) -> str:
    return f"sanction:{entry.public_id}"


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
    """Put a sanction on the registry. Called by the decision services (and open to interim
    suspension); an expulsion has no end date, a suspension must have one."""
    if kind not in SanctionEntry.Kind.values:
        raise DomainError(f"Unknown sanction kind {kind!r}; use one of {', '.join(SanctionEntry.Kind.values)}.")
    if not name.strip():
        raise DomainError("A registry entry needs the person's name.")
    if kind == SanctionEntry.Kind.SUSPENDED and (ends_on is None or ends_on <= starts_on):
        raise DomainError("A suspension needs an end date after its start date.")
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
    )
    audit_append(
        actor=actor,
        action="registry.entry_created",
        subject=_subject(entry),
        payload={"kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None,
                 "case": f"case:{case.public_id}" if case is not None else None},
    )
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
    entry = SanctionEntry.objects.get(pk=entry_id)
    audit_append(actor=actor, action="registry.entry_ended", subject=_subject(entry), payload={"reason": reason})
    return True


def sanctions_end_for_decision(*, actor: Actor, decision: Decision, reason: str) -> int:
    """End the active entries that came from a decision (an appeal allowed or substituted)."""
    ids = list(SanctionEntry.objects.filter(source_decision=decision, ended_at__isnull=True).values_list("pk", flat=True))
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
