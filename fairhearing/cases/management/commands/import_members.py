from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fairhearing.cases.services import MemberImportError, members_import
from fairhearing.core.actors import system_actor


class Command(BaseCommand):
    help = "Import members from a CSV file (membership_number,name[,email,branch,region,role,joined_on,status]); all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}. Give the path to a CSV file.")
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                header = [h.strip() for h in (reader.fieldnames or [])]
                reader.fieldnames = header
                result = members_import(actor=system_actor("import-members"), rows=list(reader), header=header)
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text. Save it as CSV (UTF-8) and try again.") from None
        except MemberImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{error.message} Nothing was imported; fix the rows above and run it again.") from None
        self.stdout.write(f"Imported: {result['created']} new, {result['updated']} updated.")
