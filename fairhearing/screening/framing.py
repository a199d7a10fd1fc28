"""How a text stands toward the antisemitic content it carries: the framing.

One of ``expresses``, ``reports``, ``quotes``, ``condemns`` or ``unclear``. The cues live in
``data/framing.toml``; this module only applies them. :func:`frame` decides which cue family a
text shows; the engine then uses "expresses" when something was detected and no cue applies,
and "unclear" when nothing was detected and no cue applies.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FRAMING_PATH = Path(__file__).with_name("data") / "framing.toml"

EXPRESSES, REPORTS, QUOTES, CONDEMNS, UNCLEAR = "expresses", "reports", "quotes", "condemns", "unclear"
FRAMINGS: tuple[str, ...] = (EXPRESSES, REPORTS, QUOTES, CONDEMNS, UNCLEAR)
# A condemnation word right next to a word aimed at Jews ("jews are disgusting", "fight the
# jews") is not counter-speech; this many words before and after it are checked.
_GUARD_BEFORE, _GUARD_AFTER = 3, 2


class FramingError(ValueError):
    """The framing file is malformed; the message names the key and how to fix it."""


def _words(patterns: list[str], key: str) -> re.Pattern[str]:
    if not isinstance(patterns, list) or not patterns:
        raise FramingError(f"framing.toml: {key} must be a non-empty list of patterns")
    try:
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![a-z0-9])")
    except re.error as exc:
        raise FramingError(f"framing.toml: a pattern under {key} does not compile ({exc})") from exc


@dataclass(frozen=True, slots=True)
class FramingRules:
    """The compiled cues of one framing file."""

    own_voice: re.Pattern[str]
    quotes: re.Pattern[str]
    quote_marks: re.Pattern[str]
    condemns_named: re.Pattern[str]
    condemns: re.Pattern[str]
    reports: re.Pattern[str]
    policy: tuple[re.Pattern[str], ...]
    people: re.Pattern[str]
    in_group: re.Pattern[str]
    version: str = "unversioned"

    def cue(self, text: str, folded: str) -> str | None:
        """Return the framing the cues point to (quotes, condemns, reports) or None.

        None means no cue applies, or an own-voice cue overrides them all.
        """
        if self.own_voice.search(folded):
            return None
        if self.quotes.search(folded) or self.quote_marks.search(text):
            return QUOTES
        if self.condemns_named.search(folded):
            return CONDEMNS
        for match in self.condemns.finditer(folded):
            near = (folded[: match.start()].split()[-_GUARD_BEFORE:]
                    + folded[match.end():].split()[:_GUARD_AFTER])
            if not any(self.people.fullmatch(word) for word in near):
                return CONDEMNS
        if self.reports.search(folded):
            return REPORTS
        return None

    def is_policy_criticism(self, folded: str) -> bool:
        """True when the text talks about a state's policy and names no people as such."""
        return (any(p.search(folded) for p in self.policy)
                and not self.people.search(folded))

    def is_in_group(self, folded: str) -> bool:
        """True when the speaker describes their own Jewish identity or circle."""
        return bool(self.in_group.search(folded))


def parse_framing(text: str) -> FramingRules:
    """Validate and compile framing TOML ``text``; raise :class:`FramingError` if malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(f"framing.toml is not valid TOML: {exc}") from exc
    for key in ("own_voice", "quotes", "quote_marks", "condemns_named", "condemns", "reports",
                "policy", "in_group", "people"):
        if key not in data:
            raise FramingError(f"framing.toml: missing {key}; see the header for the format")
    try:
        marks = re.compile(str(data["quote_marks"]))
        people = re.compile(rf"(?<![a-z0-9])(?:{data['people']})(?![a-z0-9])")
    except re.error as exc:
        raise FramingError(f"framing.toml: quote_marks or people does not compile ({exc})") from exc
    return FramingRules(
        own_voice=_words(data["own_voice"], "own_voice"),
        quotes=_words(data["quotes"], "quotes"),
        quote_marks=marks,
        condemns_named=_words(data["condemns_named"], "condemns_named"),
        condemns=_words(data["condemns"], "condemns"),
        reports=_words(data["reports"], "reports"),
        policy=tuple(_words([p], "policy") for p in data["policy"]),
        people=people,
        in_group=_words(data["in_group"], "in_group"),
        version=str(data.get("version", "unversioned")),
    )


@lru_cache(maxsize=4)
def load_framing(path: Path = FRAMING_PATH) -> FramingRules:
    """Load the framing cues at ``path`` (the packaged ones by default), compiled and cached."""
    return parse_framing(path.read_text(encoding="utf-8"))
