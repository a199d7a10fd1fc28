"""Comparing two versions of a code, clause by clause (pure Python, no database).

Clauses are matched by their stable identifier. Each identifier is ``added`` (only in the newer
version), ``removed`` (only in the older), ``reworded`` (title or text changed) or ``unchanged``.
A move to another parent alone counts as ``moved``, so a reader sees it without a false rewording.
Reworded clauses carry a word-level diff: runs of words kept, deleted and inserted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ADDED, REMOVED, REWORDED, MOVED, UNCHANGED = "added", "removed", "reworded", "moved", "unchanged"
_WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class ClauseData:
    """What comparison needs of a clause."""

    identifier: str
    title: str
    text: str
    parent: str | None = None


@dataclass(frozen=True)
class Segment:
    """A run of words: ``op`` is "equal", "delete" (only in the older text) or "insert"."""

    op: str
    text: str


@dataclass(frozen=True)
class ClauseChange:
    identifier: str
    kind: str
    old: ClauseData | None
    new: ClauseData | None
    title_diff: tuple[Segment, ...] = ()
    text_diff: tuple[Segment, ...] = ()

    @property
    def title(self) -> str:
        chosen = self.new or self.old
        return chosen.title if chosen else ""


@dataclass(frozen=True)
class Comparison:
    changes: tuple[ClauseChange, ...]
    counts: dict[str, int] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[ClauseChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def identical(self) -> bool:
        return all(c.kind == UNCHANGED for c in self.changes)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """A word-level diff of two texts; whitespace is normalised to single spaces.

    Joining the "equal" and "delete" segments gives the old text back; "equal" and "insert"
    give the new one.
    """
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("equal", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(Segment("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("insert", " ".join(b[j1:j2])))
    return tuple(out)


def _same(a: str, b: str) -> bool:
    return _WORDS.findall(a) == _WORDS.findall(b)


def compare_clauses(older: Iterable[ClauseData], newer: Iterable[ClauseData]) -> Comparison:
    """Compare two versions' clauses by identifier.

    The result lists the newer version's clauses in their order, with each removed clause placed
    after the clause that preceded it in the older version (or first). Raises ValueError if an
    identifier appears twice in one version.
    """
    old_list, new_list = list(older), list(newer)
    old_by, new_by = _index(old_list, "older"), _index(new_list, "newer")
    changes: list[ClauseChange] = []
    for clause in new_list:
        before = old_by.get(clause.identifier)
        if before is None:
            changes.append(ClauseChange(clause.identifier, ADDED, None, clause))
        elif not _same(before.title, clause.title) or not _same(before.text, clause.text):
            changes.append(ClauseChange(
                clause.identifier, REWORDED, before, clause,
                title_diff=word_diff(before.title, clause.title), text_diff=word_diff(before.text, clause.text),
            ))
        elif before.parent != clause.parent:
            changes.append(ClauseChange(clause.identifier, MOVED, before, clause))
        else:
            changes.append(ClauseChange(clause.identifier, UNCHANGED, before, clause))
    previous: str | None = None
    for clause in old_list:
        if clause.identifier not in new_by:
            position = 0 if previous is None else next((i + 1 for i, c in enumerate(changes) if c.identifier == previous), len(changes))
            changes.insert(position, ClauseChange(clause.identifier, REMOVED, clause, None))
        previous = clause.identifier
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in (ADDED, REMOVED, REWORDED, MOVED, UNCHANGED)}
    return Comparison(changes=tuple(changes), counts=counts)


def _index(clauses: list[ClauseData], which: str) -> dict[str, ClauseData]:
    index: dict[str, ClauseData] = {}
    for clause in clauses:
        if clause.identifier in index:
            raise ValueError(f"the {which} version lists clause {clause.identifier} twice")
        index[clause.identifier] = clause
    return index
