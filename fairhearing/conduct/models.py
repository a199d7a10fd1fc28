"""Codes of conduct as versioned data: a code has versions, a version has (nested) clauses."""

from __future__ import annotations

import uuid

from django.db import models


class Code(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class CodeVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=40, help_text="e.g. 2024.1")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    in_force_from = models.DateField(null=True, blank=True)
    adopted_by = models.CharField(max_length=200, blank=True, help_text="The body that adopted it")
    adopted_on = models.DateField(null=True, blank=True)
    vote = models.CharField(max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "label"], name="conduct_version_label_unique")]
        ordering = ["code", "in_force_from", "label"]

    def __str__(self) -> str:
        return f"{self.code.name} {self.label}"


class Clause(models.Model):
    version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="clauses")
    identifier = models.CharField(max_length=40, help_text="Stable across versions, e.g. AS-4")
    title = models.CharField(max_length=300)
    text = models.TextField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "identifier"], name="conduct_clause_identifier_unique")]
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"
