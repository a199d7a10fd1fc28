"""Turn a name as people write it into the parts the platform check compares.

"Dame Jacqueline O'Neill-Smith DBE", "O'NEILL-SMITH, Jacqueline" and
"Jacqueline Oneill Smith" all come out as given names ("jacqueline",) and surname
"oneillsmith". The word lists (titles, post-nominals, surname particles) are data
files beside this module, so they can be reviewed and extended without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from unidecode import unidecode

DATA_DIR = Path(__file__).with_name("data")

#: Longest name accepted, in characters. Real names are far shorter; the limit
#: keeps a pasted paragraph from being treated as a name.
MAX_NAME_LENGTH = 200

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_VOWELS = frozenset("AEIOUY")


class InvalidNameError(ValueError):
    """Raised when a text holds nothing that can be read as a name."""


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name reduced to lower-case ASCII parts.

    ``given_names`` keeps the written order; an initial is a one-letter given name.
    ``surname`` joins particles, hyphenated and apostrophised parts ("oneill",
    "smithjones", "vanderberg"); ``surname_core`` drops leading particles
    ("berg"); ``surname_parts`` lists the hyphen-separated parts without particles
    (("smith", "jones")).
    """

    given_names: tuple[str, ...]
    surname: str
    surname_core: str
    surname_parts: tuple[str, ...]

    @property
    def initials(self) -> tuple[str, ...]:
        """The first letter of each given name, in order."""
        return tuple(name[0] for name in self.given_names)

    @property
    def full(self) -> str:
        """Given names and surname as one space-separated string."""
        return " ".join((*self.given_names, self.surname))


