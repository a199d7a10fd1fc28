"""API tokens (only a hash of the secret is stored) and the shared rate-limit counters."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    """What a token may be used for. A scope only narrows: the services still decide, for the
    token's user, exactly as on the web pages."""

    CASES_READ = "cases:read", "Read the cases, complaints, evidence and suggestions the user may see"
    CASES_WRITE = "cases:write", "Take process steps and caseworker actions on cases the user may act on"
    DECISIONS_WRITE = "decisions:write", "Panel draw, recusal, decisions, review, hearings, issue and appeals, and declared interests"
    PRIVACY_READ = "privacy:read", "Read the data-subject request queue"
    PRIVACY_WRITE = "privacy:write", "Record, complete and export data-subject requests; place and lift legal holds"
    AUDIT_WRITE = "audit:write", "Record outside contacts, take or end break-glass access, verify the audit log"
    REPORTS_READ = "reports:read", "Read the statistics"
    REGISTRY_CHECK = "registry:check", "Run the platform check"


class ApiToken(models.Model):
    """A token acts as its user, narrowed to its scopes: it can never do what the user cannot.

    The token text is ``fh_<prefix>_<secret>``; ``prefix`` finds the row, ``secret_hash`` (SHA-256
    of a 256-bit random secret, which needs no slow hash) proves it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class RateCounter(models.Model):
    """Requests counted per key per fixed window, in the database so every server process agrees."""

    key = models.CharField(max_length=120)
    window = models.BigIntegerField(help_text="Window number: seconds since the epoch divided by the window length")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="api_ratecounter_key_window")]
