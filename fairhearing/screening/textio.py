"""Reading texts to screen and writing the results: the logic behind ``fairhearing screen``.

Input is one text per line, or JSON lines with a ``text`` field (a line that starts with ``{``
is read as JSON). Other JSON fields such as ``id`` are copied to the output, so results can be
matched to their inputs. Empty lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fairhearing.screening.result import ScreeningResult

FORMATS = ("jsonl", "table")


class InputError(ValueError):
    """A line of input is unusable; the message names the line and the fix."""


@dataclass(frozen=True, slots=True)
class Item:
    """One text to screen, with the fields to echo back (``line`` is 1-based)."""

    line: int
    text: str
    extra: dict[str, Any]


def read_items(lines: Iterable[str]) -> Iterator[Item]:
    """Yield one :class:`Item` per non-empty line; raise :class:`InputError` on a bad line."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            yield Item(number, line, {})
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno}); "
                             "write one JSON object per line, or plain text that does not start "
                             "with '{'") from exc
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InputError(f"line {number}: a JSON line needs a string field \"text\", "
                             'e.g. {"id": "1", "text": "..."}')
        extra = {k: v for k, v in data.items() if k != "text"}
        yield Item(number, data["text"], extra)


def result_record(item: Item, result: ScreeningResult) -> dict[str, Any]:
    """The output object for one input: echoed fields, then every result field."""
    return {**item.extra, **result.to_dict()}


def format_jsonl(item: Item, result: ScreeningResult) -> str:
    """One JSON line for one result."""
    return json.dumps(result_record(item, result), ensure_ascii=False)


TABLE_HEADER = f"{'line':>5}  {'score':>5}  {'flag':<4}  {'framing':<9}  {'clauses':<24}  text"


def format_table_row(item: Item, result: ScreeningResult, width: int = 60) -> str:
    """One fixed-width row for a human reader."""
    clauses = ",".join(s.clause for s in result.examples) or "-"
    text = " ".join(item.text.split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return (f"{item.line:>5}  {result.score:>5.2f}  {'YES' if result.flag else 'no':<4}  "
            f"{result.framing:<9}  {clauses[:24]:<24}  {text}")
