"""The append-only, hash-chained event log.

Rows are written only by :func:`fairhearing.audit.services.audit_append`, inside the transaction of
the service whose action they record. ``payload`` holds the canonical JSON text that was hashed,
so verification hashes exactly what is stored.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.CharField(max_length=40, help_text="ISO 8601 UTC time, as hashed")
    actor = models.CharField(max_length=120)
    action = models.CharField(max_length=80)
    subject = models.CharField(max_length=120, db_index=True)
    payload = models.TextField(help_text="Canonical JSON, as hashed")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["action", "seq"]), models.Index(fields=["actor", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"


class AuditHead(models.Model):
    """One row holding the last sequence number and hash: the single serialized append point."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
