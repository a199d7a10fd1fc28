"""Synthetic people and the name variants real speaker lists contain.

Deterministic for a seed, so the platform-check quality figures and benchmark can
be repeated exactly. The name material (data/synthetic_names.toml) covers British,
Irish, South Asian, Jewish, Arabic, Eastern European, African and other European
names with their diacritics. Its nicknames and spellings were written apart from
data/nicknames.csv, so a variant the engine's data does not know shows up as a
miss in the figures rather than being hidden.

Variant kinds of a registry person (should be found):
  title, surname_first, initials, nickname, diacritics, transliteration, typo1,
  typo2, middle_names (reordered or dropped), case, double_barrel, with_number.
Near-miss kinds of people NOT in the registry (should not be matched):
  same_surname, same_given, same_initial, sibling (Daniel/Danielle),
  near_surname (Thompson/Thomson), stranger.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from unidecode import unidecode

from fairhearing.registry.matching_types import RegistryName

MATERIAL = Path(__file__).with_name("data") / "synthetic_names.toml"

POSITIVE_KINDS = (
    "title", "surname_first", "initials", "nickname", "diacritics", "transliteration",
    "typo1", "typo2", "middle_names", "case", "double_barrel", "with_number",
)  # fmt: skip
NEGATIVE_KINDS = ("same_surname", "same_given", "same_initial", "sibling", "near_surname", "stranger")

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class Person:
    """A synthetic person: given names in order, a surname and a naming culture."""

    given: tuple[str, ...]
    surname: str
    culture: str

    @property
    def name(self) -> str:
        return " ".join((*self.given, self.surname))


@dataclass(frozen=True)
class LabelledQuery:
    """A query with the registry entry it should find (None: it should find nothing)."""

    kind: str
    text: str
    membership_number: str | None
    expected_entry_id: str | None
    person: Person


@dataclass(frozen=True)
class QualitySet:
    registry: list[RegistryName]
    queries: list[LabelledQuery]


@cache
def material() -> dict[str, Any]:
    """The parsed name material."""
    with MATERIAL.open("rb") as handle:
        return tomllib.load(handle)


def fold(text: str) -> str:
    """Lower-case ASCII letters only: the generator's own notion of "same spelling"."""
    return "".join(ch for ch in unidecode(text).lower() if ch.isalpha())


@cache
def _formal_names() -> dict[str, str]:
    formal: dict[str, str] = {}
    for full, shorts in material()["nicknames"].items():
        for short in shorts:
            formal.setdefault(fold(short), fold(full))
    return formal


def identity(given: str, surname: str) -> str:
    """Who a first name and surname denote, for keeping synthetic people distinct."""
    folded = fold(given)
    return f"{_formal_names().get(folded, folded)}|{fold(surname)}"


