"""Reads for the decision workspace: the current panel, the decision on file, and how earlier
cases on the same clauses were sanctioned (anonymised: counts and terms, never who or which)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import Assignment, Case
from fairhearing.decisions.catalogue import get_catalogue
from fairhearing.decisions.models import (
    Appeal,
    Decision,
    Finding,
    Hearing,
    Interest,
    Panel,
    PoolMember,
)

#: Fewer earlier decisions than this on a clause are shown as "fewer than 3", so a precedent
#: cannot point to one identifiable case.
PRECEDENT_MINIMUM = 3


@dataclass(frozen=True)
class Precedent:
    clause: str
    outcome: str
    outcome_label: str
    count: int | None  # None: suppressed, fewer than PRECEDENT_MINIMUM
    shortest_months: int | None
    longest_months: int | None


def precedents(clause_identifiers: Iterable[str], *, exclude_case: Case | None = None) -> list[Precedent]:
    """Issued decisions in other cases with an upheld finding under each clause, counted by
    outcome. Small counts are suppressed."""
    identifiers = sorted(set(clause_identifiers))
    findings = Finding.objects.filter(upheld=True, clause__identifier__in=identifiers, decision__status=Decision.Status.ISSUED)
    if exclude_case is not None:
        findings = findings.exclude(decision__case=exclude_case)
    grouped: dict[tuple[str, str], dict[int, int | None]] = defaultdict(dict)
    for identifier, decision_id, outcome, term in findings.values_list("clause__identifier", "decision_id", "decision__outcome", "decision__term_months"):
        grouped[(identifier, outcome)][decision_id] = term
    catalogue = get_catalogue()
    out = []
    for (identifier, outcome), decisions in sorted(grouped.items(), key=lambda kv: (kv[0][0], catalogue.sanctions[kv[0][1]].severity if kv[0][1] in catalogue.sanctions else 0)):
        terms = [t for t in decisions.values() if t]
        shown = len(decisions) >= PRECEDENT_MINIMUM
        out.append(Precedent(
            clause=identifier,
            outcome=outcome,
            outcome_label=catalogue.sanctions[outcome].label if outcome in catalogue.sanctions else outcome,
            count=len(decisions) if shown else None,
            shortest_months=min(terms) if shown and terms else None,
            longest_months=max(terms) if shown and terms else None,
        ))
    return out


def current_panel(case: Case, purpose: str | None = None) -> Panel | None:
    panels = Panel.objects.filter(case=case, ended_at__isnull=True)
    if purpose:
        panels = panels.filter(purpose=purpose)
    return panels.order_by("-drawn_at").first()


def latest_decision(case: Case) -> Decision | None:
    return Decision.objects.filter(case=case).exclude(status=Decision.Status.VETOED).order_by("-recorded_at").first()


def issued_decision(case: Case) -> Decision | None:
    return Decision.objects.filter(case=case, status=Decision.Status.ISSUED).order_by("-issued_at").first()


def case_hearing(case: Case) -> Hearing | None:
    return Hearing.objects.filter(case=case).order_by("-id").first()


def case_appeals(case: Case) -> QuerySet[Appeal]:
    return Appeal.objects.filter(case=case).order_by("lodged_at")


def case_reviewer(case: Case) -> User | None:
    """The independent reviewer currently assigned to the case, if any."""
    assignment = Assignment.objects.filter(case=case, role=Assignment.Role.REVIEWER, active=True).select_related("user").first()
    return assignment.user if assignment is not None else None


def pool_entries() -> QuerySet[PoolMember]:
    """Everyone who is or was in the panel and reviewer pool, with their declared interests (in
    force, oldest first) and how many current panels they sit on; by role, then name."""
    return (
        PoolMember.objects.select_related("user", "member")
        .prefetch_related(Prefetch("interests", queryset=Interest.objects.filter(withdrawn_at__isnull=True).order_by("declared_at", "id")))
        .annotate(current_seats=Count("user__panel_seats", filter=Q(user__panel_seats__recused_at__isnull=True,
                                                                   user__panel_seats__panel__ended_at__isnull=True)))
        .order_by("user__role", "user__display_name", "user__username")
    )


def pool_candidates() -> QuerySet[User]:
    """Active panel members and reviewers who are not in the pool now: never added, or taken out."""
    return (
        User.objects.filter(role__in=(Role.PANEL, Role.REVIEWER), is_active=True)
        .exclude(pk__in=PoolMember.objects.filter(removed_at__isnull=True).values("user_id"))
        .order_by("role", "display_name", "username")
    )
