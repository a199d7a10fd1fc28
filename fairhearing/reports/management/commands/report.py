from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.core import clock
from fairhearing.reports.exports import FORMATS, parse_period, render
from fairhearing.reports.statistics import build_report, previous_quarter


class Command(BaseCommand):
    help = "Print the published statistics for a period (the last full quarter by default), small numbers suppressed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="First day, e.g. 2026-01-01")
        parser.add_argument("--to", dest="end", help="Last day, e.g. 2026-03-31")
        parser.add_argument("--format", default="json", help=f"One of: {', '.join(FORMATS)}")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] not in FORMATS:
            raise CommandError(f"--format {options['format']!r} is not known; use one of: {', '.join(FORMATS)}")
        if bool(options["start"]) != bool(options["end"]):
            raise CommandError("Give both --from and --to, or neither for the last full quarter.")
        try:
            start, end = parse_period(options["start"], options["end"]) if options["start"] else previous_quarter(clock.today())
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(render(build_report(start, end), options["format"]), ending="")
