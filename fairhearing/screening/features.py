"""Hashed text features shared by training and scoring.

A text becomes two blocks of features, each hashed into ``2**bits`` buckets with CRC-32 (stable
across processes and platforms, unlike Python's ``hash``):

- words: unigrams and bigrams of the model text (see :func:`model_text`);
- characters: 2- to 5-grams inside each word padded with spaces (like scikit-learn's
  ``char_wb``), which see through spelling games the folding does not undo.

Counts are damped (``1 + log(count)``), weighted by the inverse document frequency learned in
training, and each block is scaled to unit length, so long texts do not outscore short ones.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import Counter
from functools import lru_cache

from fairhearing.screening.normalise import fold

CHAR_RANGE = (2, 5)
_WORD_PREFIX = b"w:"
_CHAR_PREFIX = b"c:"


def model_text(text: str) -> list[str]:
    """Return the words the model sees: the folded text plus the markers normalise drops.

    The echo ``(((name)))`` and hashtags survive as tokens because they carry meaning in tweets.
    """
    words = fold(text).split()
    if "(((" in text:
        words.append("__echo__")
    return words


@lru_cache(maxsize=200_000)
def _char_buckets(word: str, mask: int) -> tuple[int, ...]:
    padded = f" {word} ".encode()
    low, high = CHAR_RANGE
    out = []
    for n in range(low, high + 1):
        for i in range(len(padded) - n + 1):
            out.append(zlib.crc32(_CHAR_PREFIX + padded[i : i + n]) & mask)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _word_bucket(gram: str, mask: int) -> int:
    return zlib.crc32(_WORD_PREFIX + gram.encode()) & mask


def _unit(counts: Counter[int], idf: list[float] | None) -> dict[int, float]:
    weighted = {
        b: (1.0 + math.log(c)) * (idf[b] if idf is not None else 1.0) for b, c in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    return {b: v / norm for b, v in weighted.items()}


def raw_counts(text: str, bits: int) -> tuple[Counter[int], Counter[int]]:
    """Return the (word, character) bucket counts of ``text`` before weighting."""
    mask = (1 << bits) - 1
    words = model_text(text)
    word_counts: Counter[int] = Counter(_word_bucket(w, mask) for w in words)
    word_counts.update(_word_bucket(f"{a} {b}", mask) for a, b in itertools.pairwise(words))
    char_counts: Counter[int] = Counter()
    for word in words:
        char_counts.update(_char_buckets(word, mask))
    return word_counts, char_counts


def vectorise(text: str, bits: int, idf: list[float] | None) -> dict[int, float]:
    """Return the sparse feature vector of ``text``: bucket -> value, both blocks summed.

    A bucket shared by a word feature and a character feature adds up, as in a hashed union.
    """
    word_counts, char_counts = raw_counts(text, bits)
    vector = _unit(word_counts, idf)
    for bucket, value in _unit(char_counts, idf).items():
        vector[bucket] = vector.get(bucket, 0.0) + value
    return vector


