from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from fairhearing.conduct.models import Clause, CodeVersion


def version_in_force(on: date, code_slug: str = "default") -> CodeVersion | None:
    """The adopted version in force on a date: the latest with in_force_from on or before it."""
    return (
        CodeVersion.objects.filter(code__slug=code_slug, status=CodeVersion.Status.ADOPTED, in_force_from__lte=on)
        .order_by("-in_force_from", "-id")
        .first()
    )


def clauses_for(version: CodeVersion) -> QuerySet[Clause]:
    return Clause.objects.filter(version=version).order_by("order")
