"""Anonymised decision summaries a caseworker chose to publish with the statistics."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class PublishedSummary(models.Model):
    """A summary written for the public: no names, no dates finer than the month, no places.

    The link to the case exists so the summary can be withdrawn and counted; it is never shown.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="published_summaries")
    category = models.CharField(max_length=30)
    outcome = models.CharField(max_length=60)
    text = models.TextField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
