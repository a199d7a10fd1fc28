"""Reading the annotated CSV files and the held-out split.

Every file has the columns ``id,text,label,source,subtype,split`` (see shared/data/README.md).
The held-out split is decided by the text alone: a row is held out when the SHA-256 of its
normalised text (retweet prefix, URLs and @mentions dropped, lower-cased, punctuation gone) falls
in the first fifth of the hash range. Copies and retweets of one text therefore land on the same
side, the split does not depend on row order, and training never sees a held-out text.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("id", "text", "label", "source", "subtype", "split")
ENV_DATA = "FAIRHEARING_SCREENING_DATA"
HELD_OUT_PERCENT = 20

_RETWEET = re.compile(r"^rt @\w+:?")
_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"@\w+")
_NON_WORD = re.compile(r"[^\w]+")


class DatasetError(ValueError):
    """A data file is unusable; the message names the file, the line and the fix."""


@dataclass(frozen=True, slots=True)
class Row:
    """One annotated text."""

    id: str
    text: str
    label: int
    source: str
    subtype: str


def split_key(text: str) -> str:
    """Return the normalised text that decides which side of the split a text falls on."""
    text = _RETWEET.sub("", text.lower())
    text = _MENTION.sub("", _URL.sub("", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def is_held_out(text: str) -> bool:
    """True when ``text`` belongs to the held-out evaluation split (never used for training)."""
    digest = hashlib.sha256(split_key(text).encode()).hexdigest()
    return int(digest[:8], 16) % 100 < HELD_OUT_PERCENT


def read_rows(path: Path) -> Iterator[Row]:
    """Yield the rows of one CSV file, checking the header and every label.

    Raises :class:`DatasetError` naming the file and line for a missing file, a wrong header or
    a label that is not 0 or 1.
    """
    if not path.is_file():
        raise DatasetError(f"{path}: no such file; pass the path of a CSV with columns "
                           f"{','.join(COLUMNS)}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in ("text", "label") if c not in header]
        if missing:
            raise DatasetError(
                f"{path}, line 1: header {','.join(header) or '(empty)'} lacks "
                f"{', '.join(missing)}; the first line must be {','.join(COLUMNS)}")
        for row in reader:
            label = (row.get("label") or "").strip()
            if label not in ("0", "1"):
                raise DatasetError(f"{path}, line {reader.line_num}: label {label!r} must be 0 "
                                   "or 1; fix or remove that row")
            yield Row(id=row.get("id") or f"line-{reader.line_num}", text=row.get("text") or "",
                      label=int(label), source=row.get("source") or path.stem,
                      subtype=row.get("subtype") or "")


def default_data_dir() -> Path:
    """``$FAIRHEARING_SCREENING_DATA`` if set, else ``../shared/data`` beside the repository."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override)
    repo_root = Path(__file__).resolve().parents[2]
    return repo_root.parent / "shared" / "data"


def data_files(data_dir: Path) -> list[Path]:
    """The CSV files of ``data_dir``, sorted by name; raise if there are none."""
    if not data_dir.is_dir():
        raise DatasetError(f"{data_dir}: no such directory; pass --data DIR or set {ENV_DATA}")
    files = sorted(data_dir.glob("*.csv"))
    if not files:
        raise DatasetError(f"{data_dir}: no .csv files; it should hold the annotated data")
    return files
