"""The public side's records: evidence, messages, lookup attempts, respondent links, the spam queue.

Complaint, Case and Party live in the cases app; this app hangs what the public hands in and what
it is told off them. Nothing here is ever deleted by the intake code: suspected spam is held for a
caseworker, failed lookups are kept as the record of an attack.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Evidence(models.Model):
    """One piece of evidence: a stored file, a pasted text or a link.

    Files live outside the web root under a random name (``stored_name``); ``sha256`` is the digest
    of the bytes as received, so any later copy can be checked against it.
    """

    class Kind(models.TextChoices):
        FILE = "file", "File"
        TEXT = "text", "Pasted text"
        LINK = "link", "Link"

    class From(models.TextChoices):
        COMPLAINANT = "complainant", "Complainant"
        RESPONDENT = "respondent", "Respondent"
        STAFF = "staff", "Staff"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey("cases.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_evidence")
    supplied_by = models.CharField(max_length=20, choices=From.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    original_name = models.CharField(max_length=255, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True, help_text="Pasted text or the link")
    withheld_from_respondent = models.BooleanField(default=False)
    redacted_text = models.TextField(blank=True, help_text="What the respondent sees instead of the text, when redacted")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.get_kind_display()


class Message(models.Model):
    """A message between the organisation and a complainant, kept with the complaint."""

    class Direction(models.TextChoices):
        FROM_COMPLAINANT = "from_complainant", "From the complainant"
        TO_COMPLAINANT = "to_complainant", "To the complainant"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class LookupAttempt(models.Model):
    """One try at the status page. ``address`` is a keyed hash of the IP address, never the address."""

    address = models.CharField(max_length=64, db_index=True)
    reference = models.CharField(max_length=20, db_index=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["reference", "succeeded", "at"], name="intake_lookup_ref_idx")]


class ReferenceLock(models.Model):
    """A reference refused at the status page until ``until``, after repeated wrong codes."""

    reference = models.CharField(max_length=20, unique=True)
    until = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)


class SubmissionMark(models.Model):
    """One web submission from an address (keyed hash), for the per-address submission limit."""

    address = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="intake_submark_idx")]


class SpamHold(models.Model):
    """A complaint held because it looked like spam. A caseworker releases it (a case opens) or
    confirms it as spam (it stays on file, with who decided and why)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        RELEASED = "released", "Released: not spam"
        CONFIRMED = "confirmed", "Confirmed as spam"

    complaint = models.OneToOneField("cases.Complaint", on_delete=models.PROTECT, related_name="spam_hold")
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    held_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["held_at", "id"]


class ComplaintLink(models.Model):
    """A complaint joined to an already-open case about the same respondent, so the link can be
    shown to the caseworker and undone."""

    complaint = models.OneToOneField("cases.Complaint", on_delete=models.PROTECT, related_name="intake_link")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    matched_on = models.CharField(max_length=40)
    linked_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)


class RespondentLink(models.Model):
    """A link sent to a respondent with a notice. Only the SHA-256 of its random token is stored;
    issuing a new link for the same party supersedes the old one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reply_due_on = models.DateField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]


class RespondentReply(models.Model):
    link = models.ForeignKey(RespondentLink, on_delete=models.PROTECT, related_name="replies")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class HearingMoveRequest(models.Model):
    """A respondent's one request to move a hearing (unique per party)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    party = models.OneToOneField("cases.Party", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField()
