"""Hashed text features shared by training and scoring.

A text becomes two blocks of features, each hashed into ``2**bits`` buckets with CRC-32 (stable
across processes and platforms, unlike Python's ``hash``):

- words: unigrams and bigrams of the model text (see :func:`model_text`);
- characters: 2- to 5-grams inside each word padded with spaces (like scikit-learn's
  ``char_wb``), which see through spelling games the folding does not undo.

Counts are weighted by the inverse document frequency learned in training, and each block is
scaled to (about) unit length, so long texts do not outscore short ones; see :func:`vectorise`.
"""

from __future__ import annotations

import itertools
import re
import zlib
from functools import lru_cache

import numpy as np

from fairhearing.screening.normalise import fold

CHAR_RANGE = (2, 5)
CACHE_WORD_CHARS = 40
_WORD_PREFIX = b"w:"
_CHAR_PREFIX = b"c:"


def model_text(text: str) -> list[str]:
    """Return the words the model sees: the folded text plus the signals folding drops.

    Folding (normalise.py) keeps only letters and digits, which is right for the lexicon but
    throws away what a tweet signals besides its words: hashtags as hashtags (``#zionazi`` is
    not the same act as the word "zionazi"), emoji (a rat or a nose says what a word would),
    and the echo ``(((name)))``. These are added as extra tokens after the words.
    """
    # The model does not distinguish clause from sentence bounds: both are one "." word.
    words = ["." if w == "," else w for w in fold(text).split()]
    if "#" in text:
        words.extend("#" + fold(tag).replace(" ", "") for tag in _HASHTAG.findall(text))
    if not text.isascii():
        words.extend(_EMOJI.findall(text))
    if "(((" in text:
        words.append("__echo__")
    return words


# A hashtag: "#" after a space or the start, then letters, digits or underscores.
_HASHTAG = re.compile(r"(?<![\w&])#(\w+)")
# Pictographs and symbols (emoji, flags, arrows); one token per occurrence.
_EMOJI = re.compile("[\u2190-\u2bff\U0001f000-\U0001faff]")


@lru_cache(maxsize=20_000)
def _char_buckets(word: str, mask: int) -> np.ndarray:
    padded = f" {word} ".encode()
    low, high = CHAR_RANGE
    out = [
        zlib.crc32(_CHAR_PREFIX + padded[i : i + n]) & mask
        for n in range(low, high + 1)
        for i in range(len(padded) - n + 1)
    ]
    return np.array(out, dtype=np.int64)


@lru_cache(maxsize=200_000)
def _word_bucket(gram: str, mask: int) -> int:
    return zlib.crc32(_WORD_PREFIX + gram.encode()) & mask


def grams(words: list[str]) -> list[str]:
    """The word features of a text: its words and its adjacent pairs of words."""
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def gram_bucket(gram: str, bits: int) -> int:
    """The bucket of one word feature."""
    return _word_bucket(gram, (1 << bits) - 1)


def char_buckets(word: str, bits: int) -> np.ndarray:
    """The buckets of the character n-grams of one word, one entry per occurrence."""
    mask = (1 << bits) - 1
    # Only ordinary-length words are cached, so a pathological input cannot fill memory.
    if len(word) > CACHE_WORD_CHARS:
        return _char_buckets.__wrapped__(word, mask)
    return _char_buckets(word, mask)


_EMPTY = np.zeros(0, dtype=np.int64)


def buckets(text: str, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the word and character buckets of ``text``, one entry per occurrence."""
    words = model_text(text)
    word_block = np.array([gram_bucket(g, bits) for g in grams(words)], dtype=np.int64)
    chars = np.concatenate([char_buckets(w, bits) for w in words]) if words else _EMPTY
    return word_block, chars


def _block(occurrences: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(occurrences):
        return _EMPTY, np.zeros(0)
    unique, counts = np.unique(occurrences, return_counts=True)
    norm = float(np.sqrt(np.sum(idf[occurrences] ** 2)))
    return unique, counts * idf[unique] / norm


def vectorise(text: str, bits: int, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the feature vector of ``text`` as ``(buckets, values)``, buckets ascending.

    In each block a bucket's value is ``count * idf / norm``, where ``norm`` is the square root
    of the sum of ``idf**2`` over every occurrence. The norm is counted per occurrence rather
    than per distinct bucket so that a text's score is a sum over its words, which lets the
    model cache each word's contribution (model.py); for the short texts screened, where
    words rarely repeat, this is unit length or very near it. A bucket shared by a word
    feature and a character feature adds up, as in a hashed union.
    """
    (wb, wv), (cb, cv) = (_block(o, idf) for o in buckets(text, bits))
    unique, inverse = np.unique(np.concatenate([wb, cb]), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate([wv, cv]), minlength=len(unique))
