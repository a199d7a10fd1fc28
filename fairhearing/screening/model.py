"""The statistical model: storage format, loading and scoring.

The model is a logistic regression over hashed features (see features.py). It is stored as one
gzip file that holds only data, never code, so loading it cannot execute anything:

    b"FHSM1\\n"  one line of JSON (the header)  b"\\n"  weights  idf

where weights and idf are ``2**bits`` little-endian 32-bit floats each. The header holds
``bits``, ``bias``, ``threshold``, the combination parameters and a description of the training
run. The gzip timestamp is fixed at zero so that the same training gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from fairhearing.screening.features import (
    CACHE_WORD_CHARS,
    char_buckets,
    gram_bucket,
    grams,
    model_text,
)

MAGIC = b"FHSM1\n"
# Words never offered as triggers: they carry no meaning a caseworker could check.
_STOPWORDS = frozenset(["the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out", "has", "him", "his", "how", "its", "may", "new", "now", "old", "see", "two", "who", "did", "get", "let", "put", "say", "she", "too", "use", "that", "with", "have", "this", "will", "your", "from", "they", "been", "were", "what", "when", "them", "than", "then", "there", "these", "those", "would", "about", "which", "their", "just", "like", "into", "only", "very", "also", "some", "more", "most", "such", "over"])
MODEL_PATH = Path(__file__).with_name("model") / "screening-model.bin.gz"
ENV_MODEL = "FAIRHEARING_SCREENING_MODEL"
# Cached per-word contributions; cleared when full, so memory stays bounded on long runs.
_CACHE_LIMIT = 500_000


class ModelFileError(ValueError):
    """A model file is unreadable; the message says which file and how to rebuild it."""


@dataclass(frozen=True)
class Model:
    """A loaded model. ``header`` is the JSON header as stored."""

    bits: int
    bias: float
    weights: np.ndarray
    idf: np.ndarray
    header: dict[str, Any] = field(default_factory=dict)
    digest: str = ""  # SHA-256 of the model file, naming the exact model that scored a text
    _cache: dict[tuple[str, str], tuple[float, float]] = field(
        default_factory=dict, compare=False, repr=False)

    def logit(self, text: str) -> float:
        """Return the log-odds that ``text`` is antisemitic, from the model alone.

        Equal to ``bias + weights . vectorise(text)``, computed as a sum over words: each word
        feature and each word's character n-grams contribute a cached ``(w . idf, idf**2)``
        pair, and each block is divided by the square root of its sum of ``idf**2``.
        """
        words = model_text(text)
        total = self.bias
        for parts in ([self._gram(g) for g in grams(words)], [self._chars(w) for w in words]):
            norm = math.fsum(p[1] for p in parts)
            if norm > 0:
                total += math.fsum(p[0] for p in parts) / math.sqrt(norm)
        return total

    def _gram(self, gram: str) -> tuple[float, float]:
        cached = self._cache.get(("g", gram))
        if cached is None:
            bucket = gram_bucket(gram, self.bits)
            idf = float(self.idf[bucket])
            cached = self._remember(("g", gram), (float(self.weights[bucket]) * idf, idf * idf))
        return cached

    def _chars(self, word: str) -> tuple[float, float]:
        cached = self._cache.get(("c", word))
        if cached is None:
            found = char_buckets(word, self.bits)
            idf = self.idf[found]
            cached = self._remember(("c", word), (float(self.weights[found] @ idf),
                                                  float(idf @ idf)))
        return cached

    def _remember(self, key: tuple[str, str], value: tuple[float, float]) -> tuple[float, float]:
        if len(key[1]) > 2 * CACHE_WORD_CHARS:
            return value
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value
        return value

    def probability(self, text: str) -> float:
        """Return the model's probability, in [0, 1], that ``text`` is antisemitic."""
        z = self.logit(text)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def top_words(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Return up to ``limit`` words of ``text`` whose own features push the score up most."""
        scored: dict[str, float] = {}
        for word in set(model_text(text)):
            if len(word) < 3 or word.startswith("__") or word in _STOPWORDS:
                continue
            scored[word] = self.logit(word) - self.bias
        ranked = sorted((w for w in scored if scored[w] > 0), key=lambda w: (-scored[w], w))
        return tuple(ranked[:limit])


def write_model(path: Path, *, bits: int, bias: float, weights: Any,
                idf: Any, header: dict[str, Any]) -> int:
    """Write a model file to ``path`` and return its size in bytes. Output is deterministic."""
    size = 1 << bits
    if len(weights) != size or len(idf) != size:  # sequences or numpy arrays
        raise ValueError(f"weights and idf must have 2**{bits} = {size} entries")
    header = {**header, "bits": bits, "bias": bias, "format": 1}
    line = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    w, i = np.asarray(weights, dtype="<f4"), np.asarray(idf, dtype="<f4")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(MAGIC + line + b"\n" + w.tobytes() + i.tobytes())
    return path.stat().st_size


def read_model(path: Path) -> Model:
    """Read the model file at ``path``; raise :class:`ModelFileError` if it is not one."""
    fix = "rebuild it with `fairhearing screening train`"
    try:
        packed = path.read_bytes()
        data = gzip.decompress(packed)
    except (OSError, EOFError) as exc:
        raise ModelFileError(f"{path}: not a readable model file ({exc}); {fix}") from exc
    if not data.startswith(MAGIC):
        raise ModelFileError(f"{path}: not a fairhearing screening model; {fix}")
    end = data.index(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC):end])
        bits, bias = int(header["bits"]), float(header["bias"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path}: damaged header ({exc}); {fix}") from exc
    size = 1 << bits
    body = data[end + 1:]
    if len(body) != 8 * size:
        raise ModelFileError(f"{path}: expected {8 * size} bytes of weights, found {len(body)}; {fix}")
    # Computed in double precision; stored in single precision to halve the file.
    weights = np.frombuffer(body[: 4 * size], dtype="<f4").astype(np.float64)
    idf = np.frombuffer(body[4 * size:], dtype="<f4").astype(np.float64)
    return Model(bits=bits, bias=bias, weights=weights, idf=idf, header=header,
                 digest=hashlib.sha256(packed).hexdigest())


def default_model_path() -> Path:
    """The model file to use: ``$FAIRHEARING_SCREENING_MODEL`` if set, else the packaged one."""
    override = os.environ.get(ENV_MODEL)
    return Path(override) if override else MODEL_PATH


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> Model | None:
    """Return the model at ``path`` (default: :func:`default_model_path`), or None if absent.

    A missing file is not an error: screening then runs on the lexicon alone. A file that exists
    but is damaged raises :class:`ModelFileError`, because silently ignoring it would hide a
    broken deployment.
    """
    path = default_model_path() if path is None else path
    if not path.exists():
        return None
    return read_model(path)
