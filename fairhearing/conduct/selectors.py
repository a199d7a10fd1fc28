"""Reads of the code of conduct: which version applies when, and its clauses in reading order."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from fairhearing.conduct.models import Clause, Code, CodeVersion

if TYPE_CHECKING:
    from fairhearing.cases.models import Allegation, Case

DEFAULT_CODE = "default"


def version_in_force(on: date, code_slug: str = DEFAULT_CODE) -> CodeVersion | None:
    """The adopted version in force on a date: the latest with in_force_from on or before it.

    None when no adopted version had taken effect by then.
    """
    return (
        CodeVersion.objects.filter(code__slug=code_slug, status=CodeVersion.Status.ADOPTED, in_force_from__lte=on)
        .select_related("code")
        .order_by("-in_force_from", "-id")
        .first()
    )


def case_conduct_date(case: Case) -> date:
    """The date a case's conduct is judged on when an allegation gives none: the earliest conduct
    date its complaints give, else the day the case was opened."""
    first = case.complaints.filter(conduct_first_date__isnull=False).order_by("conduct_first_date").values_list("conduct_first_date", flat=True).first()
    return first or case.opened_at.date()


def version_for_allegation(allegation: Allegation, code_slug: str = DEFAULT_CODE) -> CodeVersion | None:
    """The version an allegation is judged under: the one in force when the conduct happened
    (``allegation.conduct_date``), falling back to the case's conduct date or opening date."""
    on = allegation.conduct_date or case_conduct_date(allegation.case)
    return version_in_force(on, code_slug)


def version_for_case(case: Case, code_slug: str = DEFAULT_CODE) -> CodeVersion | None:
    """The version for a case as a whole (used to name clauses suggested for its texts)."""
    return version_in_force(case_conduct_date(case), code_slug)


def clauses_for(version: CodeVersion | None) -> QuerySet[Clause]:
    """The clauses of a version in reading order (none for no version)."""
    if version is None:
        return Clause.objects.none()
    return Clause.objects.filter(version=version).select_related("parent__parent").order_by("order")


def clauses_for_allegation(allegation: Allegation, code_slug: str = DEFAULT_CODE) -> QuerySet[Clause]:
    """The clauses an allegation may cite: those of the version in force on its conduct date
    (see ``version_for_allegation``); empty when no version was in force then."""
    return clauses_for(version_for_allegation(allegation, code_slug))


def codes_with_versions() -> list[tuple[Code, list[CodeVersion]]]:
    """Every code with its versions, newest in force first, drafts last."""
    out = []
    for code in Code.objects.order_by("name"):
        versions = list(code.versions.order_by("status", "-in_force_from", "-id"))
        out.append((code, versions))
    return out


def version_by_public_id(public_id: object) -> CodeVersion | None:
    """The version with this public id, or None for an unknown or malformed id."""
    try:
        return CodeVersion.objects.select_related("code").filter(public_id=str(public_id)).first()
    except (ValueError, TypeError, ValidationError):
        return None


def clause_history(clause: Clause) -> QuerySet[Clause]:
    """The same identifier in every version of the clause's code, oldest first."""
    return (
        Clause.objects.filter(identifier=clause.identifier, version__code=clause.version.code)
        .select_related("version")
        .order_by("version__in_force_from", "version__id")
    )


def clause_titles(version: CodeVersion | None) -> dict[str, str]:
    """identifier -> title for a version (empty for none)."""
    if version is None:
        return {}
    return dict(Clause.objects.filter(version=version).values_list("identifier", "title"))
