"""Panels and who may sit on them, decisions with their findings, independent reviews, hearings
and appeals. Rows change only through ``fairhearing.decisions.services``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class PoolMember(models.Model):
    """A panel member or independent reviewer in the pool, with their training and own membership
    (if they are a member, they can never decide a case they are a party to). Taking someone out
    of the pool sets ``removed_at``; the row and their declared interests stay on the record."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pool_entry")
    training_valid_until = models.DateField(null=True, blank=True)
    member = models.ForeignKey("cases.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(null=True, blank=True, help_text="When they were last added to the pool")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Set when an administrator takes them out of the pool; never drawn while set")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def in_pool(self) -> bool:
        return self.removed_at is None


class Interest(models.Model):
    """A declared interest. Person, branch, region and group interests are compared with the
    parties of each case; a free-text interest is kept on the record for the caseworker; an
    interest naming a case excludes its holder from that case."""

    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        BRANCH = "branch", "A branch"
        REGION = "region", "A region"
        GROUP = "group", "A group or faction"
        CASE = "case", "A particular case"
        FREE = "free", "Other (free text)"

    pool_member = models.ForeignKey(PoolMember, on_delete=models.PROTECT, related_name="interests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["declared_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Panel(models.Model):
    class Purpose(models.TextChoices):
        DECISION = "decision", "Decision"
        APPEAL = "appeal", "Appeal"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="panels")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    size = models.PositiveSmallIntegerField()
    drawn_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Set when a veto or a later stage retires the panel")

    class Meta:
        ordering = ["drawn_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} panel drawn {self.drawn_at:%Y-%m-%d}"


class Seat(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    seated_at = models.DateTimeField()
    recused_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["seated_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Decision(models.Model):
    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "Awaiting independent review"
        REFERRED = "referred", "Referred for an expulsion hearing"
        DETERMINED = "determined", "Determined"
        VETOED = "vetoed", "Vetoed"
        ISSUED = "issued", "Issued"

    class Body(models.TextChoices):
        PANEL = "panel", "Panel"
        HEARING = "hearing", "Hearing"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="decisions")
    body = models.CharField(max_length=10, choices=Body.choices, default=Body.PANEL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    education_required = models.BooleanField(default=False)
    reasons = models.TextField()
    band_departure_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_at = models.DateTimeField()
    determined_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.get_status_display()})"


class Finding(models.Model):
    """The panel's finding on one allegation: the clause and code version applied, upheld or not."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="findings")
    allegation = models.ForeignKey("cases.Allegation", on_delete=models.PROTECT, related_name="+")
    clause = models.ForeignKey("conduct.Clause", on_delete=models.PROTECT, related_name="+")
    upheld = models.BooleanField()
    text = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.clause_id}: {'upheld' if self.upheld else 'not upheld'}"


class Review(models.Model):
    class Verdict(models.TextChoices):
        VERIFIED = "verified", "Verified"
        VETOED = "vetoed", "Vetoed"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reasons = models.TextField()
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.reviewer}"


class Hearing(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="hearings")
    referral = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="hearings")
    starts_at = models.DateTimeField()
    original_starts_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    postponement_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Hearing on {self.starts_at:%Y-%m-%d %H:%M}"


class Appeal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="appeals")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.CharField(max_length=20, help_text="complainant or respondent")
    grounds = models.TextField()
    lodged_at = models.DateTimeField()
    lodged_by = models.CharField(max_length=120, help_text="Audit name of who lodged it")
    panel = models.ForeignKey(Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals")
    outcome = models.CharField(max_length=30, blank=True)
    substituted_outcome = models.CharField(max_length=40, blank=True)
    substituted_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appeal by the {self.appellant}"
