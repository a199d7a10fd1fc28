"""Screening: the lexicon, the framing cues and the statistical model, combined.

How a score is made (the parameters come from the model file, or :data:`LEXICON_ONLY` when no
model is installed):

1. ``p_model``: the model's probability (0 without a model). When the text reads as criticism of
   a state's policy and names no people as such, or when the speaker describes their own Jewish
   identity or circle, and no explicit entry matches, it is multiplied by ``damp_policy``.
2. ``p_lex``: the highest confidence among the explicit lexicon entries the text matches.
3. ``content = 1 - (1 - p_model) * (1 - p_lex)``: either source can raise it. This is what the
   content says, whoever voices it; it decides which suggestions are shown.
4. ``score``: the same formula after the framing is taken into account. When the cues say the
   text quotes, condemns or reports, ``p_lex`` is multiplied by ``damp_lexicon`` (the lexicon
   cannot see context) and ``p_model`` by ``damp_model`` (the model learned some context from
   its training data, so it is damped less).
5. ``flag`` is ``score >= threshold``.

Only the threshold is learned (by cross-validation on the training rows); the dampings are
fixed by design, because tuning them for F1 on tweets would trade away exactly the protection
for counter-speech and policy criticism that they exist for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fairhearing.screening.framing import EXPRESSES, UNCLEAR, FramingRules, load_framing
from fairhearing.screening.lexicon import Hit, Lexicon, load_lexicon
from fairhearing.screening.model import Model, load_model
from fairhearing.screening.normalise import fold
from fairhearing.screening.result import ScreeningResult, Suggestion

# The clause suggested when the model alone finds a text likely: the IHRA core definition.
CORE_CLAUSE = "AS-0"


@dataclass(frozen=True, slots=True)
class Params:
    """How the sources are combined; see the module docstring."""

    threshold: float
    damp_lexicon: float = 0.2
    damp_model: float = 0.5
    damp_policy: float = 0.5

    @classmethod
    def from_header(cls, header: dict[str, object]) -> Params:
        """Read the parameters stored in a model header; missing ones take their defaults."""
        combine = header.get("combine", {})
        if not isinstance(combine, dict):
            return cls(threshold=LEXICON_ONLY.threshold)
        known = {k: float(v) for k, v in combine.items() if k in cls.__dataclass_fields__}
        return cls(**{"threshold": LEXICON_ONLY.threshold, **known})


# Without a model only explicit entries score; every explicit confidence is at least 0.75, and a
# framed text (0.97 * 0.2) stays well below the threshold.
LEXICON_ONLY = Params(threshold=0.5)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the sources say about one text, before combination (used by training too)."""

    hits: tuple[Hit, ...]
    cue: str | None
    policy: bool
    p_lex: float
    in_group: bool = False


def signals(text: str, lexicon: Lexicon, rules: FramingRules) -> Signals:
    """Return the lexicon and framing signals of ``text``."""
    folded = fold(text)
    hits = tuple(lexicon.match(text, folded))
    explicit = [h.entry.confidence for h in hits if h.entry.kind == "explicit"]
    return Signals(
        hits=hits,
        cue=rules.cue(text, folded),
        policy=not explicit and rules.is_policy_criticism(folded),
        p_lex=max(explicit, default=0.0),
        in_group=not explicit and rules.is_in_group(folded),
    )


def combine(p_model: float, sig: Signals, params: Params) -> tuple[float, float]:
    """Return ``(content, score)`` for a model probability and the text's signals."""
    if sig.policy or sig.in_group:
        p_model *= params.damp_policy
    content = 1.0 - (1.0 - p_model) * (1.0 - sig.p_lex)
    if not sig.cue:
        return content, content
    return content, 1.0 - (1.0 - p_model * params.damp_model) * (1.0 - sig.p_lex * params.damp_lexicon)


def _suggestions(sig: Signals, content: float, likely: bool,
                 model: Model | None, text: str) -> tuple[Suggestion, ...]:
    by_clause: dict[str, tuple[float, list[str]]] = {}
    for hit in sig.hits:
        if hit.entry.kind == "hint" and not likely:
            continue
        confidence = hit.entry.confidence if hit.entry.kind == "explicit" else min(
            hit.entry.confidence, content)
        best, triggers = by_clause.get(hit.entry.clause, (0.0, []))
        if hit.trigger not in triggers:
            triggers.append(hit.trigger)
        by_clause[hit.entry.clause] = (max(best, confidence), triggers)
    if likely and not by_clause:
        words = model.top_words(text) if model is not None else ()
        by_clause[CORE_CLAUSE] = (content, list(words))
    ordered = sorted(by_clause.items(), key=lambda item: (-item[1][0], item[0]))
    return tuple(Suggestion(clause, conf, tuple(trig)) for clause, (conf, trig) in ordered)


class Screener:
    """A lexicon, framing rules and an optional model, ready to screen texts."""

    def __init__(self, lexicon: Lexicon, rules: FramingRules, model: Model | None) -> None:
        self.lexicon = lexicon
        self.rules = rules
        self.model = model
        self.params = Params.from_header(model.header) if model is not None else LEXICON_ONLY
        self.version = (f"lexicon {lexicon.version}; framing {rules.version}; "
                        f"model {model.digest[:12] if model is not None else 'none'}")

    def screen(self, text: str) -> ScreeningResult:
        """Screen one text. Never raises for any string, including the empty one."""
        sig = signals(text, self.lexicon, self.rules)
        p_model = self.model.probability(text) if self.model is not None else 0.0
        content, score = combine(p_model, sig, self.params)
        likely = content >= self.params.threshold
        if sig.cue:
            framing = sig.cue
        elif likely or sig.p_lex:
            framing = EXPRESSES
        else:
            framing = UNCLEAR
        return ScreeningResult(
            score=score,
            flag=score >= self.params.threshold,
            framing=framing,
            examples=_suggestions(sig, content, likely, self.model, text),
            model=self.model is not None,
            policy_criticism=sig.policy,
            version=self.version,
        )


_DEFAULT: dict[str, Screener] = {}


def default_screener() -> Screener:
    """The screener built from the packaged lexicon, framing cues and model (cached)."""
    if "screener" not in _DEFAULT:
        _DEFAULT["screener"] = Screener(load_lexicon(), load_framing(), load_model())
    return _DEFAULT["screener"]


def reset_default_screener() -> None:
    """Forget the cached screener, so the next call reloads the model (after training)."""
    _DEFAULT.clear()
    load_model.cache_clear()


def screener_for(model_path: Path | None) -> Screener:
    """A screener using the model at ``model_path`` (None: lexicon only)."""
    model = load_model(model_path) if model_path is not None else None
    return Screener(load_lexicon(), load_framing(), model)


def screen(text: str) -> ScreeningResult:
    """Screen one text with the packaged lexicon and model. See :class:`ScreeningResult`."""
    if not isinstance(text, str):
        raise TypeError(f"screen() takes a str, not {type(text).__name__}")
    return default_screener().screen(text)


def screen_many(texts: Iterable[str]) -> list[ScreeningResult]:
    """Screen every text, in order."""
    screener = default_screener()
    out = []
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"screen_many() takes strings, not {type(text).__name__}")
        out.append(screener.screen(text))
    return out


__all__ = ["Params", "Screener", "combine", "screen", "screen_many", "signals"]
