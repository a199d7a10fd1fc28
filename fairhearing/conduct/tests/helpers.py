"""Small code files for tests, written to a temporary directory."""

from __future__ import annotations

from pathlib import Path

GOOD = """
[code]
slug = "union"
name = "Union code"

[version]
label = "{label}"
in_force_from = {in_force}
adopted_by = "Executive committee"
adopted_on = {adopted}
vote = "12 for, 1 against"

[[clauses]]
id = "A"
title = "Respect"
text = "Treat everyone with respect."

[[clauses]]
id = "A-1"
parent = "A"
title = "{child_title}"
text = "{child_text}"
"""


def write_code(tmp_path: Path, *, label: str = "1", in_force: str = "2024-01-01", adopted: str = "2023-12-01",
               child_title: str = "No insults", child_text: str = "Do not insult people.", name: str = "code.toml") -> Path:
    path = tmp_path / name
    path.write_text(GOOD.format(label=label, in_force=in_force, adopted=adopted, child_title=child_title, child_text=child_text), encoding="utf-8")
    return path
