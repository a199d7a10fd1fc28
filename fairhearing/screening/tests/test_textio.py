"""Reading input lines for the screen command."""

from __future__ import annotations

import json

import pytest

from fairhearing.screening import screen
from fairhearing.screening.textio import InputError, format_jsonl, format_table_row, read_items


def test_it_reads_plain_lines_and_json_lines_skipping_blanks() -> None:
    items = list(read_items(["plain text\n", "\n", '{"id": 7, "text": "json text"}\n']))
    assert [(i.line, i.text, i.extra) for i in items] == [
        (1, "plain text", {}), (3, "json text", {"id": 7})]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not valid JSON"),
        ('{"id": 1}', 'line 1: a JSON line needs a string field "text"'),
        ('{"text": 5}', 'line 1: a JSON line needs a string field "text"'),
    ],
)
def test_it_names_the_bad_line_and_the_fix(line: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(read_items([line]))


def test_a_jsonl_result_echoes_the_input_fields() -> None:
    [item] = read_items(['{"id": "c-1", "text": "Jews are vermin"}'])
    record = json.loads(format_jsonl(item, screen(item.text)))
    assert record["id"] == "c-1" and record["flag"] is True
    assert {"score", "flag", "examples", "framing"} <= set(record)


def test_a_table_row_shows_the_flag_and_clauses() -> None:
    [item] = read_items(["Jews are vermin"])
    row = format_table_row(item, screen(item.text))
    assert "YES" in row and "AS-2" in row