@cache
def _neighbours() -> dict[str, str]:
    near: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, letter in enumerate(row):
            keys = [row[c + d] for d in (-1, 1) if 0 <= c + d < len(row)]
            keys += [other[c] for other in _ROWS[max(r - 1, 0) : r + 2] if other != row and c < len(other)]
            near[letter] = "".join(keys)
    return near


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a neighbouring key, a dropped, doubled or swapped letter."""
    positions = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(positions) < 3:
        return word + word[-1]
    later = [p for p in positions if p > 0]
    pos = rng.choice(later) if rng.random() < 0.9 else positions[0]
    letter = word[pos]
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "transpose" and pos + 1 in positions and word[pos + 1] != letter:
        return word[:pos] + word[pos + 1] + letter + word[pos + 2 :]
    if operation == "delete":
        return word[:pos] + word[pos + 1 :]
    base = fold(letter)[:1] or "e"
    new = rng.choice(_neighbours().get(base, "aeiou"))
    new = new.upper() if letter.isupper() else new
    if operation == "insert":
        return word[: pos + 1] + rng.choice((new, letter.lower())) + word[pos + 1 :]
    return word[:pos] + new + word[pos + 1 :]


def _culture(rng: random.Random) -> str:
    cultures = material()["cultures"]
    names = list(cultures)
    return rng.choices(names, weights=[cultures[name]["weight"] for name in names])[0]


def random_person(rng: random.Random, culture: str | None = None) -> Person:
    """A person with 0-2 middle names; some British people are double-barrelled."""
    culture = culture or _culture(rng)
    data = material()["cultures"][culture]
    first = rng.choice(data["given"])
    middle_count = rng.choices((0, 1, 2), weights=(62, 30, 8))[0]
    middles = rng.sample([g for g in data["given"] if g != first], middle_count)
    barrelled = data.get("double_barrelled")
    surname = rng.choice(barrelled) if barrelled and rng.random() < 0.06 else rng.choice(data["surnames"])
    return Person(given=(first, *middles), surname=surname, culture=culture)


def identities(person: Person) -> set[str]:
    """Every (given name, surname) identity a person answers to, middle names included.

    Someone listed as "Sarah Deborah Scott" may well be the "Deborah Scott" of the
    registry, so near misses must not share any of these with a registry person.
    """
    return {identity(given, person.surname) for given in person.given}


def generate_people(count: int, rng: random.Random, taken: set[str] | None = None) -> list[Person]:
    """``count`` people who share no (given name, surname) identity with each other."""
    taken = taken if taken is not None else set()
    people: list[Person] = []
    while len(people) < count:
        person = random_person(rng)
        keys = identities(person)
        if not keys & taken:
            taken.update(keys)
            people.append(person)
    return people


def _transliterate(person: Person, rng: random.Random) -> str | None:
    cyrillic = material()["cyrillic"]
    if person.given[0] in cyrillic and person.surname in cyrillic and rng.random() < 0.6:
        return " ".join(cyrillic.get(word, word) for word in (*person.given, person.surname))
    spellings = material()["spellings"]
    words = (*person.given, person.surname)
    if not any(spellings.get(word) for word in words):
        return None
    return " ".join(rng.choice(spellings[w]) if spellings.get(w) else w for w in words)


def _initials(person: Person, rng: random.Random) -> str:
    letters = [fold(g)[:1].upper() or g[:1] for g in person.given]
    style = rng.randrange(3)
    if style == 0:
        return f"{letters[0]}. {person.surname}"
    if style == 1:
        return f"{letters[0]} {person.surname}"
    return "".join(f"{letter}." for letter in letters) + f" {person.surname}"


def positive_variant(kind: str, person: Person, registry_form: str, rng: random.Random) -> str | None:
    """The person's name as a list might write it, or None when the kind does not apply."""
    names = material()
    given, surname = person.given, person.surname
    if kind == "title":
        text = f"{rng.choice(names['titles']['prefix'])} {person.name}"
        return text + f" {rng.choice(names['titles']['suffix'])}" if rng.random() < 0.4 else text
    if kind == "surname_first":
        shown = surname.upper() if rng.random() < 0.3 else surname
        return f"{shown}, {' '.join(given)}"
    if kind == "initials":
        return _initials(person, rng)
    if kind == "nickname":
        shorts = names["nicknames"].get(given[0])
        return " ".join((rng.choice(shorts), *given[1:], surname)) if shorts else None
    if kind == "diacritics":
        ascii_form = unidecode(person.name)
        if ascii_form == person.name:
            return None
        return person.name if registry_form == ascii_form else ascii_form
    if kind == "transliteration":
        return _transliterate(person, rng)
    if kind == "typo1":
        if rng.random() < 0.5:
            return " ".join((typo(given[0], rng), *given[1:], surname))
        return " ".join((*given, typo(surname, rng)))
    if kind == "typo2":
        if rng.random() < 0.5:
            return " ".join((typo(given[0], rng), *given[1:], typo(surname, rng)))
        if rng.random() < 0.5:
            return " ".join((typo(typo(given[0], rng), rng), *given[1:], surname))
        return " ".join((*given, typo(typo(surname, rng), rng)))
    if kind == "middle_names":
        middles = list(given[1:])
        if len(set(middles)) >= 2:
            while middles == list(given[1:]):
                rng.shuffle(middles)
            return " ".join((given[0], *middles, surname))
        return f"{given[0]} {surname}" if middles else None
    if kind == "case":
        return person.name.upper() if rng.random() < 0.5 else person.name.lower()
    if kind == "double_barrel":
        return person.name.replace("-", " ") if "-" in surname and " " not in surname else None
    if kind == "with_number":
        return rng.choice((person.name, f"{given[0]} {surname}", _initials(person, rng)))
    raise ValueError(f"unknown variant kind {kind!r}; choose from {POSITIVE_KINDS}")


