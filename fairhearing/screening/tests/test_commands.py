"""The management commands: thin wrappers that turn bad input into a clear CommandError."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

django = pytest.importorskip("django")

from django.conf import settings  # noqa: E402

if not os.environ.get("DJANGO_SETTINGS_MODULE") and not settings.configured:
    # Run without the project's settings (pytest -p no:django): the commands need none.
    settings.configure(INSTALLED_APPS=[])
    django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from fairhearing.screening.management.commands import screen, screening  # noqa: E402

from .conftest import write_csv  # noqa: E402


def run(command: object, *args: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    out = io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_screen_writes_one_json_object_per_input(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text('Jews are vermin\n\n{"id": "x", "text": "Shabbat shalom"}\n', encoding="utf-8")
    lines = run(screen.Command(), str(path)).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["flag"] for r in records] == [True, False]
    assert records[1]["id"] == "x"
    assert all({"score", "flag", "examples", "framing"} <= set(r) for r in records)


def test_screen_reads_standard_input_and_prints_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(screen.Command(), "-", "--format", "table", stdin="Gas the jews\n",
              monkeypatch=monkeypatch)
    assert "framing" in out.splitlines()[0] and "YES" in out and "AS-1" in out


def test_screen_names_the_bad_json_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "fine"}\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: not valid JSON"):
        run(screen.Command(), str(path))


def test_screen_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(screen.Command(), str(tmp_path / "absent.txt"))


def test_evaluate_prints_precision_recall_and_f1_by_subtype(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [("Gas the jews", "s", 1, "threat"), ("soup", "s", 0, "food")])
    out = run(screening.Command(), "evaluate", str(path))
    assert "F1" in out and "threat" in out and "food" in out


def test_evaluate_names_a_bad_header(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: header a,b lacks text, label"):
        run(screening.Command(), "evaluate", str(path))


def test_train_writes_a_model_and_skips_when_asked_if_it_exists(small_data: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "m.gz"
    summary = json.loads(run(screening.Command(), "train", "--data", str(small_data),
                             "--out", str(out_path), "--seed", "1"))
    assert out_path.exists() and summary["seed"] == 1
    again = run(screening.Command(), "train", "--data", str(small_data), "--out", str(out_path),
                "--if-missing")
    assert "not retraining" in again


def test_train_reports_a_missing_data_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such directory"):
        run(screening.Command(), "train", "--data", str(tmp_path / "nope"), "--out",
            str(tmp_path / "m.gz"))
