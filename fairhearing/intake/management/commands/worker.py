"""``fairhearing worker``: run background tasks (outgoing mail and other queued work).

One command for every task backend, so a service file or a container need not know which is
configured:

- ``database`` (the embedded default): django-tasks-db's ``db_worker``, polling the task table;
- ``rq`` (production, several machines): an RQ worker on Redis through django-rq's ``rqworker``;
  start as many as needed, on as many machines as needed;
- ``immediate``: tasks run inside the request that queues them, so there is nothing to run.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_QUEUES = "default,email"
DATABASE = "django_tasks_db.DatabaseBackend"
RQ = "django_tasks_rq.RQBackend"
# The job class that turns an RQ job back into a django-tasks task (also set as RQ["JOB_CLASS"]).
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


class Command(BaseCommand):
    help = "Run the background task worker for the queues 'default' and 'email', for the configured task backend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default=DEFAULT_QUEUES, help="Comma-separated queues (default: %(default)s)")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle (database backend only; default: 1)")
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks")
        parser.add_argument("--name", default=None, help="A name for this worker in Redis (rq backend only; default: host and process id)")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        queues = [name.strip() for name in options["queues"].split(",") if name.strip()]
        known = settings.TASKS["default"].get("QUEUES", [])
        unknown = [name for name in queues if name not in known]
        if not queues or unknown:
            raise CommandError(
                f"--queues {options['queues']!r} names {'no queue' if not queues else 'unknown queues: ' + ', '.join(unknown)}. "
                f"Choose from: {', '.join(known)}."
            )
        if backend == DATABASE:
            self._database(queues, options)
        elif backend == RQ:
            self._rq(queues, options)
        else:
            raise CommandError(
                f"The task backend is {backend}, which runs each task inside the request that queues it, "
                "so there is no worker to start. Set FAIRHEARING_TASK_BACKEND=database or rq to queue tasks."
            )

    def _database(self, queues: list[str], options: dict[str, Any]) -> None:
        kwargs: dict[str, Any] = {"queue_name": ",".join(queues), "interval": options["interval"], "reload": False}
        if options["batch"]:
            kwargs["batch"] = True
        if options["max_tasks"] is not None:
            kwargs["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **kwargs)

    def _rq(self, queues: list[str], options: dict[str, Any]) -> None:
        import django_rq
        from redis.exceptions import RedisError

        try:
            django_rq.get_connection(queues[0]).ping()
        except RedisError as error:
            raise CommandError(f"Cannot reach Redis at REDIS_URL ({error}). Start Redis or correct REDIS_URL.") from None
        kwargs: dict[str, Any] = {"job_class": RQ_JOB_CLASS, "burst": options["batch"], "verbosity": options["verbosity"]}
        if options["max_tasks"] is not None:
            kwargs["max_jobs"] = options["max_tasks"]
        if options["name"]:
            kwargs["name"] = options["name"]
        call_command("rqworker", *queues, **kwargs)
