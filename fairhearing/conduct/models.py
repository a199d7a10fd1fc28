"""Codes of conduct as versioned data: a code has versions, a version has (nested) clauses.

An adopted version is immutable: once ``status`` is ``adopted`` in the database, neither the
version nor any of its clauses can be saved or deleted again, through ``save()``/``delete()`` or
through a queryset's ``update()``/``delete()``. Cases and findings cite clauses of a version, so a
changed clause would silently change what a decision said. Change a code by loading a new version.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from fairhearing.core.errors import DomainError


class AdoptedVersionImmutable(DomainError):
    """An adopted code version (or one of its clauses) was about to be changed or deleted."""


def _refuse(what: str) -> AdoptedVersionImmutable:
    return AdoptedVersionImmutable(
        f"{what} belongs to an adopted code of conduct version, which never changes. "
        "Load the new wording as a new version (fairhearing conduct load FILE) instead."
    )


class Code(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class CodeVersionQuerySet(models.QuerySet["CodeVersion"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=CodeVersion.Status.ADOPTED).exists():
            raise _refuse("This version")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=CodeVersion.Status.ADOPTED).exists():
            raise _refuse("This version")
        return super().delete()


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
    recorded_at = models.DateTimeField(null=True, blank=True, help_text="When the adoption was entered here")
    recorded_by = models.CharField(max_length=200, blank=True, help_text="Who entered the adoption (audit name)")

    objects = CodeVersionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "label"], name="conduct_version_label_unique")]
        ordering = ["code", "in_force_from", "label"]

    def __str__(self) -> str:
        return f"{self.code.name} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save a draft (or the draft's adoption). Raises AdoptedVersionImmutable once adopted."""
        if self._stored_adopted():
            raise _refuse(f"Version {self.label}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_adopted():
            raise _refuse(f"Version {self.label}")
        return super().delete(*args, **kwargs)

    def _stored_adopted(self) -> bool:
        return bool(self.pk) and type(self)._base_manager.filter(pk=self.pk, status=self.Status.ADOPTED).exists()

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class ClauseQuerySet(models.QuerySet["Clause"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(version__status=CodeVersion.Status.ADOPTED).exists():
            raise _refuse("This clause")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(version__status=CodeVersion.Status.ADOPTED).exists():
            raise _refuse("This clause")
        return super().delete()


class Clause(models.Model):
    version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="clauses")
    identifier = models.CharField(max_length=40, help_text="Stable across versions, e.g. AS-4")
    title = models.CharField(max_length=300)
    text = models.TextField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveIntegerField(default=0)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "identifier"], name="conduct_clause_identifier_unique")]
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save a clause of a draft version. Raises AdoptedVersionImmutable for an adopted one."""
        if self._in_adopted_version():
            raise _refuse(f"Clause {self.identifier}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._in_adopted_version():
            raise _refuse(f"Clause {self.identifier}")
        return super().delete(*args, **kwargs)

    def _in_adopted_version(self) -> bool:
        return CodeVersion._base_manager.filter(pk=self.version_id, status=CodeVersion.Status.ADOPTED).exists()

    @property
    def depth(self) -> int:
        """How deep the clause is nested (0 for a top-level clause); follows parents in memory."""
        depth, node = 0, self.parent
        while node is not None and depth < 20:
            depth, node = depth + 1, node.parent
        return depth
