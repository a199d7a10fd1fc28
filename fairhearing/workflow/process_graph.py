"""Cross-reference and graph checks for a process file, run after each table was read.

Every case must be able to move from the initial stage to a close: no stage named anywhere may
be missing, no stage may be unreachable, and no open stage may be a dead end.
"""

from __future__ import annotations

from collections import deque
from difflib import get_close_matches
from typing import Any, Protocol

Items = list[tuple[str, dict[str, Any]]]


class Reader(Protocol):
    """Where problems go: ``where`` is the location inside the file."""

    def add(self, where: str, message: str) -> None: ...


def unknown_choice(kind: str, value: str, known: tuple[str, ...] | list[str]) -> str:
    """Message for a value outside a vocabulary, with the closest known value if any."""
    message = f"unknown {kind} {value!r}"
    close = get_close_matches(value, list(known), n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return f"{message}; known: {', '.join(known)}"


def check_graph(
    reader: Reader, header: dict[str, Any], stages: Items, transitions: Items, pauses: Items
) -> None:
    """Report problems that involve more than one table to ``reader``."""
    where_stage = {values["key"]: where for where, values in stages if "key" in values}
    terminal = {key for _, v in stages if (key := v.get("key")) and v.get("terminal")}
    # Stages whose terminal flag was unreadable (already reported): judging them, or whether
    # others can reach a close, would only repeat that problem in other words.
    unsure = {key for _, v in stages if (key := v.get("key")) and "terminal" not in v}

    for where, values in stages:
        if values.get("terminal") and values.get("days", 0) != 0:
            reader.add(
                f"{where}.days",
                "a terminal stage has no clock: set days = 0 (or terminal = false)",
            )
    if stages and not terminal and not unsure:
        reader.add("stages", "no stage is terminal: mark the closing stage with terminal = true")

    initial = header.get("initial_stage")
    if initial is not None and where_stage and initial not in where_stage:
        reader.add("process.initial_stage", _unknown_stage(initial, where_stage))
        initial = None
    elif initial in terminal:
        reader.add("process.initial_stage", f"the initial stage {initial!r} cannot be terminal")

    edges: dict[str, set[str]] = {key: set() for key in where_stage}
    # Stages left by a transition whose target is unknown or unreadable (already reported):
    # they are given the benefit of the doubt below rather than called dead ends.
    broken: set[str] = set()
    for where, values in transitions:
        if not _check_transition(reader, where, values, where_stage, edges):
            sources = values.get("from", [])
            broken.update([sources] if isinstance(sources, str) else sources)
    for where, values in pauses:
        for stage in values.get("stages", []):
            if stage not in where_stage:
                reader.add(f"{where}.stages", _unknown_stage(stage, where_stage))
            elif stage in terminal:
                reader.add(
                    f"{where}.stages",
                    f"{stage!r} is a terminal stage, which has no clock to pause: remove it",
                )

    if header.get("review_categories") and not any(
        values.get("guard") == "review_required" for _, values in transitions
    ):
        reader.add(
            "process.review_categories",
            'review categories are set but no transition has guard = "review_required", so no '
            "case would ever be reviewed: add that transition or empty the list",
        )

    if initial is not None and where_stage:
        reached = _reachable(initial, edges)
        for key, where in where_stage.items():
            if key not in reached:
                reader.add(
                    where,
                    f"unreachable: no chain of transitions leads here from the initial stage "
                    f"{initial!r}; add a transition with to = {key!r} or remove the stage",
                )
    closing = _can_reach(terminal | broken, edges)
    for key, where in where_stage.items():
        if key in terminal or key in unsure or key in broken:
            continue
        if not edges[key]:
            reader.add(
                where,
                f"dead end: stage {key!r} is not terminal but no transition leaves it; add a "
                f"transition with from = {key!r} or mark it terminal = true",
            )
        elif terminal and not unsure and key not in closing:
            reader.add(
                where,
                f"stage {key!r} can never reach a terminal stage "
                f"({', '.join(sorted(terminal))}): no chain of transitions from it closes the "
                "case; add a transition towards a terminal stage",
            )


def _check_transition(
    reader: Reader,
    where: str,
    values: dict[str, Any],
    where_stage: dict[str, str],
    edges: dict[str, set[str]],
) -> bool:
    """Check one transition's references; add its edges; False when its target is unusable."""
    sources = values.get("from", [])
    sources = [sources] if isinstance(sources, str) else sources
    target = values.get("to")
    for source in sources:
        if source not in where_stage:
            reader.add(f"{where}.from", _unknown_stage(source, where_stage))
    usable = isinstance(target, str) and target in where_stage
    if isinstance(target, str) and not usable:
        reader.add(f"{where}.to", _unknown_stage(target, where_stage))
    elif isinstance(target, str):
        for source in sources:
            if source in edges:
                edges[source].add(target)

    if "requires" in values and "outcomes" in values:
        requires_outcome = "outcome" in values["requires"]
        if requires_outcome and not values["outcomes"]:
            reader.add(
                f"{where}.outcomes",
                'requires includes "outcome" but no outcomes are listed: add '
                "outcomes = [...] with the allowed values",
            )
        elif values["outcomes"] and not requires_outcome:
            reader.add(
                f"{where}.outcomes",
                'outcomes are listed but requires does not include "outcome": add it to '
                "requires or remove outcomes",
            )
    return usable


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _can_reach(targets: set[str], edges: dict[str, set[str]]) -> set[str]:
    """Stages from which some stage in ``targets`` is reachable (targets included)."""
    backwards: dict[str, set[str]] = {key: set() for key in edges}
    for source, ends in edges.items():
        for end in ends:
            backwards.setdefault(end, set()).add(source)
    found = set(targets)
    queue = deque(targets)
    while queue:
        for source in backwards.get(queue.popleft(), ()):
            if source not in found:
                found.add(source)
                queue.append(source)
    return found


def _unknown_stage(key: str, where_stage: dict[str, str]) -> str:
    return unknown_choice("stage", key, list(where_stage)).replace("; known:", "; stages are:")
