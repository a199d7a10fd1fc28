"""No audit payload holds free text (decision 0017).

Two checks, because neither is enough alone:

- **Every call site, read from the source.** Each ``audit_append``/``audit_record`` call in the
  package is parsed; every payload value is followed to the name it comes from (through
  ``.strip()``, ``str()``, slicing, f-strings, lists and nested dicts). A value whose name says
  it is text (reason, note, text, message, grounds, why, name, email...) must go through
  ``stated_reason_create``. This covers call sites no test exercises, including ones added later,
  but it trusts names.
- **Every event actually written, with typed text that names someone.** The services are run
  with every typed text naming one person (``privacy/tests/named_reasons.py``); no payload may
  contain the name, and no payload string may look like prose (three or more words, or longer
  than 64 characters). This does not trust names, but covers only what the scenario exercises;
  so it must exercise every call site that cites a stated reason.

Values that read as text but are fixed by code or by a reviewed configuration file are listed
with the reason they are safe. Known
free text still written by code outside this change is listed as outstanding; the test fails when
an entry is fixed and not removed, so the list cannot go stale.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import fairhearing
from fairhearing.audit.models import AuditEvent
from fairhearing.audit.reasons import is_reference
from fairhearing.audit.registry import registered_actions

PACKAGE = Path(fairhearing.__file__).parent
TEXT_NAME = re.compile(
    r"(^|_)(reason|reasons|note|notes|text|comment|comments|message|body|summary|grounds|why|details|request|"
    r"description|account|name|names_text|email|phone|address)$"
)
TEXT_METHODS = {"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize"}
WRITERS = {"audit_append", "audit_record"}
CITE = "stated_reason_create"

# (action, payload key): why the value, though it reads as text, is not typed about a case: it is
# fixed by code, or read from a reviewed configuration file.
FIXED_TEXT = {
    ("panel.drawn", "reason"): "one of 'draw', 'replacement after recusal', 'fresh panel after veto', passed by the draw's callers",
    ("panel.drawn", "method"): "the constant DRAW_METHOD naming the random method",
    ("registry.entry_ended", "reason"): "'appeal allowed' or 'appeal sanction substituted', built from the appeal outcome",
    ("case.anonymised", "reason"): "'retention' or 'erasure', set by the privacy services",
    ("complaint.held_as_spam", "reasons"): "sentences from spam_reasons(), fixed templates filled with configured numbers",
    ("conduct.version_loaded", "label"): "the version label from the code-of-conduct file",
    ("conduct.version_adopted", "label"): "the version label from the code-of-conduct file",
    ("conduct.version_adopted", "adopted_by"): "the adopting body named in the code-of-conduct file",
    ("conduct.version_adopted", "vote"): "the recorded vote from the code-of-conduct file",
    ("screening.recorded", "model_version"): "the engine and lexicon versions, built by model_version()",
}
# (action, payload key): typed free text still written into payloads by code outside this change.
OUTSTANDING = {
}


@dataclass(frozen=True)
class Site:
    path: str
    line: int
    actions: frozenset[str]
    cited: frozenset[str]  # payload keys whose value goes through stated_reason_create
    flagged: tuple[tuple[str, str], ...]  # (payload key, what the value comes from)
    opaque: bool  # the payload is not a dict literal


def _resolve_action(node: ast.expr | None, assigned: dict[str, list[ast.expr]], known: list[str]) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _resolve_action(node.body, assigned, known) | _resolve_action(node.orelse, assigned, known)
    if isinstance(node, ast.JoinedStr):
        pattern = "".join(re.escape(p.value) if isinstance(p, ast.Constant) else r"[a-z_]+" for p in node.values)
        return {a for a in known if re.fullmatch(pattern, a)}
    if isinstance(node, ast.Name):
        return set().union(*[_resolve_action(v, {}, known) for v in assigned.get(node.id, [])])
    return set()


def _sources(node: ast.expr) -> list[str]:
    """The names a payload value's text comes from; empty when it cannot be text (a length, a
    number, a date, an id) or is a constant."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Subscript):
        return _sources(node.value)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TEXT_METHODS:
            return _sources(func.value)
        if isinstance(func, ast.Name) and func.id == "str" and node.args:
            return _sources(node.args[0])
        return []
    if isinstance(node, ast.IfExp):
        return _sources(node.body) + _sources(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [s for v in node.values for s in _sources(v)]
    if isinstance(node, ast.JoinedStr):
        return [s for v in node.values if isinstance(v, ast.FormattedValue) for s in _sources(v.value)]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [s for e in node.elts for s in _sources(e)]
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _sources(node.elt)
    if isinstance(node, ast.Dict):
        return [s for v in node.values if v is not None for s in _sources(v)]
    return []


def _is_cite(node: ast.expr) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == CITE) or (isinstance(func, ast.Attribute) and func.attr == CITE)


