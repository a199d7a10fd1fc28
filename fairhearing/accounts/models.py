"""Staff accounts. Complainants and respondents never have accounts (receipts and signed links)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    PANEL = "panel", "Panel member"
    REVIEWER = "reviewer", "Independent reviewer"
    OVERSEER = "overseer", "Overseer"
    ORGANISER = "organiser", "Event organiser"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=20, choices=Role.choices)
    display_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name(self) -> str:
        return str(self)
