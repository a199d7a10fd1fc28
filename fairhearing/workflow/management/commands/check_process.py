"""``fairhearing check-process [FILE]``: check a process file before using it.

Prints every problem as ``LOCATION: MESSAGE`` and exits with status 1, or prints
``OK: <name> v<version>, N stages, M transitions``. FILE defaults to the configured
``FAIRHEARING_PROCESS`` (or the built-in default process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.workflow.process import DEFAULT_PROCESS_PATH, check_process_file, load_process


class Command(BaseCommand):
    help = "Check a process definition (TOML) and list every problem with its location."
    # The system checks include loading the configured process file; a broken file must not
    # stop the command meant to diagnose it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="process file to check (default: the configured FAIRHEARING_PROCESS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        configured = getattr(settings, "FAIRHEARING_PROCESS", None) or DEFAULT_PROCESS_PATH
        path = Path(options["file"] or configured)
        problems = check_process_file(path)
        for problem in problems:
            self.stdout.write(f"{problem.location}: {problem.message}")
        if problems:
            count = len(problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''} in {path}")
        process = load_process(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {process.name} v{process.version}, {len(process.stages)} stages, "
                f"{len(process.transitions)} transitions"
            )
        )
