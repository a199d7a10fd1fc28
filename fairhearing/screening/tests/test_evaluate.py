"""Evaluation figures on an annotated CSV."""

from __future__ import annotations

from pathlib import Path

from fairhearing.screening.evaluate import evaluate, format_report

from .conftest import write_csv


def test_it_counts_precision_recall_and_f1_for_label_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [
        ("Gas the jews", "s", 1, "threat"),           # caught
        ("Jews are vermin", "s", 1, "dehum"),          # caught
        ("the weather is nice today", "s", 1, "x"),    # missed
        ("Kill all the jews", "s", 0, "x"),            # false flag (label says 0)
        ("I had soup for lunch", "s", 0, "x"),         # correct
    ])
    result = evaluate(path)
    assert (result["tp"], result["fn"], result["fp"], result["tn"]) == (2, 1, 1, 1)
    assert result["precision"] == round(2 / 3, 4)
    assert result["recall"] == round(2 / 3, 4)
    assert result["accuracy"] == 0.6
    assert set(result["subtypes"]) == {"threat", "dehum", "x"}
    assert result["subtypes"]["x"]["rows"] == 3


def test_the_report_lists_every_subtype(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [("Gas the jews", "s", 1, "alpha"), ("soup", "s", 0, "beta")])
    report = format_report(evaluate(path))
    assert "alpha" in report and "beta" in report and "F1" in report


def test_held_out_only_keeps_just_the_held_out_rows(tmp_path: Path) -> None:
    rows = [(f"text number {i}", "s", i % 2, "") for i in range(200)]
    path = write_csv(tmp_path / "e.csv", rows)
    assert 20 < evaluate(path, held_out_only=True)["rows"] < 60
