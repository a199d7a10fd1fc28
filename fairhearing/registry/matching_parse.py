"""Read the list of speakers an organiser pastes or uploads.

One speaker per line, in any of these forms::

    Dame Jacqueline Smith
    Smith, Jacqueline
    Jacqueline Smith, 12345
    "Smith, Jacqueline",12345
    Jacqueline Smith<TAB>12345

A last comma-separated field holding a digit is the membership number; otherwise
the commas belong to the name ("Surname, Forename"). Blank lines, lines starting
with '#' and a "name,membership_number" header line are skipped.
"""

from __future__ import annotations

import csv
import re

from fairhearing.registry.matching_normalise import (
    MAX_NAME_LENGTH,
    InvalidNameError,
    normalise_name,
)

#: Most speakers one check accepts; a longer list is to be split.
MAX_SPEAKERS = 5000
MAX_MEMBERSHIP_NUMBER_LENGTH = 32

_MEMBERSHIP_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /-]*")
_HEADER_NAMES = {"name", "full name", "speaker", "speaker name"}
_HEADER_NUMBERS = {"membership_number", "membership number", "member number", "number", "membership"}


def _fields(line: str) -> list[str]:
    if "\t" in line:
        return [field.strip() for field in line.split("\t")]
    return [field.strip() for field in next(csv.reader([line], skipinitialspace=True))]


def _is_header(fields: list[str]) -> bool:
    lowered = [field.lower() for field in fields]
    if not lowered or lowered[0] not in _HEADER_NAMES:
        return False
    return len(lowered) == 1 or (len(lowered) == 2 and lowered[1] in _HEADER_NUMBERS)


def _split(fields: list[str]) -> tuple[str, str | None]:
    while len(fields) > 1 and not fields[-1]:
        fields = fields[:-1]
    if len(fields) > 1 and any(ch.isdigit() for ch in fields[-1]):
        return ", ".join(fields[:-1]).strip(), fields[-1]
    return ", ".join(fields).strip(), None


def _problem(name: str, number: str | None) -> str | None:
    if not name:
        return "the name is empty; write the speaker's name before the membership number"
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are allowed"
    if any(ch.isdigit() for ch in name):
        return (
            f"the name {name!r} contains digits; put a membership number after a comma, "
            "as in 'Jane Smith, 12345'"
        )
    try:
        normalise_name(name)
    except InvalidNameError as error:
        return str(error)
    if number is not None and (
        len(number) > MAX_MEMBERSHIP_NUMBER_LENGTH or not _MEMBERSHIP_NUMBER.fullmatch(number)
    ):
        return (
            f"the membership number {number!r} is not valid; use letters, digits, spaces, "
            f"'-' and '/' only, at most {MAX_MEMBERSHIP_NUMBER_LENGTH} characters"
        )
    return None


def parse_speaker_lines(text: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Split pasted text into (name, membership number or None) pairs.

    Returns ``(items, errors)``. Every line that cannot be used yields one error
    that starts with its line number ("line 4: ...") and says what to change;
    valid lines are returned even when others fail, so a page can show both.
    """
    if not isinstance(text, str):
        raise TypeError(f"the speaker list must be text, not {type(text).__name__}")
    items: list[tuple[str, str | None]] = []
    errors: list[str] = []
    seen_data = False
    for line_number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = _fields(stripped)
        if not seen_data and _is_header(fields):
            seen_data = True
            continue
        seen_data = True
        name, number = _split(fields)
        problem = _problem(name, number)
        if problem:
            errors.append(f"line {line_number}: {problem}")
            continue
        if len(items) == MAX_SPEAKERS:
            errors.append(
                f"line {line_number}: the list has more than {MAX_SPEAKERS} speakers; "
                "split it and check each part separately"
            )
            break
        items.append((name, number))
    return items, errors
