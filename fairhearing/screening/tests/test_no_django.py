"""The engine is pure Python: only apps.py and the management commands may import Django."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# The commands and their test are the only other place Django may appear.
ALLOWED = {PACKAGE / "apps.py", PACKAGE / "tests" / "test_commands.py"} | set(
    (PACKAGE / "management").rglob("*.py"))


def _imports_django(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "django" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "django":
            return True
    return False


def test_no_engine_module_imports_django() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if p not in ALLOWED]
    assert len(modules) > 10
    assert [str(p.relative_to(PACKAGE)) for p in modules if _imports_django(p)] == []


def test_the_check_would_notice_a_django_import(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("from django.conf import settings\n", encoding="utf-8")
    assert _imports_django(path)
