"""The searchable registry: blocking keys, candidate choice and the verdict rules.

A query is compared in detail only against entries that share a blocking key:
- the sound of the surname with the initial of a given name (or a nickname's
  formal name: "Bob" also looks under R);
- a given name's equivalence group with the first three letters of the surname;
- a given name's equivalence group with the last three letters of the surname.
One typo rarely breaks all three. When a block is large (many "J Smith"s), a
vectorised rapidfuzz pass keeps the closest PREFILTER_LIMIT entries.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process

from fairhearing.registry.matching_names import NameKnowledge
from fairhearing.registry.matching_normalise import (
    InvalidNameError,
    NormalisedName,
    normalise_name,
    phonetic_key,
)
from fairhearing.registry.matching_score import (
    NO_MATCH,
    Comparison,
    alternative_parses,
    compare_names,
    rank,
    verdict_of,
)
from fairhearing.registry.matching_types import (
    POSSIBLE_CEILING,
    POSSIBLE_THRESHOLD,
    MatchResult,
    RegistryName,
    Verdict,
    normalise_membership_number,
)

#: Given names per record that get blocking keys (first, middle, second middle).
MAX_GIVEN_KEYS = 3
#: Candidates scored in full per query; more are cut by a fast rapidfuzz pass.
PREFILTER_LIMIT = 32
#: Stands in for the initial of a record with no given name ("Lord Smith").
_NO_GIVEN = "_"
_ALL_LETTERS = (*string.ascii_lowercase, _NO_GIVEN)


def _surname_forms(name: NormalisedName) -> set[str]:
    forms = {name.surname, name.surname_core}
    if len(name.surname_parts) > 1:
        forms.update(part for part in name.surname_parts if len(part) >= 3)
    forms.discard("")
    return forms


class MatchIndex:
    """Registry names prepared for fast platform checks.

    Build it once from the registry and reuse it: building normalises every entry
    and fills the blocking tables; each query then touches only a few entries.
    """

    def __init__(
        self, entries: Iterable[RegistryName], *, knowledge: NameKnowledge | None = None
    ) -> None:
        """Index ``entries``.

        Raises ValueError naming the entry when a registry name cannot be read
        (blank, or no letters): a registry entry that cannot be searched would
        let a sanctioned person through unnoticed.
        """
        self._knowledge = knowledge or NameKnowledge()
        self._entry_ids: list[str] = []
        self._names: list[NormalisedName] = []
        self._numbers: list[str | None] = []
        self._surnames: list[str] = []
        self._given_text: list[str] = []
        self._by_number: dict[str, list[int]] = {}
        self._blocks: dict[str, list[int]] = {}
        for entry in entries:
            self._add(entry)

    def __len__(self) -> int:
        return len(self._entry_ids)

    def _add(self, entry: RegistryName) -> None:
        if not isinstance(entry, RegistryName):
            raise TypeError(f"registry entries must be RegistryName, not {type(entry).__name__}")
        try:
            name = normalise_name(entry.name)
        except InvalidNameError as error:
            raise ValueError(f"registry entry {entry.entry_id!r} has an unusable name: {error}") from error
        index = len(self._entry_ids)
        number = normalise_membership_number(entry.membership_number)
        self._entry_ids.append(entry.entry_id)
        self._names.append(name)
        self._numbers.append(number)
        self._surnames.append(name.surname)
        self._given_text.append(self._canonical_given(name))
        if number:
            self._by_number.setdefault(number, []).append(index)
        knowledge = self._knowledge
        knowledge.known_given.update(given for given in name.given_names if len(given) > 1)
        knowledge.known_surnames.add(name.surname)
        blocks = self._blocks
        for key in self._entry_keys(name):
            bucket = blocks.get(key)
            if bucket is None:
                blocks[key] = [index]
            else:
                bucket.append(index)

    def _canonical_given(self, name: NormalisedName) -> str:
        return " ".join(self._knowledge.canonical(given) for given in name.given_names)

    def _entry_keys(self, name: NormalisedName) -> set[str]:
        given = name.given_names[:MAX_GIVEN_KEYS]
        letters = {g[0] for g in given} or {_NO_GIVEN}
        keys = {
            f"p{phonetic_key(form)}{letter}" for form in _surname_forms(name) for letter in letters
        }
        for given_name in given:
            if len(given_name) > 1:
                for group in self._knowledge.group_keys(given_name):
                    for form in (name.surname, name.surname_core):
                        keys.add(f"f{group}|{form[:3]}")
                        keys.add(f"s{group}|{form[-3:]}")
        return keys

    def _query_keys(self, name: NormalisedName) -> set[str]:
        knowledge = self._knowledge
        forms: set[str] = set()
        for parse in alternative_parses(name):
            forms.update(_surname_forms(parse))
        given = name.given_names[:MAX_GIVEN_KEYS]
        letters: set[str] = {_NO_GIVEN}
        if not given:
            letters.update(_ALL_LETTERS)
        for given_name in given:
            letters.update(knowledge.initials_of(given_name))
        keys = {f"p{phonetic_key(form)}{letter}" for form in forms for letter in letters}
        for given_name in given:
            if len(given_name) > 1:
                for group in knowledge.group_keys(given_name):
                    for form in forms:
                        keys.add(f"f{group}|{form[:3]}")
                        keys.add(f"s{group}|{form[-3:]}")
        return keys

    def _candidates(self, name: NormalisedName) -> list[int]:
        found: set[int] = set()
        blocks = self._blocks
        for key in self._query_keys(name):
            bucket = blocks.get(key)
            if bucket:
                found.update(bucket)
        candidates = list(found)
        if len(candidates) <= PREFILTER_LIMIT:
            return candidates
        surnames = [self._surnames[i] for i in candidates]
        closeness = process.cdist([name.surname], surnames, scorer=fuzz.ratio, dtype=np.uint8)[0]
        closeness = closeness.astype(np.uint16)
        if name.given_names:
            given = [self._given_text[i] for i in candidates]
            query_given = self._canonical_given(name)
            closeness += process.cdist(
                [query_given], given, scorer=fuzz.token_set_ratio, dtype=np.uint8
            )[0]
        keep = np.argpartition(-closeness, PREFILTER_LIMIT)[:PREFILTER_LIMIT]
        return [candidates[i] for i in keep]

    def _best_by_name(self, name: NormalisedName) -> tuple[Comparison, int | None]:
        best, best_index = NO_MATCH, None
        for index in self._candidates(name):
            comparison = compare_names(name, self._names[index], self._knowledge)
            if best_index is None or rank(comparison) > rank(best):
                best, best_index = comparison, index
        return best, best_index

    def match(self, name: str, membership_number: str | None = None) -> MatchResult:
        """Check one speaker against the registry.

        - A membership number found in the registry gives a match scoring 100,
          unless the name is clearly different from that entry's name (below
          POSSIBLE_THRESHOLD): then it is a possible match for review, scoring
          POSSIBLE_THRESHOLD, unless the name alone firmly matches another entry.
        - Otherwise the name decides. A name match is downgraded to possible when
          both sides have membership numbers and they differ.

        Raises InvalidNameError (a ValueError) when ``name`` holds no usable name.
        """
        query = normalise_name(name)
        number = normalise_membership_number(membership_number)
        by_name, name_index = self._best_by_name(query)
        verdict = verdict_of(by_name)
        if name_index is not None and verdict is Verdict.MATCH and number:
            registered = self._numbers[name_index]
            if registered and registered != number:
                verdict = Verdict.POSSIBLE
        number_hits = self._by_number.get(number, []) if number else []
        if number_hits:
            by_number, number_index = max(
                ((compare_names(query, self._names[i], self._knowledge), i) for i in number_hits),
                key=lambda pair: rank(pair[0]),
            )
            if by_number.score >= POSSIBLE_THRESHOLD:
                return self._result(name, membership_number, Verdict.MATCH, 100.0, number_index)
            if verdict is not Verdict.MATCH:
                return self._result(
                    name, membership_number, Verdict.POSSIBLE, POSSIBLE_THRESHOLD, number_index
                )
        return self._result(name, membership_number, verdict, by_name.score, name_index)

    def _result(
        self,
        query: str,
        membership_number: str | None,
        verdict: Verdict,
        score: float,
        index: int | None,
    ) -> MatchResult:
        if verdict is Verdict.POSSIBLE:
            score = min(max(score, POSSIBLE_THRESHOLD), POSSIBLE_CEILING)
        elif verdict is Verdict.NONE:
            score = min(score, POSSIBLE_THRESHOLD - 1.0)
            index = None
        return MatchResult(
            query=query,
            membership_number=membership_number,
            verdict=verdict,
            score=round(score, 1),
            entry_id=self._entry_ids[index] if index is not None else None,
        )

    def match_many(self, items: Iterable[tuple[str, str | None]]) -> list[MatchResult]:
        """Check each (name, membership number or None) pair, in order."""
        return [self.match(name, membership_number) for name, membership_number in items]
