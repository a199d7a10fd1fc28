"""``fairhearing screening train|evaluate``: build the screening model or measure it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairhearing.screening.dataset import default_data_dir
from fairhearing.screening.engine import reset_default_screener
from fairhearing.screening.evaluate import evaluate, format_report
from fairhearing.screening.model import MODEL_PATH


class Command(BaseCommand):
    help = "Train the screening model (train) or measure screening on an annotated CSV (evaluate)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train the model from the annotated data")
        train.add_argument("--data", type=Path, default=None,
                           help="directory of annotated CSV files (default: ../shared/data, "
                                "or $FAIRHEARING_SCREENING_DATA)")
        train.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
        train.add_argument("--seed", type=int, default=0)
        train.add_argument("--if-missing", action="store_true",
                           help="do nothing when the model file already exists")
        ev = sub.add_parser("evaluate", help="precision, recall and F1 on an annotated CSV")
        ev.add_argument("csv", type=Path)
        ev.add_argument("--held-out", action="store_true",
                        help="only the rows of the held-out split (never used in training)")
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "train":
                self._train(options)
            else:
                self._evaluate(options)
        except ValueError as exc:  # DatasetError, ModelFileError and bad training data
            raise CommandError(str(exc)) from exc

    def _train(self, options: dict[str, Any]) -> None:
        from fairhearing.screening.train import train

        if options["if_missing"] and options["out"].exists():
            self.stdout.write(f"{options['out']} exists; not retraining (drop --if-missing to)")
            return
        data = options["data"] or default_data_dir()
        summary = train(data, options["out"], seed=options["seed"])
        reset_default_screener()
        self.stdout.write(json.dumps(summary, indent=2, sort_keys=True))

    def _evaluate(self, options: dict[str, Any]) -> None:
        result = evaluate(options["csv"], held_out_only=options["held_out"])
        self.stdout.write(json.dumps(result, indent=2) if options["json"] else format_report(result))
