"""Reading annotated CSVs and the held-out split."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairhearing.screening.dataset import (
    ENV_DATA,
    DatasetError,
    default_data_dir,
    is_held_out,
    read_rows,
    split_key,
)

from .conftest import write_csv


def test_retweets_and_copies_fall_on_the_same_side_of_the_split() -> None:
    text = "Jews are behind everything https://t.co/abc"
    variants = [text, "RT @someone: Jews are behind everything", "@a @b jews are BEHIND everything!!"]
    assert len({split_key(v) for v in variants}) == 1
    assert len({is_held_out(v) for v in variants}) == 1


def test_about_a_fifth_of_texts_are_held_out() -> None:
    share = sum(is_held_out(f"text number {i}") for i in range(5000)) / 5000
    assert 0.17 < share < 0.23


def test_it_reads_rows_with_labels(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [("hello", "src", 1, "kind")])
    [row] = list(read_rows(path))
    assert (row.text, row.label, row.source, row.subtype) == ("hello", 1, "src", "kind")


def test_it_names_the_line_of_a_bad_label(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("id,text,label\n1,fine,0\n2,bad,yes\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 3: label 'yes' must be 0 or 1"):
        list(read_rows(path))


def test_it_names_a_wrong_header_and_the_expected_one(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 1: header a,b lacks text, label"):
        list(read_rows(path))


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        list(read_rows(tmp_path / "absent.csv"))


def test_the_data_directory_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA, "/somewhere/else")
    assert default_data_dir() == Path("/somewhere/else")
    monkeypatch.delenv(ENV_DATA)
    assert default_data_dir().parts[-2:] == ("shared", "data")
