"""Reads of the sanctions registry for staff (overseers): active and past entries."""

from __future__ import annotations

from django.db.models import QuerySet

from fairhearing.registry.models import SanctionEntry


def registry_entries(*, active: bool | None = None) -> QuerySet[SanctionEntry]:
    """Entries, newest first; ``active`` True/False filters on whether the entry has ended."""
    entries = SanctionEntry.objects.select_related("case")
    if active is True:
        entries = entries.filter(ended_at__isnull=True)
    elif active is False:
        entries = entries.filter(ended_at__isnull=False)
    return entries.order_by("-starts_on", "-id")
