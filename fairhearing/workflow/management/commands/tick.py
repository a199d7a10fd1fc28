from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fairhearing.workflow.services import tick_run


class Command(BaseCommand):
    help = "Run the periodic work once: breached deadlines, escalations, progress updates, pause limits, retries. Safe to run concurrently."

    def handle(self, *args: Any, **options: Any) -> None:
        report = tick_run()
        self.stdout.write(
            f"breached: {len(report.breached)}, updates: {len(report.updates)}, "
            f"pauses ended: {len(report.resumed)}, messages re-queued: {report.requeued}"
        )
        for name, result in report.hooks.items():
            self.stdout.write(f"{name}: {result}")
