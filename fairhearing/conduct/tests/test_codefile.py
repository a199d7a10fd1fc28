from __future__ import annotations

from pathlib import Path

import pytest

from fairhearing.conduct.codefile import CodeFileError, parse_code_file
from fairhearing.conduct.services import DEFAULT_CODE_FILE
from fairhearing.conduct.tests.helpers import write_code


def _problems(path: Path, *, for_adoption: bool = True) -> dict[str, str]:
    with pytest.raises(CodeFileError) as caught:
        parse_code_file(path, for_adoption=for_adoption)
    return {p.location: p.message for p in caught.value.problems}


def test_the_shipped_default_code_file_is_valid_for_adoption() -> None:
    spec = parse_code_file(DEFAULT_CODE_FILE, for_adoption=True)
    assert spec.slug == "default"
    assert spec.in_force_from is not None and spec.adopted_on is not None


def test_a_good_file_keeps_nesting_and_order(tmp_path: Path) -> None:
    spec = parse_code_file(write_code(tmp_path), for_adoption=True)
    assert [(c.identifier, c.parent) for c in spec.clauses] == [("A", None), ("A-1", "A")]


def test_it_reports_every_problem_at_once_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        """
colour = "blue"
[code]
slug = "Bad Slug"
[version]
label = ""
in_force_from = "2024-01-01"
shade = 1
[[clauses]]
id = "a 1"
title = "One"
text = "Text"
[[clauses]]
id = "B"
parent = "Z"
title = ""
text = "Text"
size = 3
[[clauses]]
id = "B"
title = "Again"
text = "Text"
""",
        encoding="utf-8",
    )
    problems = _problems(path)
    assert "unknown keys: colour" in problems["bad.toml: top level"]
    assert "lower-case" in problems["bad.toml: [code].slug"]
    assert "missing" in problems["bad.toml: [code].name"]
    assert "missing" in problems["bad.toml: [version].label"]
    assert "shade" in problems["bad.toml: [version]"]
    assert "2026-01-31" in problems["bad.toml: [version].in_force_from"]
    assert "capital letters" in problems["bad.toml: clauses[0] (id a 1).id"]
    assert "listed earlier" in problems["bad.toml: clauses[1] (id B).parent"]
    assert "missing" in problems["bad.toml: clauses[1] (id B).title"]
    assert "size" in problems["bad.toml: clauses[1] (id B)"]
    assert "duplicate" in problems["bad.toml: clauses[2] (id B).id"]
    assert "missing" in problems["bad.toml: [version].adopted_by"]


def test_an_adoption_needs_its_record_but_a_draft_does_not(tmp_path: Path) -> None:
    path = tmp_path / "draft.toml"
    path.write_text('[code]\nslug = "d"\nname = "D"\n[version]\nlabel = "1"\n[[clauses]]\nid = "A"\ntitle = "T"\ntext = "X"\n', encoding="utf-8")
    problems = _problems(path)
    assert set(problems) == {f"draft.toml: [version].{k}" for k in ("in_force_from", "adopted_by", "adopted_on")}
    assert parse_code_file(path, for_adoption=False).label == "1"


def test_it_refuses_a_version_in_force_before_it_was_adopted(tmp_path: Path) -> None:
    problems = _problems(write_code(tmp_path, in_force="2023-01-01", adopted="2023-12-01"))
    assert "before adopted_on" in problems["code.toml: [version].in_force_from"]


def test_it_explains_broken_toml_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[code\nslug=", encoding="utf-8")
    assert "not valid TOML" in _problems(path)["broken.toml"]
    missing = tmp_path / "nope.toml"
    assert "cannot be read" in _problems(missing)[str(missing)]


def test_it_needs_at_least_one_clause(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('[code]\nslug = "d"\nname = "D"\n[version]\nlabel = "1"\n', encoding="utf-8")
    assert "no clauses" in _problems(path, for_adoption=False)["empty.toml: [[clauses]]"]
