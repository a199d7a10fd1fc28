"""The value objects screening returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A clause the text may fall under.

    ``confidence`` (0..1) is how strongly the *content* points to the clause, whoever voices it;
    the result's ``framing`` says whether the author expresses it. ``triggers`` are the words
    that led to the suggestion, as they read after normalisation.
    """

    clause: str
    confidence: float
    triggers: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"clause": self.clause, "confidence": round(self.confidence, 4),
                "triggers": list(self.triggers)}


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """What screening says about one text. A suggestion for a caseworker, never a finding.

    - ``score`` (0..1): how likely the text expresses antisemitism or other conduct the code
      covers, after its framing is taken into account;
    - ``flag``: the score reached the threshold chosen in training;
    - ``framing``: expresses, reports, quotes, condemns or unclear;
    - ``examples``: the suggested clauses, strongest first;
    - ``model``: False when the statistical model was unavailable and only the lexicon ran;
    - ``policy_criticism``: the text reads as criticism of a state's policy, so the statistical
      score was damped (explicit lexicon matches are never damped for this);
    - ``version``: the lexicon, framing cues and model that produced the result, to record
      alongside any decision that cites it.
    """

    score: float
    flag: bool
    framing: str
    examples: tuple[Suggestion, ...]
    model: bool = True
    policy_criticism: bool = False
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping with every field."""
        return {
            "score": round(self.score, 4),
            "flag": self.flag,
            "framing": self.framing,
            "examples": [s.to_dict() for s in self.examples],
            "model": self.model,
            "policy_criticism": self.policy_criticism,
            "version": self.version,
        }
