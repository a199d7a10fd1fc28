"""Statistics as downloads (JSON and CSV) and as bar charts (SVG), from one ``Report``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from fairhearing.reports.statistics import Report, Table

FORMATS = ("json", "csv")


def parse_period(raw_from: str, raw_to: str) -> tuple[date, date]:
    """Read ``--from``/``--to`` style dates, with an error that says which one is wrong."""
    parsed = []
    for name, raw in (("from", raw_from), ("to", raw_to)):
        try:
            parsed.append(date.fromisoformat(raw.strip()))
        except ValueError:
            raise ValueError(f"'{name}' date {raw!r} is not a date like 2026-03-31") from None
    if parsed[1] < parsed[0]:
        raise ValueError(f"the period ends ({parsed[1]}) before it starts ({parsed[0]})")
    return parsed[0], parsed[1]


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    """One long table: table, row, column, value; then the stage times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in report.tables:
        for label, row in zip(table.row_labels, table.cells, strict=True):
            for column, value in zip(table.col_labels, row, strict=True):
                writer.writerow([table.key, label, column, value])
    for row in report.measures.get("stage_times", []):
        for measure in ("stays", "median", "p90", "deadlines_met"):
            writer.writerow(["stage_times", row["label"], measure, "" if row[measure] is None else row[measure]])
    writer.writerow(["members", "active members", "count", report.measures.get("members")])
    per = report.measures.get("complaints_per_1000_members")
    writer.writerow(["members", "complaints per 1,000 members", "rate", "" if per is None else per])
    return out.getvalue()


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | str
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class Chart:
    """Drawing instructions for a horizontal bar chart; a suppressed bar is drawn empty with its
    label, so the chart never shows what the table hides."""

    title: str
    height: int
    bars: list[Bar]


BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH = 22, 8, 240, 300


def chart_for(table: Table) -> Chart:
    """A chart of a table's first column (its totals column for a cross-tabulation)."""
    column = len(table.col_labels) - 1
    inner = len(table.row_labels) - (1 if table.row_labels[-1] == "Total" and len(table.row_labels) > 1 else 0)
    rows = list(zip(table.row_labels[:inner], (r[column] for r in table.cells[:inner]), strict=True))
    numbers = [v for _, v in rows if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    bars = []
    for k, (label, value) in enumerate(rows):
        width = int(PLOT_WIDTH * value / top) if isinstance(value, int) else 0
        bars.append(Bar(label=label, value=value, y=k * (BAR_HEIGHT + GAP), width=width, text_x=LABEL_WIDTH + width + 6))
    return Chart(title=table.title, height=max(1, len(rows)) * (BAR_HEIGHT + GAP), bars=bars)
