"""Members, complaints, cases and what hangs off a case.

A case's clock lives in indexed columns: ``due_on`` (the current stage's deadline, a date counted
in working days) and ``next_update_on`` (when the parties are next owed news). The tick claims rows
on those columns with conditional UPDATEs.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from unidecode import unidecode


def fold_name(name: str) -> str:
    """Fold accents, case, punctuation and spacing, so 'José  O'Brien' matches 'jose obrien'."""
    return " ".join(re.sub(r"[^a-z0-9 ]", "", unidecode(name).lower()).split())[:200]


class Category(models.TextChoices):
    ANTISEMITISM = "antisemitism", "Antisemitism"
    OTHER_RACISM = "other_racism", "Other racism"
    OTHER_DISCRIMINATION = "other_discrimination", "Other discrimination"
    SEXUAL_HARASSMENT = "sexual_harassment", "Sexual harassment"
    BULLYING = "bullying", "Bullying or intimidation"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    WEB = "web", "Online form"
    API = "api", "API"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"


class Member(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        EXPELLED = "expelled", "Expelled"
        LAPSED = "lapsed", "Lapsed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership_number = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    branch = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True, help_text="Office held, if any")
    joined_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.membership_number})"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    category = models.CharField(max_length=30, choices=Category.choices)
    summary = models.CharField(max_length=300)
    stage = models.CharField(max_length=40)
    stage_entered_on = models.DateField()
    due_on = models.DateField(null=True, blank=True, db_index=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    fast_tracked = models.BooleanField(default=False)
    closed = models.BooleanField(default=False, db_index=True)
    outcome = models.CharField(max_length=60, blank=True)
    next_update_on = models.DateField(null=True, blank=True, db_index=True)
    last_update_on = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    process_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["closed", "paused", "due_on"], name="cases_open_due_idx"),
            models.Index(fields=["stage", "due_on"], name="cases_stage_due_idx"),
            # The queues at a million cases (docs/performance.md): the intake pool and the
            # fast-tracked cases in due order, and the open cases among someone's assignments.
            models.Index(fields=["due_on", "opened_at"], name="cases_pool_due_idx",
                         condition=models.Q(stage__in=("received", "triage"), closed=False)),
            models.Index(fields=["due_on", "opened_at"], name="cases_fast_due_idx", condition=models.Q(fast_tracked=True, closed=False)),
            models.Index(fields=["id"], name="cases_open_id_idx", condition=models.Q(closed=False)),
            # The tick's overdue query: only open, running cases not yet escalated, so each tick
            # reads what it will act on, not every overdue case escalated before.
            models.Index(fields=["due_on", "id"], name="cases_unbreached_idx",
                         condition=models.Q(closed=False, paused=False, breached_at__isnull=True)),
            # The report's backlog (cases open at the end of a period, by age): the open cases,
            # and the cases closed since, each read from its index alone.
            models.Index(fields=["opened_at"], name="cases_open_opened_idx", condition=models.Q(closed=False)),
            models.Index(fields=["closed_at", "opened_at"], name="cases_closed_at_idx", condition=models.Q(closed=True)),
        ]

    def __str__(self) -> str:
        return self.reference


class Complaint(models.Model):
    """What someone reported. Several complaints about the same respondent may share one case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    category = models.CharField(max_length=30, choices=Category.choices)
    anonymous = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_email = models.EmailField(blank=True)
    complainant_phone = models.CharField(max_length=40, blank=True)
    respondent_name = models.CharField(max_length=200)
    respondent_membership_number = models.CharField(max_length=40, blank=True)
    respondent_branch_or_role = models.CharField(max_length=200, blank=True)
    respondent_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_about")
    account = models.TextField()
    conduct_dates = models.CharField(max_length=200, blank=True)
    conduct_first_date = models.DateField(null=True, blank=True)
    where = models.CharField(max_length=300, blank=True)
    links = models.TextField(blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True, help_text="Slow hash of the receipt code")
    submission_event_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        # The report counts a period's complaints by category and channel from this index alone.
        indexes = [models.Index(fields=["received_at", "category", "channel"], name="cases_complaint_received_idx")]

    def __str__(self) -> str:
        return self.reference


class Party(models.Model):
    class Kind(models.TextChoices):
        COMPLAINANT = "complainant", "Complainant"
        RESPONDENT = "respondent", "Respondent"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="parties")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="parties")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    anonymous = models.BooleanField(default=False)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When this party left the case (a complaint unlinked); rows are never deleted"
    )
    name_key = models.CharField(
        max_length=200, blank=True, editable=False, db_default="",
        help_text="The name folded by fold_name, kept on save, so a new complaint finds the open case about the same respondent by index",
    )

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["name_key"], condition=models.Q(kind="respondent"), name="cases_party_respondent_key")]

    def __str__(self) -> str:
        return self.name or ("Anonymous" if self.anonymous else self.get_kind_display())

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = fold_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class Allegation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allegations")
    text = models.TextField()
    conduct_date = models.DateField(null=True, blank=True)
    clauses = models.ManyToManyField("conduct.Clause", blank=True, related_name="allegations")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]


class Assignment(models.Model):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", "Caseworker"
        PANEL = "panel", "Panel member"
        REVIEWER = "reviewer", "Independent reviewer"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    active = models.BooleanField(default=True)
    assigned_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "active", "case"], name="cases_assign_user_idx"),
            # "Has this case a caseworker?", asked for every case in the intake pool.
            models.Index(fields=["case"], name="cases_assign_cw_idx", condition=models.Q(active=True, role="caseworker")),
        ]


class StageRecord(models.Model):
    """One stay in one stage: when it began and ended, its deadline, and whether it was met."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_records")
    stage = models.CharField(max_length=40)
    entered_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    working_days = models.IntegerField(null=True, blank=True, help_text="Working days spent, pauses excluded")
    met_deadline = models.BooleanField(null=True)

    class Meta:
        ordering = ["entered_on", "id"]
        # The report's stage times read working days and deadlines met from the index alone.
        indexes = [models.Index(fields=["stage", "left_on", "working_days", "met_deadline"], name="cases_stagerec_times_idx")]


class Pause(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(max_length=40)
    reason = models.TextField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    limit_on = models.DateField(help_text="The pause ends itself here, at the process's limit")

    class Meta:
        ordering = ["started_on", "id"]


class Notification(models.Model):
    """An outgoing message, stored before it is sent: a mail failure never loses it.

    ``dedupe_key`` is unique, so a notice queued twice for the same reason is stored once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=60)
    recipient_role = models.CharField(max_length=30)
    recipient_email = models.EmailField(blank=True)
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
