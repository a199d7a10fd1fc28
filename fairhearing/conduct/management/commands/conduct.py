"""``fairhearing conduct load FILE [--draft]`` / ``fairhearing conduct list``.

``load`` checks a code-of-conduct file and stores it as a new version, adopted at once from the
file's [version] record unless ``--draft`` is given; every problem in the file is printed as
``LOCATION: MESSAGE`` and the command exits with status 1 without storing anything.
``list`` prints every code and its versions, with who adopted each and when it took effect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.conduct.codefile import CodeFileError
from fairhearing.conduct.selectors import codes_with_versions
from fairhearing.conduct.services import code_version_load
from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError


class Command(BaseCommand):
    help = "Load a code of conduct version from a TOML file, or list the codes and versions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{load,list}")
        load = sub.add_parser("load", help="check a code file and store it as a new version")
        load.add_argument("file", help="the TOML file to load")
        load.add_argument("--draft", action="store_true", help="store it as a draft, to be adopted later")
        sub.add_parser("list", help="list every code and its versions")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self._load(Path(options["file"]), draft=options["draft"])
        else:
            self._list()

    def _load(self, path: Path, *, draft: bool) -> None:
        try:
            version = code_version_load(actor=system_actor("conduct-load"), path=path, adopt=not draft)
        except CodeFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''} in {path}; nothing was loaded.") from None
        except DomainError as error:
            raise CommandError(error.message) from None
        state = "draft" if draft else f"adopted by {version.adopted_by} on {version.adopted_on}, in force from {version.in_force_from}"
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {version.code.name} {version.label} ({version.clauses.count()} clauses), {state}; id {version.public_id}"
        ))

    def _list(self) -> None:
        rows = codes_with_versions()
        if not rows:
            self.stdout.write("No codes of conduct are loaded; run 'fairhearing conduct load FILE'.")
            return
        for code, versions in rows:
            self.stdout.write(f"{code.name} [{code.slug}]")
            for v in versions:
                if v.is_adopted:
                    vote = f", vote: {v.vote}" if v.vote else ""
                    detail = f"in force from {v.in_force_from}; adopted {v.adopted_on} by {v.adopted_by}{vote}"
                else:
                    detail = "draft"
                self.stdout.write(f"  {v.label}  {v.clauses.count()} clauses  {detail}  ({v.public_id})")
