"""Reads for the suggestions page: each screened text of a case with its suggestions, the clause
titles from the code version that applies, and the trigger words marked in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fairhearing.conduct.models import CodeVersion
from fairhearing.conduct.selectors import clause_titles, version_for_allegation, version_for_case
from fairhearing.suggestions import sources
from fairhearing.suggestions.models import ScreeningRun, SourceKind, Suggestion
from fairhearing.suggestions.services import text_sha256

if TYPE_CHECKING:
    from fairhearing.cases.models import Case


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool


@dataclass
class SuggestionRow:
    suggestion: Suggestion
    title: str
    version: CodeVersion | None
    unmatched_triggers: list[str] = field(default_factory=list)


@dataclass
class RunView:
    run: ScreeningRun
    label: str
    pieces: list[Piece]
    rows: list[SuggestionRow]
    version: CodeVersion | None
    text_changed: bool
    missing: bool


def _pattern(trigger: str) -> re.Pattern[str] | None:
    words = re.findall(r"\w+", trigger)
    if not words:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def mark_triggers(text: str, triggers: list[str]) -> tuple[list[Piece], list[str]]:
    """Split ``text`` into pieces with every trigger occurrence marked (case-insensitive, any
    punctuation or spacing between its words). Returns the pieces and the triggers not found
    verbatim (the engine reports words as they read after normalisation)."""
    spans: list[tuple[int, int]] = []
    unmatched: list[str] = []
    for trigger in triggers:
        pattern = _pattern(trigger)
        found = list(pattern.finditer(text)) if pattern else []
        if not found:
            unmatched.append(trigger)
        spans += [(m.start(), m.end()) for m in found]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces: list[Piece] = []
    cursor = 0
    for start, end in merged:
        if start > cursor:
            pieces.append(Piece(text[cursor:start], False))
        pieces.append(Piece(text[start:end], True))
        cursor = end
    if cursor < len(text):
        pieces.append(Piece(text[cursor:], False))
    return pieces, unmatched


def _version_for(run: ScreeningRun, case: Case) -> CodeVersion | None:
    if run.source_kind == SourceKind.ALLEGATION:
        from fairhearing.cases.models import Allegation

        allegation = Allegation.objects.select_related("case").filter(pk=run.source_id).first()
        if allegation is not None:
            return version_for_allegation(allegation)
    return version_for_case(case)


def case_screening(case: Case) -> list[RunView]:
    """Every screening run of a case, oldest first, ready for the page."""
    views: list[RunView] = []
    titles: dict[int, dict[str, str]] = {}
    runs = ScreeningRun.objects.filter(case=case).select_related("duplicate_of").prefetch_related("suggestions__decided_by").order_by("queued_at", "id")
    for run in runs:
        source = sources.source_text(run.source_kind, run.source_id)
        text = source.text if source else ""
        version = _version_for(run, case)
        if version is not None and version.pk not in titles:
            titles[version.pk] = clause_titles(version)
        names = titles.get(version.pk, {}) if version else {}
        suggestions = list(run.suggestions.all())
        pieces, _ = mark_triggers(text, [t for s in suggestions for t in s.triggers])
        rows = []
        for s in suggestions:
            _, unmatched = mark_triggers(text, list(s.triggers))
            rows.append(SuggestionRow(s, names.get(s.clause_identifier, "(not a clause of this version)"), version, unmatched))
        views.append(RunView(
            run=run, label=source.label if source else "A text that no longer exists", pieces=pieces, rows=rows,
            version=version, text_changed=bool(source and run.text_sha256 and text_sha256(text) != run.text_sha256),
            missing=source is None,
        ))
    return views



def pending_count(case: Case) -> int:
    """How many suggestions of a case still wait for the caseworker (for a link on the case page)."""
    return Suggestion.objects.filter(run__case=case, status=Suggestion.Status.PENDING).count()
