"""Legal holds, the record of each anonymisation (of a case, or of a spam complaint that never
became part of one), and data-subject requests."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class LegalHold(models.Model):
    """While a hold is in place (``lifted_at`` empty), retention leaves the case untouched."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-placed_at"]


class Anonymisation(models.Model):
    """One case whose personal data was removed. Unique per case: the claim that makes the
    retention pass safe with two ticks at once."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="anonymisation")
    rule = models.CharField(max_length=60, help_text="The schedule entry applied")
    due_on = models.DateField()
    done_at = models.DateTimeField()
    files_deleted = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=20, default="retention", help_text="retention or erasure")


class SpamAnonymisation(models.Model):
    """One complaint confirmed as spam, never part of a case, whose personal data was removed under
    the ``[spam]`` rule. Unique per complaint, like ``Anonymisation`` per case: the claim that makes
    the pass safe with two ticks at once, and the mark the file sweep looks for."""

    complaint = models.OneToOneField("cases.Complaint", on_delete=models.PROTECT, related_name="spam_anonymisation")
    rule = models.CharField(max_length=60, help_text="The schedule entry applied")
    due_on = models.DateField()
    done_at = models.DateTimeField()
    files_deleted = models.PositiveIntegerField(default=0)


class SubjectRequest(models.Model):
    """A data-subject request: access (export), erasure or rectification. The law gives one month."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access (a copy of their data)"
        ERASURE = "erasure", "Erasure"
        RECTIFICATION = "rectification", "Rectification"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused with reasons"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_name = models.CharField(max_length=200)
    subject_email = models.EmailField(blank=True)
    membership_number = models.CharField(max_length=40, blank=True)
    details = models.TextField(blank=True, help_text="What the person asked for (for rectification: what is wrong)")
    received_on = models.DateField()
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person's details were removed under the [subject_requests] rule"
    )

    class Meta:
        ordering = ["due_on", "id"]