def negative_person(kind: str, person: Person, rng: random.Random, taken: set[str]) -> Person | None:
    """A different person whose name is close to ``person``'s, or None if none fits."""
    data = material()["cultures"][person.culture]
    given, surname = person.given, person.surname
    options: list[tuple[tuple[str, ...], str]] = []
    if kind == "same_surname":
        options = [((g,), surname) for g in data["given"]]
    elif kind == "same_given":
        options = [(given, s) for s in data["surnames"]]
    elif kind == "same_initial":
        options = [((g,), surname) for g in data["given"] if g[0] == given[0][0] and g != given[0]]
    elif kind == "sibling":
        pairs = material()["siblings"]["pairs"]
        options = [((b,), surname) for a, b in pairs if a == given[0]]
        options += [((a,), surname) for a, b in pairs if b == given[0]]
    elif kind == "near_surname":
        pairs = material()["confusable_surnames"]["pairs"]
        options = [(given, b) for a, b in pairs if a == surname]
        options += [(given, a) for a, b in pairs if b == surname]
    elif kind == "stranger":
        for _ in range(50):
            stranger = random_person(rng)
            if not identities(stranger) & taken:
                return stranger
        return None
    else:
        raise ValueError(f"unknown near-miss kind {kind!r}; choose from {NEGATIVE_KINDS}")
    candidates = [Person(given=g, surname=s, culture=person.culture) for g, s in options]
    candidates = [c for c in candidates if not identities(c) & taken]
    return rng.choice(candidates) if candidates else None


def build_quality_set(size: int = 5000, seed: int = 20240611) -> QualitySet:
    """A registry of ``size`` people, every applicable variant of each, and near misses.

    About 70% of entries carry a membership number; a third of the registry
    stores names with diacritics folded to ASCII, as older systems do.
    """
    rng = random.Random(seed)
    taken: set[str] = set()
    people = generate_people(size, rng, taken)
    registry: list[RegistryName] = []
    queries: list[LabelledQuery] = []
    numbers = rng.sample(range(1_000_000, 9_999_999), size)
    for position, person in enumerate(people):
        entry_id = f"R{position:06d}"
        form = unidecode(person.name) if rng.random() < 0.33 else person.name
        number = str(numbers[position]) if rng.random() < 0.7 else None
        registry.append(RegistryName(entry_id=entry_id, name=form, membership_number=number))
        for kind in POSITIVE_KINDS:
            if kind == "with_number" and number is None:
                continue
            text = positive_variant(kind, person, form, rng)
            if text is not None:
                given_number = number if kind == "with_number" else None
                queries.append(LabelledQuery(kind, text, given_number, entry_id, person))
    for person in people:
        for kind in NEGATIVE_KINDS:
            other = negative_person(kind, person, rng, taken)
            if other is not None:
                queries.append(LabelledQuery(kind, other.name, None, None, other))
    return QualitySet(registry=registry, queries=queries)


def benchmark_people(count: int, seed: int) -> Iterator[Person]:
    """``count`` people drawn with realistic skew: common names are common.

    Names are drawn with Zipf-like weights within each culture, and about a third
    of surnames are made up from syllables to give the long tail of a real
    registry. People may repeat, as namesakes do.
    """
    rng = random.Random(seed)
    cultures = material()["cultures"]
    syllables = material()["syllables"]
    weights = {
        name: (
            [1.0 / (rank + 1) ** 0.8 for rank in range(len(data["given"]))],
            [1.0 / (rank + 1) ** 0.8 for rank in range(len(data["surnames"]))],
        )
        for name, data in cultures.items()
    }
    for _ in range(count):
        culture = _culture(rng)
        data = cultures[culture]
        given_weights, surname_weights = weights[culture]
        middle_count = rng.choices((0, 1, 2), weights=(62, 30, 8))[0]
        given = tuple(dict.fromkeys(rng.choices(data["given"], weights=given_weights, k=1 + middle_count)))
        if rng.random() < 0.35:
            surname = rng.choice(syllables["first"]) + rng.choice(syllables["last"])
        else:
            surname = rng.choices(data["surnames"], weights=surname_weights)[0]
        yield Person(given=given, surname=surname, culture=culture)


