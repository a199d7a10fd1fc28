"""The searchable registry: blocking keys, candidate choice and the verdict rules.

A query is compared in detail only against entries that share a blocking key.
Each entry is filed under every pair of (surname form, given-name token) twice,
once with the surname spelled ("n" keys) and once by its sound ("p" keys), and
under (surname form, initial) ("i" keys) for queries that give only initials.

The query side widens the search without widening the blocks: its given names
bring their nickname equivalents (Bob: Robert, Rob, ...) and the registry's given
names one or two edits away (Hohn: John); its surnames bring the registry's
surnames one or two edits away ("Wislon" finds "Wilson"), found through
deletion neighbourhoods of the registry's vocabulary. A query that gives only
initials, or no given name, reads the larger initial blocks; when these hold
many entries (every "J Smith"), a vectorised rapidfuzz pass keeps the closest
PREFILTER_LIMIT for full scoring.
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
#: Entries read from each (surname, initial) block. Only queries that give
#: initials or no given name read these blocks, and their verdict is capped at
#: possible, so reading every "J Smith" would change which entry is named for
#: review, never the verdict.
INITIAL_BLOCK_SAMPLE = 16
#: Stands in for the initial of a record with no given name ("Lord Smith").
_NO_GIVEN = "_"
_ALL_LETTERS = (*string.ascii_lowercase, _NO_GIVEN)


#: Words shorter than this are looked up exactly: their one-edit neighbourhoods
#: are too crowded to help.
MIN_FUZZY_LOOKUP = 4
#: Words this long are also found two edits away (two deletions on each side);
#: scoring accepts two edits only in words of seven letters or more.
MIN_TWO_EDIT_LOOKUP = 7


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _neighbourhood(word: str, two_edit_length: int) -> set[str]:
    """The word with up to one (or, when long enough, two) letters deleted."""
    if len(word) < MIN_FUZZY_LOOKUP:
        return {word}
    once = _deletions(word)
    keys = {word} | once
    if len(word) >= two_edit_length:
        for shorter in once:
            keys.update(_deletions(shorter))
    return keys


class _Vocabulary:
    """Words seen in the registry, searchable for spellings one edit away."""

    def __init__(self) -> None:
        self._words: set[str] = set()
        self._by_key: dict[str, set[str]] = {}

    def add(self, word: str) -> None:
        if word in self._words:
            return
        self._words.add(word)
        for key in _neighbourhood(word, MIN_TWO_EDIT_LOOKUP):
            self._by_key.setdefault(key, set()).add(word)

    def near(self, word: str) -> set[str]:
        """Registry words equal to ``word`` or (mostly) one edit from it; two for long words."""
        found: set[str] = set()
        for key in _neighbourhood(word, MIN_TWO_EDIT_LOOKUP):
            words = self._by_key.get(key)
            if words:
                found.update(words)
        return found


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
        self._surname_vocabulary = _Vocabulary()
        self._given_vocabulary = _Vocabulary()
        self._strings: dict[str, str] = {}
        self._shared_names: dict[NormalisedName, NormalisedName] = {}
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
        name = self._share(name)
        index = len(self._entry_ids)
        number = normalise_membership_number(entry.membership_number)
        self._entry_ids.append(entry.entry_id)
        self._names.append(name)
        self._numbers.append(number)
        self._surnames.append(name.surname)
        self._given_text.append(self._shared_text(self._canonical_given(name)))
        if number:
            self._by_number.setdefault(number, []).append(index)
        knowledge = self._knowledge
        for given in name.given_names:
            if len(given) > 1:
                knowledge.known_given.add(given)
                self._given_vocabulary.add(given)
        knowledge.known_surnames.add(name.surname)
        for form in _surname_forms(name):
            self._surname_vocabulary.add(form)
        blocks = self._blocks
        for key in self._entry_keys(name):
            bucket = blocks.get(key)
            if bucket is None:
                blocks[key] = [index]
            else:
                bucket.append(index)

    def _shared_text(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def _share(self, name: NormalisedName) -> NormalisedName:
        """One object per distinct name, built from shared strings.

        A large registry repeats names and name parts (thousands of "John Smith"s);
        sharing them keeps the index several hundred bytes per entry smaller.
        """
        shared = self._shared_names.get(name)
        if shared is None:
            text = self._shared_text
            shared = NormalisedName(
                given_names=tuple(text(given) for given in name.given_names),
                surname=text(name.surname),
                surname_core=text(name.surname_core),
                surname_parts=tuple(text(part) for part in name.surname_parts),
            )
            self._shared_names[shared] = shared
        return shared

    def _canonical_given(self, name: NormalisedName) -> str:
        return " ".join(self._knowledge.canonical(given) for given in name.given_names)

    def _entry_keys(self, name: NormalisedName) -> set[str]:
        tokens = name.given_names[:MAX_GIVEN_KEYS] or (_NO_GIVEN,)
        keys: set[str] = set()
        for form in _surname_forms(name):
            sound = phonetic_key(form)
            for token in tokens:
                keys.add(f"n{form}|{token}")
                keys.add(f"p{sound}|{token}")
                keys.add(f"i{form}|{token[0]}")
        return keys

    def _query_tokens(self, name: NormalisedName) -> tuple[set[str], set[str]]:
        """Given-name tokens to look under, and the initials for the "i" blocks.

        Tokens are the query's given names, their nickname equivalents, registry
        given names one or two edits away, and the initials of all these (a
        registry entry may hold only initials). The initials set is filled only
        when the query itself gives an initial, or all letters when it gives no
        given name.
        """
        knowledge = self._knowledge
        given = name.given_names[:MAX_GIVEN_KEYS]
        tokens = {_NO_GIVEN}
        initials: set[str] = set() if given else set(_ALL_LETTERS)
        for token in given:
            if len(token) == 1:
                tokens.add(token)
                initials.add(token)
                continue
            related = {token} | knowledge.equivalents(token) | self._given_vocabulary.near(token)
            tokens.update(related)
            tokens.update(knowledge.initials_of(token))
        return tokens, initials

    def _query_keys(self, name: NormalisedName) -> set[str]:
        forms: set[str] = set()
        for parse in alternative_parses(name):
            forms.update(_surname_forms(parse))
        near_forms = set(forms)
        for form in forms:
            near_forms.update(self._surname_vocabulary.near(form))
        tokens, initials = self._query_tokens(name)
        keys = {f"n{form}|{token}" for form in near_forms for token in tokens}
        for form in forms:
            sound = phonetic_key(form)
            keys.update(f"p{sound}|{token}" for token in tokens)
        keys.update(f"i{form}|{letter}" for form in near_forms for letter in initials)
        return keys

    def _candidates(self, name: NormalisedName) -> list[int]:
        found: set[int] = set()
        blocks = self._blocks
        for key in self._query_keys(name):
            bucket = blocks.get(key)
            if bucket:
                found.update(bucket[:INITIAL_BLOCK_SAMPLE] if key[0] == "i" else bucket)
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

    def _exact(self, name: NormalisedName) -> int | None:
        """An entry whose normalised name equals the query's, found without scoring."""
        if not name.given_names or len(name.given_names[0]) == 1:
            return None
        bucket = self._blocks.get(f"n{name.surname}|{name.given_names[0]}")
        names = self._names
        return next((index for index in bucket or () if names[index] == name), None)

    def _best_by_name(self, name: NormalisedName) -> tuple[Comparison, int | None]:
        exact = self._exact(name)
        if exact is not None:
            comparison = compare_names(name, self._names[exact], self._knowledge)
            if verdict_of(comparison) is Verdict.MATCH and comparison.score == 100.0:
                return comparison, exact
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