def _writer(node: ast.Call) -> bool:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in WRITERS


def call_sites() -> list[Site]:
    known = list(registered_actions())
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
            if function.name in WRITERS:
                continue  # the writers themselves pass their argument on
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and _writer(node)):
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                payload = keywords.get("payload")
                cited: set[str] = set()
                flagged: list[tuple[str, str]] = []
                opaque = payload is not None and not isinstance(payload, ast.Dict) and not (
                    isinstance(payload, ast.Constant) and payload.value is None
                )
                if isinstance(payload, ast.Dict):
                    for key, value in zip(payload.keys, payload.values, strict=True):
                        label = key.value if isinstance(key, ast.Constant) else "**"
                        if _is_cite(value):
                            cited.add(str(label))
                            continue
                        for source in _sources(value):
                            if TEXT_NAME.search(source):
                                flagged.append((str(label), source))
                actions = frozenset(_resolve_action(keywords.get("action"), assigned, known))
                sites.append(Site(str(path.relative_to(PACKAGE.parent)), node.lineno, actions, frozenset(cited), tuple(flagged), opaque))
    return sites


def test_the_source_walk_finds_the_writers_it_should() -> None:
    """A guard that finds nothing passes vacuously; make sure it sees the known call sites."""
    sites = call_sites()
    actions = set().union(*[s.actions for s in sites])
    assert len(sites) > 60
    assert {"case.transitioned", "review.vetoed", "suggestion.rejected", "complaint.moved", "hearing.postponed"} <= actions
    assert any("reasons" in s.cited and "case.transitioned" in s.actions for s in sites)


def test_every_payload_value_that_reads_as_text_is_cited_not_written() -> None:
    problems, outstanding_seen = [], set()
    for site in call_sites():
        where = f"{site.path}:{site.line} ({', '.join(sorted(site.actions)) or 'action not resolved'})"
        if site.opaque:
            problems.append(f"{where}: the payload is not a dict literal, so it cannot be checked; write it out")
        if not site.actions and (site.flagged or site.cited):
            problems.append(f"{where}: name the action with a string literal, an f-string or a local variable holding one")
        for key, source in site.flagged:
            entries = {(action, key) for action in site.actions}
            if entries & set(FIXED_TEXT):
                continue
            if entries & set(OUTSTANDING):
                outstanding_seen |= entries & set(OUTSTANDING)
                continue
            problems.append(f"{where}: payload key {key!r} takes free text from {source!r}; store it with stated_reason_create")
    assert problems == []
    fixed = set(OUTSTANDING) - outstanding_seen
    assert not fixed, f"no longer written as free text, remove from OUTSTANDING: {sorted(fixed)}"


WORDS = re.compile(r"\S+\s+\S+\s+\S+")


def _strings(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (top-level payload key, string) in a payload, nested values included."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _strings(v, key or str(k))]
    if isinstance(value, list):
        return [pair for v in value for pair in _strings(v, key)]
    return []


def looks_like_prose(text: str) -> bool:
    return bool(WORDS.search(text)) or len(text) > 64


def test_the_prose_test_tells_codes_from_sentences() -> None:
    assert not looks_like_prose("no_further_action") and not looks_like_prose("FH-K7QX-M3TA") and not looks_like_prose("0" * 64)
    assert not looks_like_prose("2026-03-02T10:00:00.000000+00:00") and not looks_like_prose("Executive committee")
    assert looks_like_prose("Not within the code.") and looks_like_prose("x" * 65)


@pytest.mark.django_db
def test_no_event_written_with_naming_text_holds_the_name_or_any_prose(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.privacy.tests.named_reasons import NAME, build

    build(personas)
    problems, seen_cited = [], set()
    for event in AuditEvent.objects.all():
        payload = json.loads(event.payload)
        if NAME in event.payload:
            problems.append(f"#{event.seq} {event.action}: the payload holds the name")
        for key, value in payload.items() if isinstance(payload, dict) else []:
            if is_reference(value):
                seen_cited.add((event.action, key))
        for key, text in _strings(payload):
            fixed = (event.action, key) in FIXED_TEXT or (event.action, key) in OUTSTANDING
            if looks_like_prose(text) and not fixed:
                problems.append(f"#{event.seq} {event.action}: {key!r} holds prose: {text[:80]!r}")
    assert problems == [], "\n".join(problems)
    missing = [
        f"{site.path}:{site.line} {sorted(site.actions)} {key!r}"
        for site in call_sites()
        for key in site.cited
        if not any((action, key) in seen_cited for action in site.actions)
    ]
    assert missing == [], "the scenario in privacy/tests/named_reasons.py does not exercise these cited texts"
    assert set(registered_actions()) >= {action for action, _ in seen_cited}
