"""Fixtures for the screening tests: small annotated data sets written to a temporary folder."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HATEFUL = ["the jews control the banks {n}", "jews are vermin number {n}", "gas the kikes {n}",
           "zionazi scum everywhere {n}", "holocaust never happened part {n}"]
NEUTRAL = ["lovely shabbat dinner with friends {n}", "israel signs a trade deal {n}",
           "the rabbi spoke about hope {n}", "we remember the victims {n}",
           "new bagel shop opened on street {n}"]


def write_csv(path: Path, rows: list[tuple[str, str, int, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label", "source", "subtype", "split"])
        for i, (text, source, label, subtype) in enumerate(rows):
            writer.writerow([f"r{i}", text, label, source, subtype, "train"])
    return path


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A folder with one small CSV in the shared schema: 100 hateful and 100 neutral rows."""
    rows = []
    for n in range(20):
        rows += [(t.format(n=n), "isca_test", 1, "hateful") for t in HATEFUL]
        rows += [(t.format(n=n), "isca_test", 0, "neutral") for t in NEUTRAL]
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "sample.csv", rows)
    return folder
