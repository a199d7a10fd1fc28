"""Reading and checking a code-of-conduct file (TOML), without touching the database.

Every problem is collected and reported at once, each with its location (file, table, clause
index and id, key), so a person fixing a file sees everything that is wrong in one pass.

The file format::

    [code]
    slug = "default"            # letters, digits, hyphens
    name = "Code of conduct"

    [version]
    label = "2026.1"            # unique within the code
    in_force_from = 2026-01-01  # needed to adopt
    adopted_by = "National committee"   # the body; needed to adopt
    adopted_on = 2025-12-01     # needed to adopt
    vote = "31 for, 2 against"  # optional

    [[clauses]]
    id = "AS-1"                 # stable across versions: A-Z, 0-9, '.', '-'
    parent = "AS"               # optional; a clause listed earlier
    title = "..."
    text = "..."
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fairhearing.core.errors import DomainError

IDENTIFIER = re.compile(r"^[A-Z0-9][A-Z0-9.-]{0,39}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
TOP_KEYS = {"code", "version", "clauses"}
CODE_KEYS = {"slug", "name"}
VERSION_KEYS = {"label", "in_force_from", "adopted_by", "adopted_on", "vote"}
CLAUSE_KEYS = {"id", "title", "text", "parent"}
ADOPTION_KEYS = ("in_force_from", "adopted_by", "adopted_on")


@dataclass(frozen=True)
class CodeFileProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class CodeFileError(DomainError):
    """A code file that cannot be loaded; ``problems`` lists every fault with its location."""

    def __init__(self, problems: list[CodeFileProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ClauseSpec:
    identifier: str
    title: str
    text: str
    parent: str | None


@dataclass(frozen=True)
class CodeFile:
    """A checked code file: what the loader stores."""

    slug: str
    name: str
    label: str
    in_force_from: date | None
    adopted_by: str
    adopted_on: date | None
    vote: str
    clauses: tuple[ClauseSpec, ...]
    raw: bytes


def _text(section: dict[str, Any], key: str, where: str, problems: list[CodeFileProblem], *, required: bool = True, limit: int = 0) -> str:
    value = section.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(CodeFileProblem(f"{where}.{key}", "missing or empty text; write it in double quotes"))
        return ""
    if limit and len(value) > limit:
        problems.append(CodeFileProblem(f"{where}.{key}", f"is {len(value)} characters long; the limit is {limit}"))
    return value.strip()


def _date(section: dict[str, Any], key: str, where: str, problems: list[CodeFileProblem]) -> date | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, date) or hasattr(value, "hour"):
        problems.append(CodeFileProblem(f"{where}.{key}", f"must be a date without quotes, like 2026-01-31 (got {value!r})"))
        return None
    return value


def _unknown(section: dict[str, Any], allowed: set[str], where: str, problems: list[CodeFileProblem]) -> None:
    unknown = sorted(set(section) - allowed)
    if unknown:
        problems.append(CodeFileProblem(where, f"unknown keys: {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"))


def _table(data: dict[str, Any], name: str, fname: str, problems: list[CodeFileProblem]) -> dict[str, Any]:
    section = data.get(name)
    if not isinstance(section, dict):
        problems.append(CodeFileProblem(f"{fname}: [{name}]", "missing table; add a [" + name + "] section"))
        return {}
    return section


def _clauses(items: Any, fname: str, problems: list[CodeFileProblem]) -> list[ClauseSpec]:
    if not isinstance(items, list) or not items:
        problems.append(CodeFileProblem(f"{fname}: [[clauses]]", "no clauses; add at least one [[clauses]] table"))
        return []
    seen: set[str] = set()
    specs: list[ClauseSpec] = []
    for index, item in enumerate(items):
        where = f"{fname}: clauses[{index}]"
        if not isinstance(item, dict):
            problems.append(CodeFileProblem(where, "must be a [[clauses]] table"))
            continue
        ident = item.get("id")
        if isinstance(ident, str) and ident:
            where = f"{where} (id {ident})"
        _unknown(item, CLAUSE_KEYS, where, problems)
        title = _text(item, "title", where, problems, limit=300)
        text = _text(item, "text", where, problems)
        if not isinstance(ident, str) or not ident.strip():
            problems.append(CodeFileProblem(f"{where}.id", "missing or empty text; give the clause a stable id like AS-4"))
            continue
        if not IDENTIFIER.match(ident):
            problems.append(CodeFileProblem(f"{where}.id", f"{ident!r} is not a valid id: use capital letters, digits, '.' and '-', up to 40 characters"))
        if ident in seen:
            problems.append(CodeFileProblem(f"{where}.id", f"duplicate clause id {ident!r}; each id appears once"))
        parent = item.get("parent")
        if parent is not None and (not isinstance(parent, str) or parent not in seen):
            problems.append(CodeFileProblem(f"{where}.parent", f"parent {parent!r} must be the id of a clause listed earlier in the file"))
            parent = None
        seen.add(ident)
        specs.append(ClauseSpec(identifier=ident, title=title, text=text, parent=parent))
    return specs


def parse_code_file(path: Path, *, for_adoption: bool) -> CodeFile:
    """Read and check a code file. Raises CodeFileError listing every problem with its location.

    With ``for_adoption`` the adoption record (in_force_from, adopted_by, adopted_on) is required.
    """
    fname = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CodeFileError([CodeFileProblem(str(path), f"cannot be read: {error.strerror or error}")]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CodeFileError([CodeFileProblem(fname, "is not UTF-8 text; save it as UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        raise CodeFileError([CodeFileProblem(fname, f"is not valid TOML: {error}")]) from None
    problems: list[CodeFileProblem] = []
    _unknown(data, TOP_KEYS, f"{fname}: top level", problems)
    code = _table(data, "code", fname, problems)
    version = _table(data, "version", fname, problems)
    if code:
        _unknown(code, CODE_KEYS, f"{fname}: [code]", problems)
    if version:
        _unknown(version, VERSION_KEYS, f"{fname}: [version]", problems)
    slug = _text(code, "slug", f"{fname}: [code]", problems) if code else ""
    if slug and not SLUG.match(slug):
        problems.append(CodeFileProblem(f"{fname}: [code].slug", f"{slug!r} must be lower-case letters, digits and hyphens"))
    name = _text(code, "name", f"{fname}: [code]", problems, limit=200) if code else ""
    vwhere = f"{fname}: [version]"
    label = _text(version, "label", vwhere, problems, limit=40) if version else ""
    in_force_from = _date(version, "in_force_from", vwhere, problems)
    adopted_on = _date(version, "adopted_on", vwhere, problems)
    adopted_by = _text(version, "adopted_by", vwhere, problems, required=False, limit=200)
    vote = _text(version, "vote", vwhere, problems, required=False, limit=200)
    if for_adoption and version:
        present = {"in_force_from": in_force_from, "adopted_on": adopted_on, "adopted_by": adopted_by}
        for key in ADOPTION_KEYS:
            if not present[key] and key in version and not problems_for(problems, f"{vwhere}.{key}"):
                problems.append(CodeFileProblem(f"{vwhere}.{key}", "is empty; an adopted version records it (or load with --draft)"))
            elif key not in version:
                problems.append(CodeFileProblem(f"{vwhere}.{key}", "is missing; an adopted version records it (or load with --draft)"))
    if in_force_from and adopted_on and in_force_from < adopted_on:
        problems.append(CodeFileProblem(f"{vwhere}.in_force_from", f"{in_force_from} is before adopted_on {adopted_on}; a version cannot be in force before it is adopted"))
    clauses = _clauses(data.get("clauses"), fname, problems)
    if problems:
        raise CodeFileError(problems)
    return CodeFile(slug=slug, name=name, label=label, in_force_from=in_force_from, adopted_by=adopted_by,
                    adopted_on=adopted_on, vote=vote, clauses=tuple(clauses), raw=raw)


def problems_for(problems: list[CodeFileProblem], location: str) -> bool:
    return any(p.location == location for p in problems)
