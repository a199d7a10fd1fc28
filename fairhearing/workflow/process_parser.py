"""Turn the parsed TOML of a process file into a ``Process``, collecting every problem.

The parser never stops at the first problem: each table and key is checked on its own, and
cross-references (stages named by transitions and pauses) are checked against the stages that
were readable, so a typo is reported where it is, with as few knock-on problems as possible.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from fairhearing.workflow.process_graph import check_graph, unknown_choice
from fairhearing.workflow.process_types import (
    KNOWN_GUARDS,
    KNOWN_REQUIREMENTS,
    KNOWN_ROLES,
    Pause,
    Problem,
    Process,
    Stage,
    Transition,
)

# Keys are stored on cases and in the audit log, so they stay short, lower-case identifiers.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KEY_RULE = "a lower-case identifier: a letter, then letters, digits or _, at most 40 characters"

_TOML_TYPES = {
    str: "a string",
    int: "an integer",
    float: "a float",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}
_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")

Checker = Callable[[Any], str | None]


class Reader:
    """Collects problems for one source file while reading its tables."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._found: list[tuple[tuple[int, int], Problem]] = []

    def add(self, where: str, message: str) -> None:
        location = f"{self.source}: {where}" if where else self.source
        self._found.append((_file_order(where), Problem(location=location, message=message)))

    @property
    def problems(self) -> list[Problem]:
        """Problems in the order of the file: [process], then stages, transitions, pauses,
        each by position; problems at the same place keep the order they were found in."""
        return [problem for _, problem in sorted(self._found, key=lambda item: item[0])]

    def table(
        self, data: Any, where: str, spec: dict[str, tuple[bool, Checker, Any]]
    ) -> dict[str, Any]:
        """Check ``data`` against ``spec`` (key -> (required, checker, default)).

        Return the values that passed, defaults filled in; report missing, unknown and
        ill-typed keys. A checker returns ``None`` when the value is fine, else the message.
        """
        values: dict[str, Any] = {}
        if not isinstance(data, dict):
            self.add(where, f"must be a table, got {_describe(data)}")
            return values
        for key in data:
            if key not in spec:
                self.add(f"{where}.{key}", _unknown_key(key, spec))
        for key, (required, check, default) in spec.items():
            if key not in data:
                if required:
                    self.add(f"{where}.{key}", f"missing required key {key!r}")
                else:
                    values[key] = default
                continue
            message = check(data[key])
            if message is None:
                values[key] = data[key]
            else:
                self.add(f"{where}.{key}", message)
        return values


# -- value checkers ----------------------------------------------------------------------------


def is_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {_describe(value)}"
    if not value.strip():
        return "must not be empty"
    return None


def is_optional_text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, got {_describe(value)}"


def is_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {_describe(value)}"
    if not KEY_PATTERN.match(value):
        return f"{value!r} is not a valid key: use {KEY_RULE}"
    return None


def is_flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {_describe(value)}"


def whole(minimum: int, unit: str = "") -> Checker:
    """Checker for an integer of at least ``minimum`` (TOML booleans are not integers here)."""
    of_unit = f" of {unit}" if unit else ""
    unit_word = f" {unit}" if unit else ""

    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number{of_unit}, {minimum} or more; got {_describe(value)}"
        if value < minimum:
            return f"must be {minimum} or more{unit_word}, got {value}"
        return None

    return check


