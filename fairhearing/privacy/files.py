"""Deleting the stored evidence files of anonymised cases, and of complaints confirmed as spam
whose personal data was removed, through the evidence app's storage.

A file is deleted first and its row's ``stored_name`` cleared second, so a sweep interrupted
between the two simply deletes nothing the next time and clears the name."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from fairhearing.cases.models import Case


def _evidence_rows(case_ids: Iterable[int] | None, complaint_ids: Iterable[int] | None = None):  # type: ignore[no-untyped-def]
    from fairhearing.intake.models import Evidence

    rows = Evidence.objects.exclude(stored_name="")
    if case_ids is None and complaint_ids is None:
        return rows.filter(Q(case__anonymisation__isnull=False) | Q(complaint__case__anonymisation__isnull=False)
                           | Q(complaint__spam_anonymisation__isnull=False))
    wanted = Q(pk__in=[])
    if case_ids is not None:
        ids = list(case_ids)
        wanted |= Q(case_id__in=ids) | Q(complaint__case_id__in=ids)
    if complaint_ids is not None:
        wanted |= Q(complaint_id__in=list(complaint_ids))
    return rows.filter(wanted)


def stored_files(case: Case) -> list[str]:
    try:
        return sorted(set(_evidence_rows([case.pk]).values_list("stored_name", flat=True)))
    except ImportError:
        return []


def complaint_files(complaint_id: int) -> list[str]:
    """The stored files of one complaint (for a complaint that never became part of a case)."""
    try:
        return sorted(set(_evidence_rows(None, [complaint_id]).values_list("stored_name", flat=True)))
    except ImportError:
        return []


def files_sweep(case_ids: Iterable[int] | None = None, complaint_ids: Iterable[int] | None = None) -> int:
    """Delete the stored files of anonymised cases and spam complaints (or of the given cases or
    complaints) and clear their names. Returns how many files were deleted. Idempotent."""
    try:
        from fairhearing.intake.files import evidence_storage
        from fairhearing.intake.models import Evidence
    except ImportError:
        return 0
    storage = evidence_storage()
    deleted = 0
    for pk, name in list(_evidence_rows(case_ids, complaint_ids).values_list("pk", "stored_name")):
        if storage.exists(name):
            storage.delete(name)
            deleted += 1
        Evidence.objects.filter(pk=pk, stored_name=name).update(stored_name="")
    return deleted
