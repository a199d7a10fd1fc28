"""The ``fairhearing`` command: Django's management commands under one name.

Hyphens in a command name become underscores, so ``fairhearing check-process FILE`` runs the
``check_process`` command and ``fairhearing import-members FILE`` runs ``import_members``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
