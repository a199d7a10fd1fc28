"""Measuring screening on an annotated CSV: ``fairhearing screening evaluate FILE.csv``.

Label 1 is the positive class. Figures: precision, recall and F1 for label 1, accuracy, the
share of texts flagged, and the same per subtype. ``held_out_only`` keeps only the rows of the
held-out split (dataset.py), which is how the figures in docs/screening.md are made: training
never sees those rows, so evaluating the shared training files in full would overstate quality.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fairhearing.screening.dataset import Row, is_held_out, read_rows
from fairhearing.screening.engine import Screener, default_screener


def _figures(pairs: list[tuple[int, bool]]) -> dict[str, Any]:
    tp = sum(1 for y, f in pairs if y and f)
    fp = sum(1 for y, f in pairs if not y and f)
    fn = sum(1 for y, f in pairs if y and not f)
    tn = len(pairs) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "rows": len(pairs), "positives": tp + fn, "flagged": tp + fp,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "accuracy": round((tp + tn) / len(pairs), 4) if pairs else 0.0,
        "flag_rate": round((tp + fp) / len(pairs), 4) if pairs else 0.0,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    }


def evaluate_rows(rows: list[Row], screener: Screener | None = None) -> dict[str, Any]:
    """Screen ``rows`` and return overall and per-subtype figures for label 1."""
    screener = default_screener() if screener is None else screener
    flags = [screener.screen(r.text).flag for r in rows]
    by_subtype: dict[str, list[tuple[int, bool]]] = {}
    for row, flag in zip(rows, flags):
        by_subtype.setdefault(row.subtype or "(none)", []).append((row.label, flag))
    return {
        **_figures([(r.label, f) for r, f in zip(rows, flags)]),
        "model": screener.model is not None,
        "subtypes": {name: _figures(pairs) for name, pairs in sorted(by_subtype.items())},
    }


def evaluate(csv_path: Path, held_out_only: bool = False,
             screener: Screener | None = None) -> dict[str, Any]:
    """Evaluate screening on ``csv_path``; see the module docstring. Raises DatasetError."""
    rows = [r for r in read_rows(csv_path) if not held_out_only or is_held_out(r.text)]
    return {"file": str(csv_path), "held_out_only": held_out_only,
            **evaluate_rows(rows, screener)}


def format_report(result: dict[str, Any]) -> str:
    """Render an evaluation as a plain-text table."""
    head = f"{'subset':<58} {'rows':>6} {'pos':>5} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'flag%':>6}"
    lines = [f"{result['file']}" + (" (held-out rows only)" if result["held_out_only"] else ""),
             "" if result["model"] else "WARNING: no model installed; lexicon only", head]

    def line(name: str, f: dict[str, Any]) -> str:
        return (f"{name[:58]:<58} {f['rows']:>6} {f['positives']:>5} {f['precision']:>6.3f} "
                f"{f['recall']:>6.3f} {f['f1']:>6.3f} {f['accuracy']:>6.3f} "
                f"{100 * f['flag_rate']:>5.1f}%")

    lines.append(line("all", result))
    lines.extend(line(name, figures) for name, figures in result["subtypes"].items())
    return "\n".join(x for x in lines if x != "")