def _read_words(filename: str) -> list[str]:
    lines = (DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def titles() -> frozenset[str]:
    """Titles and honorifics removed from the start of a name (data/titles.txt)."""
    return frozenset(word.rstrip("*") for word in _read_words("titles.txt"))


@cache
def peerage_titles() -> frozenset[str]:
    """Titles that also cut an "of <place>" designation (marked '*' in titles.txt)."""
    return frozenset(word.rstrip("*") for word in _read_words("titles.txt") if word.endswith("*"))


@cache
def postnominals() -> frozenset[str]:
    """Letters and suffixes removed from the end of a name (data/postnominals.txt)."""
    return frozenset(_read_words("postnominals.txt"))


@cache
def particles() -> frozenset[str]:
    """Surname particles joined to the following word (data/particles.txt)."""
    return frozenset(_read_words("particles.txt"))


def _tokens(segment: str) -> list[str]:
    # Apostrophes join (O'Neill -> ONeill); dots separate initials (J.R. -> J R).
    segment = segment.replace("'", "").replace("`", "").replace(".", " ")
    return _TOKEN.findall(segment)


def _strip_titles(tokens: list[str]) -> list[str]:
    """Remove leading titles and, after a peerage title, an "of <place>" tail."""
    title_words, peerages = titles(), peerage_titles()
    peer = False
    while len(tokens) > 1 and tokens[0].lower() in title_words:
        peer = peer or tokens[0].lower() in peerages
        tokens = tokens[1:]
    if peer:
        lowered = [token.lower() for token in tokens]
        if "of" in lowered[1:]:
            tokens = tokens[: lowered.index("of", 1)]
    return tokens


def _strip_postnominals(tokens: list[str]) -> list[str]:
    """Remove trailing post-nominals, keeping a two-word name unless in capitals.

    "Jack Ma" must keep "Ma" although "MA" is a degree; "Smith MP" loses "MP".
    """
    letters = postnominals()
    while len(tokens) > 1 and tokens[-1].lower() in letters:
        if len(tokens) == 2 and not (tokens[-1].isupper() and len(tokens[-1]) > 1):
            break
        tokens = tokens[:-1]
    return tokens


def _expand_initials(tokens: list[str], *, all_given: bool) -> list[str]:
    """Split capitalised runs of initials such as "JR" or "JRR".

    Without a comma the last word is the surname and is never split ("John NG").
    """
    expanded: list[str] = []
    for position, token in enumerate(tokens):
        is_run = (
            (all_given or position < len(tokens) - 1)
            and 2 <= len(token) <= 3
            and token.isupper()
            and not _VOWELS.intersection(token)
        )
        if is_run:
            expanded.extend(token)
        else:
            expanded.append(token)
    return expanded


def _split_capitalised_surname(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """Read "SMITH John" and "John SMITH" style names: the capitalised words are the surname."""
    if len(tokens) < 2:
        return None
    capital = [len(token) > 1 and token.isupper() for token in tokens]
    if all(capital) or not any(capital):
        return None
    run = capital.index(True)
    end = run
    while end < len(tokens) and capital[end]:
        end += 1
    if any(capital[end:]):
        return None
    if run == 0:
        return tokens[end:], tokens[:end]
    if end == len(tokens):
        return tokens[:run], tokens[run:]
    return None


def _split_surname(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Last word is the surname, with any particles before it (not the first word)."""
    start = len(tokens) - 1
    particle_words = particles()
    while start > 1 and tokens[start - 1].lower() in particle_words:
        start -= 1
    return tokens[:start], tokens[start:]


def _surname_fields(words: list[str]) -> tuple[str, str, tuple[str, ...]]:
    parts = [part for word in words for part in word.lower().split("-") if part]
    particle_words = particles()
    core = list(parts)
    while len(core) > 1 and core[0] in particle_words:
        core = core[1:]
    return "".join(parts), "".join(core), tuple(core)


def _given_fields(words: list[str]) -> tuple[str, ...]:
    particle_words = particles()
    given: list[str] = []
    for position, word in enumerate(words):
        for part in word.lower().split("-"):
            if part and not (position > 0 and part in particle_words):
                given.append(part)
    return tuple(given)


def _clean_segments(text: str) -> list[list[str]]:
    segments = [_tokens(segment) for segment in text.split(",")]
    segments = [segment for segment in segments if segment]
    letters = postnominals()
    if len(segments) > 1 and len(segments[0]) > 1:
        # "John Smith, OBE, MP": segments after a full name that hold only
        # post-nominals are dropped; "Smith, JP" keeps JP as initials.
        segments = [segments[0]] + [
            seg for seg in segments[1:] if not all(token.lower() in letters for token in seg)
        ]
    return [_strip_postnominals(_strip_titles(segment)) for segment in segments]


def normalise_name(raw: str) -> NormalisedName:
    """Normalise a written name for comparison.

    Handles titles and honorifics (Dame, Lord, Cllr, Dr, ...) at the start,
    post-nominals (MP, OBE, KC, PhD, ...) at the end, "Surname, Forename",
    capitalised surnames ("SMITH John"), initials ("J.R.", "JR"), diacritics and
    other scripts (through unidecode), case, punctuation, apostrophes (O'Neill)
    and hyphens (Smith-Jones; a hyphenated forename becomes two given names).
    Text in brackets ("(Chair)") is ignored.

    Raises InvalidNameError when the text is not a string, is longer than
    MAX_NAME_LENGTH, or holds no letters once titles and punctuation are gone.
    """
    if not isinstance(raw, str):
        raise InvalidNameError(f"a name must be text, not {type(raw).__name__}")
    if len(raw) > MAX_NAME_LENGTH:
        raise InvalidNameError(
            f"the name is {len(raw)} characters long; at most {MAX_NAME_LENGTH} are allowed"
        )
    text = _BRACKETED.sub(" ", unidecode(raw))
    segments = _clean_segments(text)
    if not segments:
        raise InvalidNameError(f"no letters found in {raw!r}; write the person's name")
    ornaments = titles() | postnominals()
    if all(token.lower() in ornaments for segment in segments for token in segment):
        raise InvalidNameError(
            f"{raw!r} holds only a title or letters after a name; write the person's name"
        )
    if len(segments) >= 2:
        given_words = _expand_initials(segments[1], all_given=True)
        surname_words = segments[0]
    else:
        words = _expand_initials(segments[0], all_given=False)
        split = _split_capitalised_surname(words)
        given_words, surname_words = split if split else _split_surname(words)
    surname, core, parts = _surname_fields(surname_words)
    return NormalisedName(
        given_names=_given_fields(given_words),
        surname=surname,
        surname_core=core,
        surname_parts=parts,
    )


_SOUND_CLASSES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
    **dict.fromkeys("aeiouy", "0"),
}


@lru_cache(maxsize=262144)
def phonetic_key(word: str) -> str:
    """A Soundex-style key of up to four sound classes for blocking.

    Unlike classic Soundex the first letter is coded too, so Cohen/Kohen and
    Ahmed/Ehmed share a key. Used only to choose candidates; scoring compares the
    spelled names.
    """
    word = word.replace("ph", "f")
    if not word:
        return ""
    key = [_SOUND_CLASSES.get(word[0], "")]
    previous = key[0]
    for letter in word[1:]:
        code = _SOUND_CLASSES.get(letter)
        if code is None:  # h and w neither code nor separate
            continue
        if code != "0" and code != previous:
            key.append(code)
            if len(key) == 4:
                break
        previous = code
    return "".join(key)
