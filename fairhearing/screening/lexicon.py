"""The reviewable lexicon: tropes, coded terms and explicit statements mapped to clauses.

The entries live in ``data/lexicon.toml`` (its header explains the format). :func:`load_lexicon`
validates the file and compiles it once; :meth:`Lexicon.match` returns every entry a text
matches, with the words that triggered it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fairhearing.screening.normalise import fold

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.toml"

CLAUSES: tuple[str, ...] = (
    "AS-0", *(f"AS-{n}" for n in range(1, 12)), "RAC-1", "DIS-1", "HAR-1", "BUL-1", "ONL-1",
)
KINDS = ("explicit", "hint")
_MACRO = re.compile(r"<([A-Z][A-Z0-9_]*)>")
_REQUIRED = ("id", "clause", "kind", "confidence", "pattern", "examples", "counter_examples")


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the entry and how to fix it."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry, compiled."""

    id: str
    clause: str
    kind: str
    confidence: float
    on_raw: bool
    regex: re.Pattern[str]
    anchors: frozenset[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """A text matched ``entry``; ``trigger`` is the matched wording (folded unless raw)."""

    entry: Entry
    trigger: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All entries of one lexicon file, in file order."""

    version: str
    entries: tuple[Entry, ...]

    def match(self, text: str, folded: str | None = None) -> list[Hit]:
        """Return one hit per entry that ``text`` matches (its first match), in file order.

        ``folded`` may be passed when the caller already has ``fold(text)``.
        """
        folded = fold(text) if folded is None else folded
        raw = text.lower()
        words = set(folded.split())
        hits: list[Hit] = []
        for entry in self.entries:
            if entry.anchors and words.isdisjoint(entry.anchors):
                continue
            found = entry.regex.search(raw if entry.on_raw else folded)
            if found:
                hits.append(Hit(entry, found.group(0).strip(" .")))
        return hits


# Words too common to serve as anchors (see _anchors).
_COMMON = frozenset(["a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "as", "from", "is", "are", "was", "were", "be", "been", "am", "i", "we", "you", "he", "she", "they", "it", "its", "s", "t", "m", "d", "ll", "re", "ve", "not", "no", "do", "does", "did", "have", "has", "had", "will", "would", "should", "must", "can", "could", "all", "any", "every", "each", "some", "this", "that", "these", "those", "so", "just"])


def _anchors(source: str) -> frozenset[str]:
    """The uncommon words of a folded-text pattern, for a cheap pre-check before the regex.

    Every pattern in the lexicon is built from whole words, and every way through it passes
    through at least one uncommon word (a target such as "jews" or a key word such as "vermin"),
    so a text that contains none of these words cannot match and the regex is skipped.
    tests/test_lexicon.py checks that the pre-check never changes a result.
    """
    return frozenset(w for w in re.findall(r"[a-z0-9]+", source) if w not in _COMMON)


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise LexiconError(f"{where}: unknown macro <{name}>; define it under [macros]")
        return macros[name]

    return _MACRO.sub(replace, pattern)


def _compile_entry(raw: dict[str, object], macros: dict[str, str], index: int) -> Entry:
    where = f"entry {index + 1} ({raw.get('id', 'no id')})"
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise LexiconError(f"{where}: missing {', '.join(missing)}; every entry needs {_REQUIRED}")
    clause, kind, confidence = raw["clause"], raw["kind"], raw["confidence"]
    if clause not in CLAUSES:
        raise LexiconError(f"{where}: clause {clause!r} is not one of {', '.join(CLAUSES)}")
    if kind not in KINDS:
        raise LexiconError(f"{where}: kind {kind!r} must be 'explicit' or 'hint'")
    if not isinstance(confidence, float | int) or not 0 < float(confidence) <= 1:
        raise LexiconError(f"{where}: confidence must be a number in (0, 1], not {confidence!r}")
    on = raw.get("on", "folded")
    if on not in ("folded", "raw"):
        raise LexiconError(f"{where}: on must be 'folded' or 'raw', not {on!r}")
    source = _expand(str(raw["pattern"]), macros, where)
    if on == "folded":
        # Whole words only: the folded text is words separated by single spaces.
        source = rf"(?<![a-z0-9])(?:{source})(?![a-z0-9])"
    try:
        regex = re.compile(source)
    except re.error as exc:
        raise LexiconError(f"{where}: pattern does not compile ({exc}); fix the expression") from exc
    return Entry(
        id=str(raw["id"]),
        clause=str(clause),
        kind=str(kind),
        confidence=float(confidence),
        on_raw=on == "raw",
        regex=regex,
        anchors=frozenset() if on == "raw" else _anchors(source),
        examples=tuple(str(e) for e in raw["examples"]),  # type: ignore[attr-defined]
        counter_examples=tuple(str(e) for e in raw["counter_examples"]),  # type: ignore[attr-defined]
    )


def parse_lexicon(text: str) -> Lexicon:
    """Validate and compile lexicon TOML ``text``; raise :class:`LexiconError` if it is malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"lexicon is not valid TOML: {exc}") from exc
    macros = {str(k): str(v) for k, v in data.get("macros", {}).items()}
    # Macros may use macros defined before them.
    for name in list(macros):
        macros[name] = _expand(macros[name], macros, f"macro {name}")
    raw_entries = data.get("entry", [])
    if not raw_entries:
        raise LexiconError("lexicon has no [[entry]] tables; add at least one")
    entries = tuple(_compile_entry(raw, macros, i) for i, raw in enumerate(raw_entries))
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LexiconError(f"duplicate entry ids {duplicates}; give each entry its own id")
    return Lexicon(version=str(data.get("version", "unversioned")), entries=entries)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Load the lexicon at ``path`` (the packaged one by default), compiled and cached."""
    return parse_lexicon(path.read_text(encoding="utf-8"))
