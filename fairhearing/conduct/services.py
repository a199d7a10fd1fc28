"""Loading and adopting codes of conduct. The only way clause data enters the database."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from fairhearing.audit.services import audit_append
from fairhearing.conduct.models import Clause, Code, CodeVersion
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError

DEFAULT_CODE_FILE = Path(__file__).resolve().parent / "codes" / "default.toml"


@dataclass(frozen=True)
class CodeFileProblem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class CodeFileError(DomainError):
    def __init__(self, problems: list[CodeFileProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _parse_code_file(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CodeFileError([CodeFileProblem(path.name, f"not valid TOML: {error}")]) from None
    problems: list[CodeFileProblem] = []
    for table, keys in (("code", ("slug", "name")), ("version", ("label",))):
        section = data.get(table)
        if not isinstance(section, dict):
            problems.append(CodeFileProblem(f"{path.name}: [{table}]", "missing table"))
            continue
        for key in keys:
            if not isinstance(section.get(key), str) or not section[key].strip():
                problems.append(CodeFileProblem(f"{path.name}: [{table}].{key}", "missing or empty text"))
    version = data.get("version", {})
    for key in ("in_force_from", "adopted_on"):
        if key in version and not isinstance(version[key], date):
            problems.append(CodeFileProblem(f"{path.name}: [version].{key}", "must be a date like 2024-01-31"))
    clauses = data.get("clauses")
    if not isinstance(clauses, list) or not clauses:
        problems.append(CodeFileProblem(f"{path.name}: [[clauses]]", "no clauses"))
        clauses = []
    seen: set[str] = set()
    for index, clause in enumerate(clauses):
        where = f"{path.name}: clauses[{index}]"
        if not isinstance(clause, dict):
            problems.append(CodeFileProblem(where, "must be a table"))
            continue
        for key in ("id", "title", "text"):
            if not isinstance(clause.get(key), str) or not clause[key].strip():
                problems.append(CodeFileProblem(f"{where}.{key}", "missing or empty text"))
        ident = clause.get("id")
        if isinstance(ident, str):
            if ident in seen:
                problems.append(CodeFileProblem(f"{where}.id", f"duplicate clause id {ident!r}"))
            seen.add(ident)
        parent = clause.get("parent")
        if parent is not None and parent not in seen:
            problems.append(CodeFileProblem(f"{where}.parent", f"parent {parent!r} must be a clause listed earlier"))
        unknown = set(clause) - {"id", "title", "text", "parent"}
        if unknown:
            problems.append(CodeFileProblem(where, f"unknown keys: {', '.join(sorted(unknown))}"))
    if problems:
        raise CodeFileError(problems)
    return data, raw


@transaction.atomic
def code_version_load(*, actor: Actor, path: Path, adopt: bool = True) -> CodeVersion:
    """Load a code version from a TOML file. Refuses to replace an existing version label."""
    data, raw = _parse_code_file(path)
    code, _ = Code.objects.get_or_create(slug=data["code"]["slug"], defaults={"name": data["code"]["name"]})
    meta = data["version"]
    if CodeVersion.objects.filter(code=code, label=meta["label"]).exists():
        raise DomainError(f"{code.name} version {meta['label']} already exists; adopted versions never change. Give the file a new [version].label.")
    version = CodeVersion.objects.create(
        code=code,
        label=meta["label"],
        status=CodeVersion.Status.ADOPTED if adopt else CodeVersion.Status.DRAFT,
        in_force_from=meta.get("in_force_from"),
        adopted_by=meta.get("adopted_by", ""),
        adopted_on=meta.get("adopted_on"),
        vote=meta.get("vote", ""),
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )
    by_id: dict[str, Clause] = {}
    for order, item in enumerate(data["clauses"]):
        by_id[item["id"]] = Clause.objects.create(
            version=version,
            identifier=item["id"],
            title=item["title"],
            text=item["text"],
            parent=by_id.get(item.get("parent", "")),
            order=order,
        )
    audit_append(
        actor=actor,
        action="conduct.version_loaded",
        subject=f"code-version:{version.public_id}",
        payload={"code": code.slug, "label": version.label, "sha256": version.source_sha256, "clauses": len(by_id), "adopted": adopt},
    )
    return version


def ensure_default_code(*, actor: Actor) -> CodeVersion:
    existing = CodeVersion.objects.filter(code__slug="default").order_by("-in_force_from").first()
    return existing or code_version_load(actor=actor, path=DEFAULT_CODE_FILE)
