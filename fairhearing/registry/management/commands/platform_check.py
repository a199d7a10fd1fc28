"""``fairhearing platform-check FILE``: check a speaker list (one per line: name, then optionally a
comma and a membership number) against the sanctions in force. Prints one line per name:
verdict, score, name. Never prints why."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError


class Command(BaseCommand):
    help = "Check a list of speakers against the sanctions registry: match, possible match or no match."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A text or CSV file, one speaker per line; '-' reads standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        from fairhearing.registry.matching import parse_speaker_lines
        from fairhearing.registry.services import platform_check

        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"could not read {path}: {error}") from None
        items, errors = parse_speaker_lines(text)
        if errors:
            raise CommandError("the list was not checked:\n" + "\n".join(errors))
        try:
            results = platform_check(actor=system_actor(f"cli:{getpass.getuser()}"), items=items)
        except DomainError as error:
            raise CommandError(error.message) from None
        for result in results:
            number = f" ({result.membership_number})" if result.membership_number else ""
            self.stdout.write(f"{result.verdict}\t{result.score:.0f}\t{result.query}{number}")
        matches = sum(1 for r in results if str(r.verdict) != "no_match")
        self.stdout.write(f"{len(results)} checked; {matches} match or possible match.")