@dataclass(frozen=True)
class KindFigures:
    """Per-kind shares: right-entry match, right-entry match-or-possible, any flag."""

    count: int
    match: float
    flagged: float
    flagged_any: float


@dataclass(frozen=True)
class QualityReport:
    """Precision and recall of the platform check on a labelled query set.

    A registry person's query counts as found only when the result names that
    person's entry; "flagged" means match or possible match. Precision counts
    every match (or flag) given, over registry people and near misses alike.
    """

    positives: int
    negatives: int
    precision_match: float
    recall_match: float
    precision_flagged: float
    recall_flagged: float
    negatives_matched: float
    negatives_flagged: float
    kinds: dict[str, KindFigures]

    def format(self) -> str:
        lines = [
            f"queries: {self.positives:,} variants of registry people, "
            f"{self.negatives:,} people not in the registry",
            f"match:             precision {self.precision_match:.4f}  recall {self.recall_match:.4f}",
            f"match or possible: precision {self.precision_flagged:.4f}  recall {self.recall_flagged:.4f}",
            f"people not in the registry: {self.negatives_matched:.4%} matched, "
            f"{self.negatives_flagged:.2%} matched or possible",
            f"{'kind':<16}{'count':>7}{'match':>9}{'flagged':>9}{'any flag':>10}",
        ]
        for kind, figures in self.kinds.items():
            lines.append(
                f"{kind:<16}{figures.count:>7}{figures.match:>9.1%}{figures.flagged:>9.1%}"
                f"{figures.flagged_any:>10.1%}"
            )
        return "\n".join(lines)


def quality_report(queries: list[LabelledQuery], results: list[Any]) -> QualityReport:
    """Score results (objects with ``verdict`` and ``entry_id``) against their labels."""
    if len(queries) != len(results):
        raise ValueError(f"{len(queries)} queries but {len(results)} results; pass one result per query")
    counts: dict[str, list[int]] = {}
    matched = flagged = right_matches = right_flags = positives = 0
    negatives_matched = negatives_flagged = 0
    for query, result in zip(queries, results, strict=True):
        verdict = str(result.verdict)
        is_match, is_flag = verdict == "match", verdict in ("match", "possible_match")
        right = query.expected_entry_id is not None and result.entry_id == query.expected_entry_id
        matched += is_match
        flagged += is_flag
        row = counts.setdefault(query.kind, [0, 0, 0, 0])
        row[0] += 1
        if query.expected_entry_id is None:
            negatives_matched += is_match
            negatives_flagged += is_flag
            row[1] += is_match
            row[2] += is_flag
            row[3] += is_flag
        else:
            positives += 1
            right_matches += is_match and right
            right_flags += is_flag and right
            row[1] += is_match and right
            row[2] += is_flag and right
            row[3] += is_flag
    negatives = len(queries) - positives
    return QualityReport(
        positives=positives,
        negatives=negatives,
        precision_match=right_matches / matched if matched else 1.0,
        recall_match=right_matches / positives if positives else 0.0,
        precision_flagged=right_flags / flagged if flagged else 1.0,
        recall_flagged=right_flags / positives if positives else 0.0,
        negatives_matched=negatives_matched / negatives if negatives else 0.0,
        negatives_flagged=negatives_flagged / negatives if negatives else 0.0,
        kinds={
            kind: KindFigures(row[0], row[1] / row[0], row[2] / row[0], row[3] / row[0])
            for kind, row in counts.items()
        },
    )


def main() -> None:
    """Print the quality report: python -m fairhearing.registry.namegen [size] [seed]."""
    import sys

    from fairhearing.registry.matching import MatchIndex

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20240611
    quality = build_quality_set(size, seed)
    index = MatchIndex(quality.registry)
    results = [index.match(query.text, query.membership_number) for query in quality.queries]
    print(f"registry of {size:,} synthetic people, seed {seed}")
    print(quality_report(quality.queries, results).format())


if __name__ == "__main__":
    main()
