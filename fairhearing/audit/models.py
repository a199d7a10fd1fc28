"""The append-only, hash-chained event log, its signed checkpoints, and the oversight records
(break-glass grants, the external contact register, verification results).

The event log:

Rows are written only by :func:`fairhearing.audit.services.audit_append`, inside the transaction of
the service whose action they record. ``payload`` holds the canonical JSON text that was hashed,
so verification hashes exactly what is stored.
"""

from __future__ import annotations

import uuid

from django.conf import settings
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

    def __str__(self) -> str:
        return f"head #{self.seq}"


class Checkpoint(models.Model):
    """A signed statement of the log's size and Merkle root (see ``fairhearing.audit.signing``).

    Stored for convenience only: its worth comes from the signature made with a key kept
    outside the database, and from the copies the overseer exports and keeps elsewhere.
    """

    tree_size = models.PositiveBigIntegerField(db_index=True)
    root = models.CharField(max_length=64)
    issued_at = models.CharField(max_length=40)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        ordering = ["tree_size", "id"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size} {self.root[:12]}"

    def as_signed(self):  # type: ignore[no-untyped-def]
        """Return the pure ``signing.Checkpoint`` for verification."""
        from fairhearing.audit.signing import Checkpoint as Signed

        return Signed(
            tree_size=self.tree_size,
            root=self.root,
            issued_at=self.issued_at,
            key_id=self.key_id,
            signature=self.signature,
        )


class VerificationRun(models.Model):
    """The outcome of one verification, shown on the overseer's dashboard."""

    ran_at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=120)
    ok = models.BooleanField()
    damage = models.CharField(max_length=20, blank=True)
    first_bad_seq = models.PositiveBigIntegerField(null=True, blank=True)
    events_checked = models.PositiveBigIntegerField(default=0)
    checkpoints_checked = models.PositiveIntegerField(default=0)
    against_overseer_copy = models.BooleanField(default=False)
    signatures_checked = models.BooleanField(default=True, help_text="False when no signing key was available")
    message = models.TextField()

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"verification {self.ran_at:%Y-%m-%d %H:%M}: {'ok' if self.ok else self.damage}"


class BreakGlassGrant(models.Model):
    """Time-limited read access to one case for a staff member not assigned to it.

    Granted only with a reason, recorded in the audit log and announced to every overseer.
    ``visible_cases`` honours a grant until ``expires_at`` or until it is ended early.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"], name="audit_grant_user_case_idx")]

    def __str__(self) -> str:
        return f"break-glass {self.user_id} on case {self.case_id}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    MESSAGE = "message", "Text or chat message"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class ExternalContact(models.Model):
    """A contact about a case from someone outside the process (the external contact register).

    ``contact_key`` is the contacting person's name folded for grouping, so the overseer can
    see every contact made by one person across cases.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="external_contacts")
    contact_name = models.CharField(max_length=200)
    contact_key = models.CharField(max_length=200, db_index=True)
    contact_position = models.CharField(max_length=200, blank=True, help_text="Office or organisation")
    occurred_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    request = models.TextField(help_text="What was asked or said about the case")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_name} about case {self.case_id}"


class StatedReason(models.Model):
    """Free text typed as part of an audited action (a reason, a note, grounds), kept outside the
    hashed payload so retention can erase it (decision 0017).

    The event's payload carries only ``{"stated_reason": public_id, "sha256": digest}``, where the
    digest is SHA-256 over this row's random ``salt`` followed by the UTF-8 text. While the row is
    intact anyone reading the log can check the text against the chain; once erased, text and salt
    are gone and the digest left in the chain cannot be matched against a guessed sentence.
    Written only by :func:`fairhearing.audit.reasons.stated_reason_create`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="stated_reasons")
    action = models.CharField(max_length=80, help_text="The audit action whose payload cites this text")
    field = models.CharField(max_length=60, help_text="The payload key that cites it")
    text = models.TextField(blank=True)
    salt = models.CharField(max_length=32, blank=True, help_text="Random hex, erased with the text")
    sha256 = models.CharField(max_length=64, help_text="The digest recorded in the payload")
    created_at = models.DateTimeField()
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_under = models.CharField(max_length=40, blank=True, help_text="Why it was erased, e.g. retention or erasure")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "erased_at"], name="audit_reason_case_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.field} {self.public_id}"
