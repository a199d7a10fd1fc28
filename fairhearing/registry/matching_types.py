"""Value types and thresholds shared by the platform-check matching modules.

Pure Python: nothing here imports Django, so the engine can be tested, benchmarked
and reused without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: A name scoring at least this much against a registry entry (0..100), with no
#: rule capping it, is reported as a match. Set where the false-match rate on the
#: generated quality set stays near zero: a match tells an organiser not to share
#: a platform with someone, so a wrong one does real harm.
MATCH_THRESHOLD: float = 90.0

#: A name scoring at least this much, but short of a match, is sent for review as
#: a possible match. Below it the answer is no match.
POSSIBLE_THRESHOLD: float = 75.0

#: Scores of results that a rule keeps below "match" (initials, a missing
#: forename, a membership number under a different name) are clipped to this,
#: so that the score band always agrees with the verdict.
POSSIBLE_CEILING: float = MATCH_THRESHOLD - 1.0


class Verdict(StrEnum):
    """The only three answers the platform check gives about a name."""

    MATCH = "match"
    POSSIBLE = "possible_match"
    NONE = "no_match"


@dataclass(frozen=True)
class RegistryName:
    """One entry of the sanctions registry as the matching engine sees it.

    ``entry_id`` identifies the entry for staff review; ``name`` is the name as
    recorded; ``membership_number`` is compared after normalisation (see
    :func:`normalise_membership_number`).
    """

    entry_id: str
    name: str
    membership_number: str | None = None


@dataclass(frozen=True)
class MatchResult:
    """The answer for one queried name.

    ``score`` is 0..100 and agrees with ``verdict``: a match scores at least
    :data:`MATCH_THRESHOLD`, a possible match at least :data:`POSSIBLE_THRESHOLD`
    and below :data:`MATCH_THRESHOLD`, no match below :data:`POSSIBLE_THRESHOLD`.
    ``entry_id`` names the registry entry behind a match or possible match and is
    for staff review only: an organiser is told the verdict, never the entry or
    the reason.
    """

    query: str
    membership_number: str | None
    verdict: Verdict
    score: float
    entry_id: str | None


def normalise_membership_number(raw: str | None) -> str | None:
    """Return the comparable form of a membership number, or None when blank.

    Case, spaces, hyphens and slashes are ignored, so "ab-123 45" and "AB12345"
    compare equal. Validation (allowed characters, length) is the job of the
    caller that accepts input: see ``parse_speaker_lines``.
    """
    if raw is None:
        return None
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    return cleaned or None
