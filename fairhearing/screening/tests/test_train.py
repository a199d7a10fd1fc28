"""Training: deterministic, never on held-out rows, and usable by the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairhearing.screening.dataset import DatasetError, is_held_out
from fairhearing.screening.engine import screener_for
from fairhearing.screening.train import load_training_rows, train

from .conftest import write_csv


def test_training_twice_gives_byte_identical_models(small_data: Path, tmp_path: Path) -> None:
    first = train(small_data, tmp_path / "a.gz", seed=0, bits=14)
    second = train(small_data, tmp_path / "b.gz", seed=0, bits=14)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()
    assert first["sha256"] == second["sha256"]


def test_training_excludes_every_held_out_row(small_data: Path) -> None:
    rows = load_training_rows(small_data)
    assert rows and not any(is_held_out(r.text) for r in rows)
    assert len(rows) < 200  # some of the 200 rows are held out


def test_a_trained_model_separates_the_classes_it_learned(small_data: Path, tmp_path: Path) -> None:
    summary = train(small_data, tmp_path / "m.gz", seed=0, bits=14)
    assert summary["rows"] > 100 and 0 < summary["combine"]["threshold"] < 1
    screener = screener_for(tmp_path / "m.gz")
    assert screener.screen("the jews control the banks 99").flag
    assert not screener.screen("lovely shabbat dinner with friends 99").flag


def test_training_reports_a_missing_directory_clearly(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such directory"):
        train(tmp_path / "absent", tmp_path / "m.gz")


def test_training_refuses_data_with_one_label(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    write_csv(folder / "x.csv", [(f"text {i}", "isca", 0, "") for i in range(30)])
    with pytest.raises(ValueError, match="both labels"):
        train(folder, tmp_path / "m.gz")


def test_the_sealed_functional_set_is_never_trained_on() -> None:
    from fairhearing.screening.cases import load_cases
    from fairhearing.screening.train import TESTS_DATA, TRAINING_CASE_FILES, load_case_rows

    sealed = TESTS_DATA / "functional_holdout_2026e.toml"
    assert sealed not in TRAINING_CASE_FILES
    trained = {r.text for r in load_case_rows()}
    assert trained and not trained & {c.text for c in load_cases(sealed)}


def test_the_training_cases_carry_both_labels_and_their_source() -> None:
    from fairhearing.screening.train import load_case_rows

    rows = load_case_rows()
    assert {r.label for r in rows} == {0, 1}
    assert {r.source for r in rows} == {"cases_hateful", "cases_other"}
    assert all(r.label == (r.source == "cases_hateful") for r in rows)
