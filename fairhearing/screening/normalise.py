"""Text normalisation that undoes the spelling games people play to dodge filters.

:func:`fold` turns a text into lower-case ASCII words separated by single spaces, after:

- transliteration of look-alike letters (``ｊｅｗｓ``, ``јews`` with a Cyrillic ``ј``);
- leetspeak inside words that also contain letters (``k1ke``, ``j3ws``, ``k!ke``), while plain
  numbers such as ``6 million`` stay numbers;
- letters spelled out one by one (``k i k e``, ``k.i.k.e``, ``k-i-k-e``);
- letters repeated for effect (``kiiiike``);
- an adjacent pair of letters swapped (``jwes``, ``kkie``), a letter starred out (``k*ke``),
  a letter dropped from a long word (``jewsh``, ``holocast``), ``y`` for ``i`` (``kyke``),
  ``vv`` for ``w`` (``jevvs``), a final ``z`` for ``s`` (``jewz``, ``yidz``), and a word broken
  by stray spaces or dots (``je ws``, ``ki.kes``), but only for the words named in
  :data:`CANONICAL`, so ordinary words are never rewritten.

Sentence ends become a ``.`` token and clause punctuation a ``,`` token. The lexicon patterns
are written against the folded form, so each variant needs no entry of its own. Folding is
deterministic and pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from unidecode import unidecode

# Leetspeak digits and symbols, applied only inside tokens that also contain a letter.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e"})
# Names that transliterate into a slur: the baseball player Kiké (Enrique) Hernández.
_NAMES = ((re.compile(r"\bkik[eé](?=\W+hern[aá]ndez)|\bkiké\b", re.IGNORECASE), "enrique"),)
_URL = re.compile(r"https?://\S+|www\.\S+")
# The euro sign as a leetspeak "e" ("j€ws"), before transliteration turns it into "EUR".
_EURO = re.compile(r"(?<=[A-Za-z])€|€(?=[A-Za-z])")
_MENTION = re.compile(r"(?<!\w)@\w+")
# A token is a run of letters, digits and the symbols leetspeak uses, possibly starred out.
_TOKEN = re.compile(r"[a-z0-9@$!|+€*]+|(?<= )[.,](?= )")
# Letters separated by one separator each: k.i.k.e, k-i-k-e, k_i_k_e, k i k e.
_SPELLED = re.compile(r"\b(?:[a-z0-9@$!*][ .\-_/]){2,}[a-z0-9@$!*]\b")
# Numbers, with or without an ordinal or unit suffix (6, 1940s, 6m, 2nd), are left alone.
_NUMBER = re.compile(r"^\d+[a-z]{0,2}$")
# Sentence ends become a "." token and clause punctuation a "," token, so that no fixed pattern
# spans two clauses ("...babies, or Jews, is evil" is not "jews is evil"), while the proximity
# rules may look across a comma but never across a sentence end.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_CLAUSE = re.compile(r"[;:,()\[\]\"\u201c\u201d]+")
_RUNS = re.compile(r"(.)\1{2,}")
_DOUBLES = re.compile(r"(.)\1")

# Words whose disguised spellings are mapped back. Only these are ever rewritten by the swap and
# star rules: a generic rule would turn "form" into "from". Plurals are listed separately so that
# each swap variant maps to exactly one word.
CANONICAL: tuple[str, ...] = (
    "jew", "jews", "jewish", "jewry", "joos", "jooz", "kike", "kikes", "yid", "yids", "yiddo",
    "hymie", "hymies", "heeb", "heebs", "zionist", "zionists", "zionazi", "zionazis", "zio",
    "zios", "holocaust", "holohoax", "shoah", "gas", "gassed", "oven", "ovens", "exterminate",
    "exterminated", "extermination", "kill", "killed", "murder", "vermin", "rats", "parasites",
    "parasite", "cockroaches", "leeches", "subhuman", "subhumans", "animals", "filth", "scum",
    "israel", "israeli", "israelis", "nazi", "nazis", "rothschild", "rothschilds", "goyim",
    "synagogue", "synagogues", "genocide", "hitler", "burn", "hang", "shekel", "shekels",
    "zhid", "zhids", "hebe", "hebes", "rodents", "cancer", "plague", "disease", "pogrom",
    "pogroms", "lynch", "shoot", "stab", "killer", "killers",
)
# Long words from which a dropped letter is also undone ("jewsh", "holocast"). Kept to words
# none of whose one-letter-shorter forms is an English word ("animals" would give "animal").
DROPPABLE: tuple[str, ...] = (
    "jewish", "zionist", "zionists", "zionazi", "zionazis", "holocaust", "holohoax", "israeli",
    "israelis", "parasites", "cockroaches", "exterminate", "synagogue", "synagogues",
    "rothschild", "subhuman", "subhumans", "vermin", "genocide",
)
# Words a run of short fragments may be joined into ("je ws", "j ew s", "ki.kes"): the targets
# and slurs only, since joining is the boldest rewrite.
JOINABLE: frozenset[str] = frozenset((
    "jew", "jews", "jewish", "kike", "kikes", "yids", "heeb", "heebs", "zionist", "zionists",
    "zionazi", "zionazis", "holocaust", "holohoax", "vermin", "rats",
))
# Fragments that are ordinary short words are never joined ("he", "is", "a").
_NOT_FRAGMENTS = frozenset((
    "a", "i", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me",
    "my", "no", "of", "on", "or", "so", "to", "up", "us", "we", "the", "and", "for", "are",
    "was", "you", "all", "not", "but", "his", "her", "our", "its", "who", "how", "why",
))


def _swaps(word: str) -> Iterable[str]:
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _drops(word: str) -> Iterable[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


def _build_variants() -> dict[str, str]:
    variants: dict[str, str] = {}
    canonical = set(CANONICAL)
    for word in CANONICAL:
        if len(word) < 4:
            continue
        for variant in _swaps(word):
            if variant not in canonical:
                variants.setdefault(variant, word)
    for word in DROPPABLE:
        for variant in _drops(word):
            if variant not in canonical:
                variants.setdefault(variant, word)
    return variants


_VARIANTS = _build_variants()


def _star_match(token: str) -> str:
    """Map a starred-out token (``k*ke``, ``j*ws``) to the one canonical word it can stand for."""
    pattern = re.compile("^" + "".join("[a-z]" if c == "*" else re.escape(c) for c in token) + "$")
    hits = [word for word in CANONICAL if pattern.match(word)]
    return hits[0] if len(hits) == 1 else token.replace("*", "")


# Caches hold short strings only, so that memory stays bounded whatever the input.
_CACHE_TOKEN_CHARS = 40
_CACHE_TEXT_CHARS = 2000


def fold_token(token: str) -> str:
    """Return the canonical spelling of one raw lower-case token (see the module docstring)."""
    return _fold_token(token) if len(token) <= _CACHE_TOKEN_CHARS else _fold_token.__wrapped__(token)


@lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    token = token.strip("!|+*") if len(token) > 1 else token
    if not token or _NUMBER.match(token):
        return token
    word = token.translate(_LEET) if any(c.isalpha() for c in token) else token
    if "*" in word:
        word = _star_match(word)
    word = "".join(c for c in word if c.isalnum())
    if not word or word in _CANONICAL_SET:
        return word
    # Repeated letters: try runs cut to two ("jooooz" -> "jooz"), to one, then every double.
    two = _RUNS.sub(r"\1\1", word)
    one = _RUNS.sub(r"\1", word)
    for candidate in (two, one, _DOUBLES.sub(r"\1", one)):
        if candidate in _CANONICAL_SET:
            return candidate
    for candidate in (two, one):
        if candidate in _VARIANTS:
            return _VARIANTS[candidate]
    # Letter substitutions that only ever disguise: "vv" for "w", "y" for "i", a final "z"
    # for "s" ("jevvs", "kyke", "jewz"); tried last, and only toward a canonical word.
    for candidate in _substitutions(two):
        found = candidate if candidate in _CANONICAL_SET else _VARIANTS.get(candidate)
        if found:
            return found
    return two


def _substitutions(word: str) -> Iterable[str]:
    base = word.replace("vv", "w")
    forms = {base, base.replace("y", "i")}
    if base.endswith("z"):
        forms |= {f[:-1] + "s" for f in list(forms)}
    forms.discard(word)
    return sorted(forms)


_CANONICAL_SET = frozenset(CANONICAL)


def _join_fragments(words: list[str]) -> list[str]:
    """Join runs of two or three short fragments that spell a :data:`JOINABLE` word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2):
            parts = words[i:i + size]
            if (len(parts) == size and all(len(p) <= 3 and p.isalpha() for p in parts)
                    and not any(p in _NOT_FRAGMENTS or p in _CANONICAL_SET for p in parts)):
                joined = fold_token("".join(parts))
                if joined in JOINABLE:
                    out.append(joined)
                    i += size
                    break
        else:
            out.append(words[i])
            i += 1
    return out


