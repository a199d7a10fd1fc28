"""Screening runs and the suggestions they produce, and what the caseworker decided about each.

A ``ScreeningRun`` is one text of a case (a complaint account, an allegation or a pasted evidence
item) put through the screening engine. It is created ``queued`` when the tick picks the text up
(a unique source makes the claim, so two ticks never screen a text twice) and becomes ``done``
when the background task has stored the result. The text itself is not copied: the run points at
its source and keeps the text's SHA-256, so a later change to the text is detectable.

A ``Suggestion`` is one clause the engine pointed to. It starts ``pending``; the assigned
caseworker accepts or rejects it. Nothing here decides anything about a case.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class SourceKind(models.TextChoices):
    COMPLAINT_ACCOUNT = "complaint_account", "Complaint account"
    ALLEGATION = "allegation", "Allegation"
    EVIDENCE = "evidence", "Pasted evidence"


class ScreeningRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be screened"
        DONE = "done", "Screened"
        FAILED = "failed", "Could not be screened"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="screening_runs")
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(help_text="Primary key of the complaint, allegation or evidence item")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    queued_at = models.DateTimeField()
    text_sha256 = models.CharField(max_length=64, blank=True)
    score = models.FloatField(null=True, blank=True)
    flag = models.BooleanField(default=False)
    framing = models.CharField(max_length=20, blank=True)
    policy_criticism = models.BooleanField(default=False)
    model_version = models.CharField(max_length=100, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
        help_text="An earlier run of the same case with the same text; its suggestions stand for this one",
    )
    created_at = models.DateTimeField(null=True, blank=True, help_text="When the result was stored")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["case", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id"], name="suggestions_one_run_per_source"),
        ]
        indexes = [models.Index(fields=["state", "queued_at"], name="suggestions_run_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.source_id} ({self.state})"


class Suggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Not yet checked"
        ACCEPTED = "accepted", "Accepted by the caseworker"
        REJECTED = "rejected", "Rejected by the caseworker"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(ScreeningRun, on_delete=models.PROTECT, related_name="suggestions")
    clause_identifier = models.CharField(max_length=40)
    confidence = models.FloatField()
    triggers = models.JSONField(default=list)
    rank = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "clause_identifier"], name="suggestions_one_per_clause"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_identifier} ({self.confidence:.2f}, {self.status})"
