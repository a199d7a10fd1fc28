"""The sanctions registry: who is (or was) under a sanction, from when until when.

An entry is active while ``ended_at`` is empty; the tick ends entries whose ``ends_on`` has
passed, and an appeal that is allowed ends its entry early. Nothing is deleted: past sanctions
stay on the record with their start and end.

A member's ``status`` follows the entries in force for them (``services.member_status_sync``):
expelled while an expulsion is in force, suspended while a suspension is, and back to what it
was before (``member_status_before``) when the last one ends.
"""

from __future__ import annotations

import uuid

from django.db import models


class SanctionEntry(models.Model):
    class Kind(models.TextChoices):
        SUSPENDED = "suspended", "Suspended"
        EXPELLED = "expelled", "Expelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey("cases.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions")
    name = models.CharField(max_length=200)
    membership_number = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty for an expulsion, which has no end")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="sanction_entries")
    source_decision = models.ForeignKey("decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="sanction_entries")
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ended_reason = models.CharField(max_length=200, blank=True)
    member_status_before = models.CharField(
        max_length=12, blank=True, default="", db_default="",
        help_text="The member's status before this run of sanctions began; restored when the last one in force ends",
    )

    class Meta:
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["ended_at", "ends_on"], name="registry_active_idx")]
        verbose_name_plural = "sanction entries"

    def __str__(self) -> str:
        return f"{self.name}: {self.get_kind_display()} from {self.starts_on}"

    @property
    def active(self) -> bool:
        return self.ended_at is None
