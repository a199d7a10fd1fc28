"""What the platform check knows about given names and surnames.

Given-name equivalences (Ken/Kenneth, Jackie/Jacqueline, Muhammad/Mohammed) come
from data/nicknames.csv. The registry adds the names it holds: when two different
names are both known real names (Daniel and Danielle, Thompson and Thomson), a
small spelling difference between them is not taken for a typo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fairhearing.registry.matching_normalise import DATA_DIR


@dataclass(frozen=True)
class NameGroups:
    """Given-name equivalence groups, each a tuple whose first name is the formal one."""

    groups: tuple[tuple[str, ...], ...]
    by_name: dict[str, tuple[int, ...]]
    ambiguous: frozenset[str]


def _parse_groups(lines: Iterable[str], source: str) -> tuple[tuple[str, ...], ...]:
    groups: list[tuple[str, ...]] = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = tuple(name.strip() for name in line.split(","))
        bad = [name for name in names if not name.isascii() or not name.isalpha() or not name.islower()]
        if bad or len(names) < 2:
            raise ValueError(
                f"{source} line {number}: a group needs two or more lower-case ASCII "
                f"names separated by commas (problem: {bad or line!r})"
            )
        groups.append(tuple(dict.fromkeys(names)))
    return tuple(groups)


def build_name_groups(groups: tuple[tuple[str, ...], ...]) -> NameGroups:
    """Index groups by name and find the ambiguous names.

    A name is ambiguous when it belongs to groups whose formal names are not
    themselves linked ("alex" answers for Alexander and Alexandra), so it is only
    a weak sign that two records are the same person.
    """
    by_name: dict[str, list[int]] = {}
    for group_id, names in enumerate(groups):
        for name in names:
            by_name.setdefault(name, []).append(group_id)

    def linked(first: int, second: int) -> bool:
        return groups[first][0] in groups[second] or groups[second][0] in groups[first]

    ambiguous = frozenset(
        name
        for name, ids in by_name.items()
        if any(not linked(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    )
    return NameGroups(
        groups=groups,
        by_name={name: tuple(ids) for name, ids in by_name.items()},
        ambiguous=ambiguous,
    )


@cache
def load_name_groups(path: Path | None = None) -> NameGroups:
    """Load and index data/nicknames.csv (or another file in the same format)."""
    path = path or DATA_DIR / "nicknames.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    return build_name_groups(_parse_groups(lines, path.name))


@dataclass
class NameKnowledge:
    """Equivalences plus the given names and surnames known to be real."""

    groups: NameGroups = field(default_factory=load_name_groups)
    known_given: set[str] = field(default_factory=set)
    known_surnames: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.known_given.update(self.groups.by_name)
        self._initials: dict[str, frozenset[str]] = {}
        self._equivalents: dict[str, frozenset[str]] = {}

    def group_keys(self, name: str) -> tuple[str, ...]:
        """Blocking keys for a given name: its group ids, or the name itself."""
        ids = self.groups.by_name.get(name)
        return tuple(f"#{group_id}" for group_id in ids) if ids else (name,)

    def canonical(self, name: str) -> str:
        """The formal name of the name's first group, or the name itself."""
        ids = self.groups.by_name.get(name)
        return self.groups.groups[ids[0]][0] if ids else name

    def initials_of(self, name: str) -> frozenset[str]:
        """First letters of the name and every name equivalent to it."""
        found = self._initials.get(name)
        if found is None:
            letters = {name[0]}
            for group_id in self.groups.by_name.get(name, ()):
                letters.update(other[0] for other in self.groups.groups[group_id])
            found = self._initials[name] = frozenset(letters)
        return found

    def equivalents(self, name: str) -> frozenset[str]:
        """Every name sharing a group with ``name`` (empty when it has no group)."""
        found = self._equivalents.get(name)
        if found is None:
            names: set[str] = set()
            for group_id in self.groups.by_name.get(name, ()):
                names.update(self.groups.groups[group_id])
            found = self._equivalents[name] = frozenset(names)
        return found

    def equivalence(self, first: str, second: str) -> int:
        """0 when the names share no group, 1 when they do through an ambiguous name, 2 otherwise."""
        ids_first = self.groups.by_name.get(first)
        ids_second = self.groups.by_name.get(second)
        if not ids_first or not ids_second or not set(ids_first).intersection(ids_second):
            return 0
        ambiguous = self.groups.ambiguous
        return 1 if first in ambiguous or second in ambiguous else 2

    def is_known_given(self, name: str) -> bool:
        return name in self.known_given

    def is_known_surname(self, name: str) -> bool:
        return name in self.known_surnames
