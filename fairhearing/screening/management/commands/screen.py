"""``fairhearing screen [FILE|-] [--format jsonl|table]``: screen texts from a file or stdin."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.screening.engine import default_screener
from fairhearing.screening.model import ModelFileError
from fairhearing.screening.textio import (
    FORMATS,
    TABLE_HEADER,
    InputError,
    format_jsonl,
    format_table_row,
    read_items,
)


class Command(BaseCommand):
    help = ("Screen texts, one per line (or JSON lines with a 'text' field), and write one "
            "result per input with score, flag, framing and suggested clauses.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="input file, or - for stdin")
        parser.add_argument("--format", choices=FORMATS, default="jsonl")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror}); pass an existing file "
                               "or - for standard input") from exc
        try:
            screener = default_screener()
        except ModelFileError as exc:
            raise CommandError(str(exc)) from exc
        table = options["format"] == "table"
        if table:
            self.stdout.write(TABLE_HEADER)
        try:
            for item in read_items(handle):
                result = screener.screen(item.text)
                self.stdout.write(format_table_row(item, result) if table
                                  else format_jsonl(item, result))
        except InputError as exc:
            raise CommandError(f"{path}, {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
        finally:
            if handle is not sys.stdin:
                handle.close()
