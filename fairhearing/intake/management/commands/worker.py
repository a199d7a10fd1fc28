"""``fairhearing worker``: run background tasks (outgoing mail and other queued work).

A thin wrapper over django-tasks-db's ``db_worker`` with this project's queues as the default.
With the Redis backend, run ``rqworker default email`` instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_QUEUES = "default,email"


class Command(BaseCommand):
    help = "Run the background task worker for the queues 'default' and 'email' (database backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default=DEFAULT_QUEUES, help="Comma-separated queues (default: %(default)s)")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle (default: 1)")
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend != "django_tasks_db.DatabaseBackend":
            raise CommandError(
                f"The task backend is {backend}; this command runs the database backend's worker. "
                "Set FAIRHEARING_TASK_BACKEND=database, or with rq run the RQ worker for the queues default and email."
            )
        kwargs: dict[str, Any] = {"queue_name": options["queues"], "interval": options["interval"], "reload": False}
        if options["batch"]:
            kwargs["batch"] = True
        if options["max_tasks"] is not None:
            kwargs["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **kwargs)