def _join_spelled(match: re.Match[str]) -> str:
    joined = re.sub(r"[ .\-_/]", "", match.group(0))
    # "a k i k e": a one-letter word ("a", "i", "u") may precede the spelled-out word.
    # "j e w s i meet": so may follow it.
    if fold_token(joined) in _CANONICAL_SET:
        return joined
    for cut in (1, 2):
        if fold_token(joined[cut:]) in _CANONICAL_SET:
            return f"{joined[:cut]} {joined[cut:]}"
        if fold_token(joined[:-cut]) in _CANONICAL_SET:
            return f"{joined[:-cut]} {joined[-cut:]}"
    return joined


def fold(text: str) -> str:
    """Return the folded form of ``text`` (see :func:`_fold`); short texts are cached."""
    return _fold(text) if len(text) <= _CACHE_TEXT_CHARS else _fold.__wrapped__(text)


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """Return the folded form of ``text``: lower-case ASCII words joined by single spaces.

    A "." token stands between sentences and a "," token between clauses.

    URLs and @mentions are dropped, because they carry no wording of the speaker's own.
    """
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    for pattern, name in _NAMES:
        text = pattern.sub(name, text)
    text = _EURO.sub("e", text).replace("€", " euro ")
    text = unidecode(text).lower().replace("&amp;", "&")
    text = _SPELLED.sub(_join_spelled, text)
    text = _CLAUSE.sub(" , ", _SENTENCE_END.sub(" . ", text))
    words: list[str] = []
    for tok in _TOKEN.findall(text):
        word = tok if tok in ".," else fold_token(tok)
        if not word:
            continue
        if word in ".,":
            if not words or words[-1] == ".":
                continue
            if words[-1] == ",":
                # A sentence end outranks a comma next to it; two commas are one.
                words[-1] = "." if word == "." else ","
                continue
        words.append(word)
    while words and words[-1] in ".,":
        words.pop()
    return " ".join(_join_fragments(words))
