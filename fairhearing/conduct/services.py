"""Loading and adopting codes of conduct: the only way clause data enters the database.

A version is loaded as a draft (with its clauses) and becomes immutable when adopted, which
records the body that adopted it, the date, optionally the vote, and when it takes effect.
Both steps are audited. Only an administrator (or a system actor such as the command line)
may load or adopt a version: the code is configuration, not case content.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.db import transaction

from fairhearing.accounts.models import Role
from fairhearing.audit.services import audit_append
from fairhearing.conduct.codefile import CodeFile, CodeFileError, CodeFileProblem, parse_code_file
from fairhearing.conduct.models import Clause, Code, CodeVersion
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted

DEFAULT_CODE_FILE = Path(__file__).resolve().parent / "codes" / "default.toml"

__all__ = [
    "DEFAULT_CODE_FILE",
    "CodeFileError",
    "CodeFileProblem",
    "code_version_adopt",
    "code_version_load",
    "ensure_default_code",
]


def _require_configurer(actor: Actor) -> None:
    if actor.kind == "system":
        return
    if actor.user is None or not actor.user.is_active or actor.user.role != Role.ADMIN:
        raise NotPermitted("Only an administrator can load or adopt a code of conduct version.")


def _subject(version: CodeVersion) -> str:
    return f"code-version:{version.public_id}"


@transaction.atomic
def code_version_load(*, actor: Actor, path: Path, adopt: bool = True) -> CodeVersion:
    """Load a code version from a TOML file (see ``conduct.codefile`` for the format).

    With ``adopt`` the version is adopted at once from the file's [version] adoption record;
    otherwise it stays a draft for ``code_version_adopt``. Raises CodeFileError listing every
    problem in the file, and DomainError if the code already has a version with that label
    (adopted versions never change, so a new wording needs a new label).
    """
    _require_configurer(actor)
    spec: CodeFile = parse_code_file(Path(path), for_adoption=adopt)
    code, _ = Code.objects.get_or_create(slug=spec.slug, defaults={"name": spec.name})
    if CodeVersion.objects.filter(code=code, label=spec.label).exists():
        raise DomainError(
            f"{code.name} already has a version {spec.label}; versions never change once loaded. "
            "Give the file a new [version].label."
        )
    version = CodeVersion.objects.create(
        code=code, label=spec.label, status=CodeVersion.Status.DRAFT, in_force_from=spec.in_force_from,
        adopted_by=spec.adopted_by, adopted_on=spec.adopted_on, vote=spec.vote,
        source_sha256=hashlib.sha256(spec.raw).hexdigest(),
    )
    by_id: dict[str, Clause] = {}
    for order, item in enumerate(spec.clauses):
        by_id[item.identifier] = Clause.objects.create(
            version=version, identifier=item.identifier, title=item.title, text=item.text,
            parent=by_id[item.parent] if item.parent else None, order=order,
        )
    audit_append(
        actor=actor, action="conduct.version_loaded", subject=_subject(version),
        payload={"code": code.slug, "label": version.label, "sha256": version.source_sha256, "clauses": len(by_id), "adopt": adopt},
    )
    if adopt:
        assert spec.in_force_from is not None and spec.adopted_on is not None  # checked by parse_code_file
        version = code_version_adopt(
            actor=actor, version=version, adopted_by=spec.adopted_by, adopted_on=spec.adopted_on,
            in_force_from=spec.in_force_from, vote=spec.vote,
        )
    return version


@transaction.atomic
def code_version_adopt(*, actor: Actor, version: CodeVersion, adopted_by: str, adopted_on: date,
                       in_force_from: date, vote: str = "") -> CodeVersion:
    """Adopt a draft version: record the body, the date, the vote and when it takes effect.

    After this the version and its clauses can never be changed or deleted. Raises DomainError
    for a version already adopted, MissingInformation for a missing body, and DomainError when
    it would be in force before it was adopted.
    """
    _require_configurer(actor)
    current = CodeVersion.objects.select_for_update().get(pk=version.pk)
    if current.is_adopted:
        raise DomainError(f"Version {current.label} was adopted on {current.adopted_on:%d %B %Y} by {current.adopted_by}; it cannot be adopted again.")
    if not adopted_by.strip():
        raise MissingInformation("Name the body that adopted this version (for example, the national committee).", field="adopted_by")
    if in_force_from < adopted_on:
        raise DomainError("A version cannot be in force before the day it was adopted; check the two dates.", field="in_force_from")
    if not current.clauses.exists():
        raise DomainError(f"Version {current.label} has no clauses; there is nothing to adopt.")
    current.status = CodeVersion.Status.ADOPTED
    current.adopted_by = adopted_by.strip()[:200]
    current.adopted_on = adopted_on
    current.in_force_from = in_force_from
    current.vote = vote.strip()[:200]
    current.recorded_at = clock.now()
    current.recorded_by = actor.audit_name[:200]
    current.save()
    audit_append(
        actor=actor, action="conduct.version_adopted", subject=_subject(current),
        payload={
            "code": current.code.slug, "label": current.label, "adopted_by": current.adopted_by,
            "adopted_on": current.adopted_on.isoformat(), "in_force_from": current.in_force_from.isoformat(),
            "vote": current.vote, "sha256": current.source_sha256,
        },
    )
    return current


def ensure_default_code(*, actor: Actor) -> CodeVersion:
    """The default code's newest version, loading and adopting the shipped file if there is none."""
    existing = CodeVersion.objects.filter(code__slug="default").order_by("-in_force_from", "-id").first()
    return existing or code_version_load(actor=actor, path=DEFAULT_CODE_FILE)
