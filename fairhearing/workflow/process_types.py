"""The shape of a loaded process definition: immutable dataclasses and the known vocabularies.

Import these through ``fairhearing.workflow.process``; this module exists so the parser can
depend on the types without a circular import.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

KNOWN_ROLES: tuple[str, ...] = (
    "system",
    "caseworker",
    "panel",
    "reviewer",
    "overseer",
    "complainant",
    "respondent",
)
KNOWN_GUARDS: tuple[str, ...] = (
    "review_required",
    "review_not_required",
    "expulsion_referral",
    "not_expulsion_referral",
    "file_complete",
    "appeal_window_open",
)
KNOWN_REQUIREMENTS: tuple[str, ...] = ("reasons", "clauses", "outcome")


@dataclass(frozen=True)
class Stage:
    """One stage of a case, with its timetable in working days (0: no clock)."""

    key: str
    label: str
    public_label: str
    description: str
    days: int
    terminal: bool
    notifies_respondent: bool


@dataclass(frozen=True)
class Transition:
    """A move from any of ``sources`` to ``target`` that one of ``roles`` may make.

    ``requires`` is a subset of ``KNOWN_REQUIREMENTS``; ``outcomes`` lists the allowed outcome
    values and is non-empty exactly when ``"outcome"`` is required. ``guard`` names a condition
    from ``KNOWN_GUARDS`` that must hold on the case, or is ``None``.
    """

    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    requires: frozenset[str]
    outcomes: tuple[str, ...]
    guard: str | None


@dataclass(frozen=True)
class Pause:
    """A reason the stage clock may stop, for at most ``max_days`` working days, in ``stages``."""

    key: str
    label: str
    max_days: int
    stages: tuple[str, ...]


@dataclass(frozen=True)
class Process:
    """A validated process definition. Build one with ``load_process``, never by hand: the
    loader guarantees every stage named anywhere exists, every stage is reachable from
    ``initial_stage`` and every non-terminal stage can reach a terminal one.

    ``stages``, ``transitions`` and ``pauses`` are read-only mappings from key to item, in the
    order of the file.
    """

    name: str
    version: int
    initial_stage: str
    fast_track_factor: float
    update_interval_days: int
    acknowledge_within_days: int
    respondent_reply_days: int
    stages: Mapping[str, Stage] = field(hash=False)
    transitions: Mapping[str, Transition] = field(hash=False)
    pauses: Mapping[str, Pause] = field(hash=False)
    review_categories: tuple[str, ...]
    escalation_roles: tuple[str, ...]
    description: str = ""

    def stage(self, key: str) -> Stage:
        """Return the stage called ``key``; ``KeyError`` naming the known stages otherwise."""
        try:
            return self.stages[key]
        except KeyError:
            raise KeyError(
                f"process {self.name!r} v{self.version} has no stage {key!r}; "
                f"its stages are {', '.join(self.stages)}"
            ) from None

    def transitions_from(self, stage_key: str) -> list[Transition]:
        """Transitions that may leave ``stage_key``, in file order (``KeyError`` if unknown)."""
        self.stage(stage_key)
        return [t for t in self.transitions.values() if stage_key in t.sources]

    def terminal_stages(self) -> tuple[str, ...]:
        """Keys of the terminal stages, in file order."""
        return tuple(key for key, stage in self.stages.items() if stage.terminal)

    def pauses_for(self, stage_key: str) -> list[Pause]:
        """Pauses allowed in ``stage_key``, in file order (``KeyError`` if unknown)."""
        self.stage(stage_key)
        return [p for p in self.pauses.values() if stage_key in p.stages]

    def stage_days(self, stage_key: str, fast_tracked: bool) -> int:
        """Working days allowed in ``stage_key``.

        Fast-tracked: ``ceil(days * fast_track_factor)``, at least 1 unless ``days`` is 0.
        The factor is taken as the decimal written in the file, so 30 days at 0.1 is exactly 3
        and not 4 through binary rounding.
        """
        days = self.stage(stage_key).days
        if not fast_tracked or days == 0:
            return days
        scaled = math.ceil(Fraction(str(self.fast_track_factor)) * days)
        return max(1, scaled)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a process file: where (``"default.toml: stages[2] 'triage'.days"``;
    list positions count from 1) and what, with how to fix it."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ProcessError(Exception):
    """A process file could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in process file:\n{lines}")


class ProcessFileNotFound(ProcessError, FileNotFoundError):
    """The process file does not exist: a ``ProcessError`` that is also a
    ``FileNotFoundError``, so callers may handle a missing file either way."""