def is_factor(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number greater than 0 and at most 1, got {_describe(value)}"
    if not 0 < value <= 1:
        return (
            f"must be greater than 0 and at most 1 (0.5 runs a fast-tracked case at half the "
            f"timetable), got {value}"
        )
    return None


def is_guard(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {_describe(value)}"
    if value not in KNOWN_GUARDS:
        return unknown_choice("guard", value, KNOWN_GUARDS)
    return None


def list_of(item: Checker, *, allow_empty: bool = True, allow_string: bool = False) -> Checker:
    """Checker for an array whose items each pass ``item`` and appear once."""

    def check(value: Any) -> str | None:
        if allow_string and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return f"must be an array, got {_describe(value)}"
        if not value and not allow_empty:
            return "must list at least one value"
        messages = []
        for position, element in enumerate(value, start=1):
            message = item(element)
            if message is not None:
                messages.append(f"item {position}: {message}")
        seen: set[Any] = set()
        for element in value:
            if isinstance(element, str) and element in seen:
                messages.append(f"{element!r} is listed twice")
            seen.add(element if isinstance(element, str) else id(element))
        return "; ".join(messages) or None

    return check


def one_of(kind: str, known: tuple[str, ...]) -> Checker:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, got {_describe(value)}"
        return None if value in known else unknown_choice(kind, value, known)

    return check


# -- table specs -------------------------------------------------------------------------------

PROCESS_SPEC: dict[str, tuple[bool, Checker, Any]] = {
    "name": (True, is_key, None),
    "version": (True, whole(1), None),
    "description": (False, is_optional_text, ""),
    "initial_stage": (True, is_key, None),
    "fast_track_factor": (True, is_factor, None),
    "update_interval_days": (True, whole(1, "working days"), None),
    "acknowledge_within_days": (True, whole(0, "working days"), None),
    "respondent_reply_days": (True, whole(1, "working days"), None),
    "review_categories": (True, list_of(is_key), None),
    "escalation_roles": (
        True,
        list_of(one_of("role", KNOWN_ROLES), allow_empty=False),
        None,
    ),
}
STAGE_SPEC: dict[str, tuple[bool, Checker, Any]] = {
    "key": (True, is_key, None),
    "label": (True, is_text, None),
    "public_label": (False, is_text, None),
    "description": (False, is_optional_text, ""),
    "days": (True, whole(0, "working days"), None),
    "terminal": (False, is_flag, False),
    "notifies_respondent": (False, is_flag, False),
}
TRANSITION_SPEC: dict[str, tuple[bool, Checker, Any]] = {
    "key": (True, is_key, None),
    "label": (True, is_text, None),
    "from": (True, list_of(is_key, allow_empty=False, allow_string=True), None),
    "to": (True, is_key, None),
    "roles": (True, list_of(one_of("role", KNOWN_ROLES), allow_empty=False), None),
    "requires": (False, list_of(one_of("required field", KNOWN_REQUIREMENTS)), []),
    "outcomes": (False, list_of(is_key), []),
    "guard": (False, is_guard, None),
}
PAUSE_SPEC: dict[str, tuple[bool, Checker, Any]] = {
    "key": (True, is_key, None),
    "label": (True, is_text, None),
    "max_days": (True, whole(1, "working days"), None),
    "stages": (True, list_of(is_key, allow_empty=False), None),
}
TOP_LEVEL = ("process", "stages", "transitions", "pauses")


# -- entry point -------------------------------------------------------------------------------


def parse_text(text: str, source: str) -> tuple[Process | None, list[Problem]]:
    """Parse and validate TOML ``text``; ``source`` names it in problem locations.

    Return the process and no problems, or ``None`` and every problem found.
    """
    reader = Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reader.add(*_syntax_problem(error))
        return None, reader.problems

    for key in data:
        if key not in TOP_LEVEL:
            reader.add(key, unknown_choice("top-level key", key, TOP_LEVEL))
    header: dict[str, Any] = {}
    if "process" in data:
        header = reader.table(data["process"], "process", PROCESS_SPEC)
    else:
        reader.add("process", "missing the [process] table (name, version, initial_stage, ...)")
    stages = _read_list(reader, data, "stages", "stage", STAGE_SPEC, required=True)
    transitions = _read_list(reader, data, "transitions", "transition", TRANSITION_SPEC, True)
    pauses = _read_list(reader, data, "pauses", "pause", PAUSE_SPEC, required=False)

    check_graph(reader, header, stages, transitions, pauses)
    if reader.problems:
        return None, reader.problems
    return _build(header, stages, transitions, pauses), []


def _read_list(
    reader: Reader,
    data: dict[str, Any],
    name: str,
    noun: str,
    spec: dict[str, tuple[bool, Checker, Any]],
    required: bool,
) -> list[tuple[str, dict[str, Any]]]:
    """Read an array of tables; return (location, values) per item, duplicates reported."""
    raw = data.get(name)
    if raw is None:
        if required:
            reader.add(name, f"missing: add at least one [[{name}]] table")
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        reader.add(name, f"must be an array of tables written as [[{name}]], got {_describe(raw)}")
        return []
    if not raw and required:
        reader.add(name, f"must contain at least one {noun}")
    items: list[tuple[str, dict[str, Any]]] = []
    first_seen: dict[str, str] = {}
    for position, item in enumerate(raw, start=1):
        key = item.get("key")
        where = f"{name}[{position}] {key!r}" if isinstance(key, str) else f"{name}[{position}]"
        values = reader.table(item, where, spec)
        if "key" in values:
            if values["key"] in first_seen:
                reader.add(
                    f"{where}.key",
                    f"duplicate {noun} key {values['key']!r} (first used by "
                    f"{first_seen[values['key']]}): give each {noun} its own key",
                )
                continue
            first_seen[values["key"]] = f"{name}[{position}]"
        items.append((where, values))
    return items


def _build(
    header: dict[str, Any],
    stages: list[tuple[str, dict[str, Any]]],
    transitions: list[tuple[str, dict[str, Any]]],
    pauses: list[tuple[str, dict[str, Any]]],
) -> Process:
    stage_map = {
        v["key"]: Stage(
            key=v["key"],
            label=v["label"],
            public_label=v["public_label"] or v["label"],
            description=v["description"],
            days=v["days"],
            terminal=v["terminal"],
            notifies_respondent=v["notifies_respondent"],
        )
        for _, v in stages
    }
    transition_map = {
        v["key"]: Transition(
            key=v["key"],
            label=v["label"],
            sources=tuple([v["from"]] if isinstance(v["from"], str) else v["from"]),
            target=v["to"],
            roles=tuple(v["roles"]),
            requires=frozenset(v["requires"]),
            outcomes=tuple(v["outcomes"]),
            guard=v["guard"],
        )
        for _, v in transitions
    }
    pause_map = {
        v["key"]: Pause(
            key=v["key"], label=v["label"], max_days=v["max_days"], stages=tuple(v["stages"])
        )
        for _, v in pauses
    }
    return Process(
        name=header["name"],
        version=header["version"],
        description=header["description"],
        initial_stage=header["initial_stage"],
        fast_track_factor=float(header["fast_track_factor"]),
        update_interval_days=header["update_interval_days"],
        acknowledge_within_days=header["acknowledge_within_days"],
        respondent_reply_days=header["respondent_reply_days"],
        stages=MappingProxyType(stage_map),
        transitions=MappingProxyType(transition_map),
        pauses=MappingProxyType(pause_map),
        review_categories=tuple(header["review_categories"]),
        escalation_roles=tuple(header["escalation_roles"]),
    )


# -- messages ----------------------------------------------------------------------------------


def _syntax_problem(error: tomllib.TOMLDecodeError) -> tuple[str, str]:
    text = str(error)
    found = _SYNTAX_POSITION.search(text)
    if found is None:
        return "", f"TOML syntax error: {text}"
    line, column = found.groups()
    return f"line {line}, column {column}", f"TOML syntax error: {text[: found.start()]}"


_SECTION = re.compile(r"^(\w+)(?:\[(\d+)\])?")


def _file_order(where: str) -> tuple[int, int]:
    found = _SECTION.match(where)
    if found is None:
        return (0, 0)
    section, position = found.groups()
    rank = TOP_LEVEL.index(section) + 1 if section in TOP_LEVEL else len(TOP_LEVEL) + 1
    return (rank, int(position or 0))


def _describe(value: Any) -> str:
    kind = _TOML_TYPES.get(type(value), f"a {type(value).__name__}")
    if isinstance(value, dict | list):
        return kind
    return f"{kind} ({value!r})"


def _unknown_key(key: str, spec: dict[str, Any]) -> str:
    return unknown_choice("key", key, list(spec))
