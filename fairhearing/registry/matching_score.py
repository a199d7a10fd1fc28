"""Score how well a queried name fits one registry name.

The score (0..100) averages a surname score and a given-name score. Some evidence
can never support a firm match however high it scores, and is marked
``possible_only``: initials ("J. Smith"), a missing forename ("Lord Smith"),
a dropped half of a double-barrelled surname, agreement only through a middle
name, two different middle names, any spelling difference in the surname
(Thomson is a real surname, not only a typo of Thompson), or a spelling
difference between two given names that both exist (Daniel and Danielle).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from fairhearing.registry.matching_names import NameKnowledge
from fairhearing.registry.matching_normalise import NormalisedName
from fairhearing.registry.matching_types import MATCH_THRESHOLD, POSSIBLE_THRESHOLD, Verdict

EXACT = 100.0
#: Particles differ: "Hassan" against "al-Hassan".
CORE_SURNAME = 95.0
#: Nickname or spelling variant linked in nicknames.csv (Ken/Kenneth).
NICKNAME = 95.0
#: Linked through a name that answers for several (Alex: Alexander or Alexandra).
AMBIGUOUS_NICKNAME = 88.0
#: A surname written as one half of a double-barrelled one (Jones / Smith-Jones).
SURNAME_PART = 85.0
#: An initial consistent with a full name, or a full name with a shortened one.
INITIAL = 70.0
PREFIX = 80.0
#: Unknown spellings with the same consonant skeleton (Waleed / Walid).
SPELLING = 85.0
#: Fuzzy similarity (optimal string alignment, 0..100) below which names differ:
#: one edit in a three-letter name (66.7) still counts, two in a six-letter one not.
MIN_FUZZY = 66.0
#: A misspelt given name supports a firm match only from this similarity on.
MIN_FUZZY_FIRM = 85.0
#: Two known, different names this similar may still be one person mistyped.
MIN_FUZZY_KNOWN = 85.0
#: Given name matched to the other record's middle name rather than first name.
MIDDLE_AS_FIRST_PENALTY = 8.0
#: Extra given names that disagree with the other record's.
CONFLICT_PENALTY = 12.0
#: Extra given names the registry record lacks.
MISSING_PENALTY = 3.0
#: Surname-only evidence is worth this share of the surname score.
SURNAME_ONLY_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class Comparison:
    """A score and whether the evidence may only ever justify a possible match."""

    score: float
    possible_only: bool


NO_MATCH = Comparison(0.0, possible_only=False)


def _fuzzy(first: str, second: str) -> float:
    return OSA.normalized_similarity(first, second) * 100.0


_SKELETON_DROP = str.maketrans("", "", "aeiouyhw")


def skeleton(word: str) -> str:
    """Consonants with vowels, h, w and doubled letters removed; a leading vowel as 'a'.

    Transliterations mostly differ in vowels and doubling: Walid/Waleed -> "wld",
    Nabil/Nabeel -> "nbl", Sayed/Sayyid -> "sd" (too short to be used).
    """
    if not word:
        return ""
    head = "a" if word[0] in "aeiouy" else word[0]
    body = word[1:].translate(_SKELETON_DROP)
    collapsed = [head]
    for letter in body:
        if letter != collapsed[-1]:
            collapsed.append(letter)
    return "".join(collapsed)


_VOWELS = frozenset("aeiouy")


def same_skeleton(first: str, second: str) -> bool:
    """Whether two words of three or more consonant sounds share a skeleton.

    Both must also end alike (vowel or not), so Robert/Roberta and Nabil/Nabila,
    which share a skeleton, stay apart.
    """
    shape = skeleton(first)
    return (
        len(shape) >= 3
        and shape == skeleton(second)
        and (first[-1] in _VOWELS) == (second[-1] in _VOWELS)
    )


#: Endings that turn one given name into a different one (Paul/Paula,
#: Daniel/Danielle, Joseph/Josephine, Henry/Henrietta needs its own check).
_GENDERED_ENDINGS = ("a", "ia", "le", "ine", "ina", "ette", "etta")


def gendered_pair(first: str, second: str, knowledge: NameKnowledge) -> bool:
    """Whether one name is a known name plus an ending that makes a different name.

    The shorter name must be known and end in a consonant: Amit/Amita and
    Karim/Karima are different people, while Rebecc/Rebecca and Fatima/Fatimaa
    are slips of the keyboard.
    """
    shorter, longer = sorted((first, second), key=len)
    return (
        len(shorter) >= 3
        and shorter[-1] not in _VOWELS
        and knowledge.is_known_given(shorter)
        and any(longer == shorter + end for end in _GENDERED_ENDINGS)
    )


def given_token_similarity(first: str, second: str, knowledge: NameKnowledge) -> Comparison:
    """Compare two given names (either may be an initial)."""
    if first == second:
        return Comparison(EXACT, possible_only=len(first) == 1)
    if len(first) == 1 or len(second) == 1:
        if len(first) == len(second):
            return NO_MATCH
        initial, full = (first, second) if len(first) == 1 else (second, first)
        if initial in knowledge.initials_of(full):
            return Comparison(INITIAL, possible_only=True)
        return NO_MATCH
    equivalence = knowledge.equivalence(first, second)
    if equivalence:
        return Comparison(NICKNAME if equivalence == 2 else AMBIGUOUS_NICKNAME, possible_only=False)
    if gendered_pair(first, second, knowledge):
        return NO_MATCH
    similarity = _fuzzy(first, second)
    if knowledge.is_known_given(first) and knowledge.is_known_given(second):
        # Two real names: "Danielle" is not a typo of "Daniel".
        if similarity >= MIN_FUZZY_KNOWN:
            return Comparison(similarity, possible_only=True)
        return NO_MATCH
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 3 and len(longer) >= len(shorter) + 2 and longer.startswith(shorter):
        # A shortened name ("Jacq" for Jacqueline) is a lead, not proof.
        return Comparison(PREFIX, possible_only=True)
    if similarity >= MIN_FUZZY:
        # One slip in a long name (Jacqeline) is firm; in a short one (Ciara for
        # Ciaran) it may be another name the registry has never seen.
        return Comparison(similarity, possible_only=similarity < MIN_FUZZY_FIRM)
    if same_skeleton(first, second):
        return Comparison(SPELLING, possible_only=True)
    return NO_MATCH


def given_similarity(
    query: tuple[str, ...], entry: tuple[str, ...], knowledge: NameKnowledge
) -> Comparison:
    """Compare given-name lists, allowing omitted and reordered middle names.

    The best-matching pair anchors the comparison (first names, or one side's
    first against the other's middle name, at a small penalty); remaining query
    names are paired with remaining registry names. A query name with no partner
    costs a little when the registry record simply has fewer names, and more, with
    a cap at possible, when it contradicts a registry name.
    """
    pairs = [
        (given_token_similarity(q, e, knowledge), i, j)
        for i, q in enumerate(query)
        for j, e in enumerate(entry)
    ]

    def anchor_value(pair: tuple[Comparison, int, int]) -> float:
        comparison, i, j = pair
        if comparison.score == 0.0:
            return 0.0
        return comparison.score - (MIDDLE_AS_FIRST_PENALTY if (i, j) != (0, 0) else 0.0)

    anchor = max(pairs, key=anchor_value)
    score = anchor_value(anchor)
    if score == 0.0:
        return NO_MATCH
    comparison, anchor_q, anchor_e = anchor
    # A name that agrees only through a middle name ("Sarah Deborah Scott" and
    # "Deborah Scott") or through initials may be another person: review it.
    possible_only = (
        comparison.possible_only
        or (anchor_q, anchor_e) != (0, 0)
        or len(query[0]) == 1
        or len(entry[0]) == 1
    )
    used = {anchor_e}
    for i, name in enumerate(query):
        if i == anchor_q:
            continue
        options = [
            (given_token_similarity(name, other, knowledge).score, j)
            for j, other in enumerate(entry)
            if j not in used
        ]
        best_score, best_j = max(options, default=(0.0, -1))
        if best_score >= INITIAL:
            used.add(best_j)
        elif options:
            score -= CONFLICT_PENALTY
            possible_only = True
        else:
            score -= MISSING_PENALTY
    return Comparison(max(score, 0.0), possible_only)


def _single_surname_similarity(query: NormalisedName, entry: NormalisedName) -> Comparison:
    if query.surname == entry.surname:
        return Comparison(EXACT, possible_only=False)
    if query.surname_core == entry.surname_core:
        return Comparison(CORE_SURNAME, possible_only=False)
    if (len(entry.surname_parts) > 1 and query.surname_core in entry.surname_parts) or (
        len(query.surname_parts) > 1 and entry.surname_core in query.surname_parts
    ):
        return Comparison(SURNAME_PART, possible_only=True)
    similarity = max(
        _fuzzy(query.surname, entry.surname), _fuzzy(query.surname_core, entry.surname_core)
    )
    if similarity >= MIN_FUZZY:
        # Never firm: Thomson, Smyth, Clark and Davis are real surnames, not typos
        # of Thompson, Smith, Clarke and Davies, and the registry cannot know
        # every surname a speaker list holds.
        return Comparison(similarity, possible_only=True)
    return NO_MATCH


def alternative_parses(name: NormalisedName) -> list[NormalisedName]:
    """The name as parsed, plus its last two words read as one unhyphenated surname.

    "Jane Smith Jones" may be Jane Smith-Jones; "Jane Smith" alone cannot be told
    from "Jane" + "Smith", so only names with two or more given names get the
    second reading.
    """
    parses = [name]
    if len(name.given_names) >= 2 and len(name.given_names[-1]) > 1:
        last = name.given_names[-1]
        parses.append(
            NormalisedName(
                given_names=name.given_names[:-1],
                surname=last + name.surname,
                surname_core=last + name.surname_core,
                surname_parts=(last, *name.surname_parts),
            )
        )
    return parses


def _compare_parsed(
    query: NormalisedName, entry: NormalisedName, knowledge: NameKnowledge
) -> Comparison:
    surname = _single_surname_similarity(query, entry)
    if surname.score == 0.0:
        return NO_MATCH
    if not query.given_names or not entry.given_names:
        return Comparison(surname.score * SURNAME_ONLY_WEIGHT, possible_only=True)
    given = given_similarity(query.given_names, entry.given_names, knowledge)
    if given.score == 0.0:
        return Comparison(surname.score / 2.0, possible_only=surname.possible_only)
    return Comparison(
        (surname.score + given.score) / 2.0,
        possible_only=surname.possible_only or given.possible_only,
    )


def compare_names(
    query: NormalisedName, entry: NormalisedName, knowledge: NameKnowledge
) -> Comparison:
    """Score a query against one registry name, trying unhyphenated double surnames.

    A comparison that could reach a firm match beats one that could not; among
    equals the higher score wins.
    """
    best = _compare_parsed(query, entry, knowledge)
    if best.score == EXACT or query.surname == entry.surname:
        return best
    for query_parse in alternative_parses(query):
        for entry_parse in alternative_parses(entry):
            if query_parse is query and entry_parse is entry:
                continue
            candidate = _compare_parsed(query_parse, entry_parse, knowledge)
            if rank(candidate) > rank(best):
                best = candidate
    return best


def verdict_of(comparison: Comparison) -> Verdict:
    """The verdict a comparison supports on its own."""
    if comparison.score >= MATCH_THRESHOLD and not comparison.possible_only:
        return Verdict.MATCH
    if comparison.score >= POSSIBLE_THRESHOLD:
        return Verdict.POSSIBLE
    return Verdict.NONE


_LEVEL = {Verdict.MATCH: 2, Verdict.POSSIBLE: 1, Verdict.NONE: 0}


def rank(comparison: Comparison) -> tuple[int, float]:
    """Sort key: the stronger verdict first, then the higher score."""
    return (_LEVEL[verdict_of(comparison)], comparison.score)
