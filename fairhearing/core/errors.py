"""Domain errors: raised by services, shown to people as messages, never as a server error."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. ``str(error)`` is a plain-language message for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The actor may not do this."""


class InvalidTransition(DomainError):
    """The process does not allow this move from the case's current stage."""


class MissingInformation(DomainError):
    """A required field (reasons, clauses, outcome, …) was not given."""
