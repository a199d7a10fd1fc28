"""Who may sit on a panel or review a case: the exclusion rules of the draw, as one read.

A pool member is excluded when any of these holds (each has a code, recorded in the audit log):

- ``not_in_pool``: the account is inactive, has another role, has no pool entry, or was taken
  out of the pool;
- ``training_lapsed``: no training date, or it ended before today;
- ``involved_earlier``: the person has held any role on this case before (caseworker, an earlier
  panel, reviewer), or recused from it;
- ``conflict_party``: they are themselves a party, or declared an interest in a party (a person,
  by name or membership number), in a party's branch, region or group, or in this very case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from fairhearing.accounts.models import User
from fairhearing.cases.models import Assignment, Case, Party
from fairhearing.core import clock
from fairhearing.decisions.models import Interest, PoolMember, Seat

RULES = {
    "not_in_pool": "not in the pool (inactive account, another role, no pool entry, or taken out of the pool)",
    "training_lapsed": "training has lapsed or was never recorded",
    "involved_earlier": "involved in this case before",
    "conflict_party": "declared a conflict with a party or this case",
}


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class PartyFacts:
    """What a case says about its parties, normalised for comparison with declared interests."""

    names: frozenset[str]
    numbers: frozenset[str]
    branches: frozenset[str]
    regions: frozenset[str]
    texts: tuple[str, ...]
    member_ids: frozenset[int]


def party_facts(case: Case) -> PartyFacts:
    names: set[str] = set()
    numbers: set[str] = set()
    branches: set[str] = set()
    regions: set[str] = set()
    texts: list[str] = []
    member_ids: set[int] = set()
    for party in Party.objects.filter(case=case).select_related("member"):
        if party.name:
            names.add(_norm(party.name))
        if party.member is not None:
            member_ids.add(party.member.pk)
            names.add(_norm(party.member.name))
            numbers.add(_norm(party.member.membership_number))
            if party.member.branch:
                branches.add(_norm(party.member.branch))
            if party.member.region:
                regions.add(_norm(party.member.region))
            if party.member.role:
                texts.append(_norm(party.member.role))
    for complaint in case.complaints.all():
        names.add(_norm(complaint.respondent_name))
        if complaint.complainant_name:
            names.add(_norm(complaint.complainant_name))
        if complaint.respondent_membership_number:
            numbers.add(_norm(complaint.respondent_membership_number))
        if complaint.respondent_branch_or_role:
            texts.append(_norm(complaint.respondent_branch_or_role))
    return PartyFacts(frozenset(names), frozenset(numbers), frozenset(branches), frozenset(regions), tuple(texts), frozenset(member_ids))


def _mentions(texts: tuple[str, ...], value: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
    return any(pattern.search(text) for text in texts)


def interest_conflicts(interest: Interest, case: Case, facts: PartyFacts) -> bool:
    """Whether one declared interest conflicts with this case's parties."""
    value = _norm(interest.value)
    kind = interest.kind
    if kind == Interest.Kind.CASE:
        return interest.case_id == case.pk
    if not value:
        return False
    if kind == Interest.Kind.PERSON:
        return value in facts.names or value in facts.numbers
    if kind == Interest.Kind.BRANCH:
        return value in facts.branches or _mentions(facts.texts, value)
    if kind == Interest.Kind.REGION:
        return value in facts.regions or _mentions(facts.texts, value)
    if kind == Interest.Kind.GROUP:
        return _mentions(facts.texts, value)
    return False  # free text is for the record, read by the caseworker


@dataclass
class Eligibility:
    eligible: list[User] = field(default_factory=list)
    excluded: dict[str, list[str]] = field(default_factory=dict)  # user public id -> rule codes

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(RULES, 0)
        for codes in self.excluded.values():
            for code in codes:
                out[code] += 1
        return out

    def explain(self) -> str:
        parts = [f"{n} {RULES[code]}" for code, n in self.counts().items() if n]
        return "; ".join(parts) if parts else "nobody was excluded"


def involved_user_ids(case: Case) -> set[int]:
    """Everyone who has held any role on the case, including recused panel members."""
    ids = set(Assignment.objects.filter(case=case).values_list("user_id", flat=True))
    ids |= set(Seat.objects.filter(panel__case=case).values_list("user_id", flat=True))
    return ids


def eligibility(case: Case, role: str, today: date | None = None) -> Eligibility:
    """Sort every account with ``role`` into eligible and excluded (with all the rules that apply),
    in a stable order so the recorded eligible list is reproducible."""
    today = today or clock.today()
    facts = party_facts(case)
    involved = involved_user_ids(case)
    pool = {p.user_id: p for p in PoolMember.objects.filter(user__role=role).prefetch_related("interests")}
    result = Eligibility()
    for user in User.objects.filter(role=role).order_by("public_id"):
        codes: list[str] = []
        entry = pool.get(user.pk)
        if entry is None or entry.removed_at is not None or not user.is_active:
            codes.append("not_in_pool")
        elif entry.training_valid_until is None or entry.training_valid_until < today:
            codes.append("training_lapsed")
        if user.pk in involved:
            codes.append("involved_earlier")
        if entry is not None:
            own = entry.member_id is not None and entry.member_id in facts.member_ids
            declared = any(interest_conflicts(i, case, facts) for i in entry.interests.all() if i.withdrawn_at is None)
            if own or declared:
                codes.append("conflict_party")
        if codes:
            result.excluded[str(user.public_id)] = codes
        else:
            result.eligible.append(user)
    return result
