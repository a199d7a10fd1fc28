"""Hand-written cases in the manner of HateCheck (Röttger et al. 2021), expanded into texts.

A cases file (TOML) lists ``targets`` and ``[[group]]`` tables with ``functionality``,
``hateful``, an optional ``clause``, ``kind`` and ``spelling``, and ``templates`` in which
``{T}`` stands for each target (see tests/data/functional_cases.toml). The same format holds the
functional test sets (tests/data/) and the hand-written training cases
(data/training_cases.toml). Pure Python, no Django.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TESTS_DATA = Path(__file__).with_name("tests") / "data"
CASES_PATH = TESTS_DATA / "functional_cases.toml"
TRAINING_CASES_PATH = Path(__file__).with_name("data") / "training_cases.toml"
_LEET = str.maketrans({"e": "3", "i": "1", "o": "0", "a": "4", "s": "5"})


@dataclass(frozen=True)
class Case:
    """One functional case: ``hateful`` cases must be flagged, the others must not."""

    functionality: str
    text: str
    hateful: bool
    clause: str | None
    kind: str


def _target_word(text: str) -> str:
    for word in ("Jews", "Jewish", "kike", "Kikes", "yid", "vermin", "Holocaust", "holohoax",
                 "gas", "Gas", "kill", "Kill", "hate"):
        if word in text:
            return word
    return ""


def perturb(text: str, how: str) -> str:
    """Apply one spelling game to the first key word of ``text`` (deterministic)."""
    word = _target_word(text)
    if not word:
        return text
    if how == "swap":
        new = word[0] + word[2] + word[1] + word[3:] if len(word) > 3 else word
    elif how == "leet":
        new = word[0] + word[1:].translate(_LEET)
    elif how == "space":
        new = " ".join(word)
    elif how == "repeat":
        new = word[:2] + word[1] * 3 + word[2:]
    elif how == "star":
        new = word[0] + "*" + word[2:]
    else:
        raise ValueError(f"unknown spelling game {how!r}; use swap, leet, space, repeat or star")
    return text.replace(word, new, 1)


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    """Every case of the file, targets and spelling games expanded, duplicates removed."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    out: list[Case] = []
    for group in data["group"]:
        texts: list[str] = []
        for template in group["templates"]:
            texts.extend(template.replace("{T}", t) for t in data["targets"])
        for how in group.get("spelling", []):
            texts.extend(perturb(t, how) for t in list(texts[: len(group["templates"]) * 2]))
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            out.append(Case(group["functionality"], text, bool(group["hateful"]),
                            group.get("clause"), group.get("kind", "hateful")))
    return out
