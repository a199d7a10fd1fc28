"""Reads for the public statistics page."""

from __future__ import annotations

from django.db.models import QuerySet

from fairhearing.reports.models import PublishedSummary


def published_summaries(limit: int = 50) -> QuerySet[PublishedSummary]:
    return PublishedSummary.objects.filter(withdrawn_at__isnull=True).order_by("-published_at")[:limit]
