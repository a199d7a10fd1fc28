"""The published statistics for a period: every complaint counted, small numbers suppressed.

Counts come from rows that retention never deletes or anonymises (complaint category, channel and
date; case stage and outcome; stage records) and from audit events (transitions and their
outcomes), so anonymising personal data leaves every figure unchanged.

Every count is taken in the database (GROUP BY), never by loading rows: at a million cases a
quarter holds hundreds of thousands of transitions, stays and complaints. The medians and
percentiles are computed here from per-value counts, so the figures are exactly those of the
plain definitions. See docs/performance.md for the plans.
"""

from __future__ import annotations

import json
import statistics as stats
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Case, Category, Channel, Complaint, Member, StageRecord
from fairhearing.core.routers import replica_reads
from fairhearing.reports.suppression import suppress

MIN_FOR_TIMES = 5
AGE_BANDS = ((0, 30, "Under 1 month"), (30, 91, "1 to 3 months"), (91, 182, "3 to 6 months"),
             (182, 365, "6 to 12 months"), (365, None, "Over 12 months"))
DECISION_TRANSITIONS = ("send_for_review", "determine")
TRIAGE_LABELS = {"out_of_scope": "Out of scope", "no_further_action": "No further action", "investigate": "Investigated"}


@dataclass
class Table:
    key: str
    title: str
    row_labels: list[str]
    col_labels: list[str]
    cells: list[list[int | str]]

    @property
    def labelled_rows(self) -> list[tuple[str, list[int | str]]]:
        return list(zip(self.row_labels, self.cells, strict=True))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": self.row_labels, "columns": self.col_labels, "cells": self.cells}


@dataclass
class Report:
    start: date
    end: date
    tables: list[Table] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "tables": [t.as_dict() for t in self.tables],
                "measures": self.measures}

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter containing ``day``, as an inclusive date range."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, next_start - timedelta(days=1)


def previous_quarter(day: date) -> tuple[date, date]:
    start, _ = quarter_of(day)
    return quarter_of(start - timedelta(days=1))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def _iso(dt: datetime) -> str:
    from datetime import UTC

    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _column(key: str, title: str, counter: Counter[str], labels: dict[str, str], heading: str = "Cases") -> Table:
    """A one-column table over a fixed list of rows (zeros kept, so the shape never reveals)."""
    keys = list(labels)
    extra = sorted(k for k in counter if k not in labels)
    keys += extra
    values = [[counter.get(k, 0)] for k in keys]
    shown = suppress(values).shown_grid()
    names = [labels.get(k, k.replace("_", " ").capitalize()) for k in keys]
    return Table(key, title, names + (["Total"] if len(keys) > 1 else []), [heading], shown)


def _transitions(start_iso: str, end_iso: str) -> Counter[tuple[str, str]]:
    """How many times each (transition, outcome) pair was taken in the period.

    The database counts identical payloads (GROUP BY the stored text, found through the partial
    index reports_transitions_time_idx) and each distinct payload is decoded once here: far
    fewer than the events, since they differ only by due date, clauses and reasons.
    """
    events = AuditEvent.objects.filter(action="case.transitioned", occurred_at__gte=start_iso, occurred_at__lt=end_iso)
    moves: Counter[tuple[str, str]] = Counter()
    for payload, n in events.order_by().values_list("payload").annotate(n=Count("*")):
        data = json.loads(payload)
        move = data if isinstance(data, dict) else {}
        moves[(move.get("transition", ""), move.get("outcome", ""))] += n
    return moves


def _summed(pairs: Any) -> list[tuple[Any, int]]:
    """Add up the counts of equal values."""
    totals: Counter[Any] = Counter()
    for value, n in pairs:
        totals[value] += n
    return list(totals.items())


def _counted(pairs: Any) -> list[int]:
    """Expand ``(value, count)`` pairs into the sorted list of values they stand for."""
    return [value for value, n in sorted(pairs) for _ in range(n)]


def _small(count: int) -> bool:
    return 0 < count < MIN_FOR_TIMES


def _share(part: int, whole: int) -> float | None:
    """A percentage, withheld when the part or the rest is a small number (1 to 4), since the
    number of stays is published beside it and the small count could be worked back."""
    if whole < MIN_FOR_TIMES or _small(part) or _small(whole - part):
        return None
    return round(100 * part / whole, 1)


def _percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 1)


def stage_times(start: date, end: date) -> list[dict[str, Any]]:
    """Per stage: stays that ended in the period, median and 90th percentile working days, share
    of deadlines met. Fewer than 5 stays show no figures (a single stay would be one person's)."""
    from fairhearing.workflow.config import get_process

    rows = []
    for stage in get_process().stages.values():
        if stage.terminal:
            continue
        records = StageRecord.objects.filter(stage=stage.key, left_on__gte=start, left_on__lte=end).order_by()
        counts = list(records.values_list("working_days", "met_deadline").annotate(n=Count("*")))
        days = _counted(_summed((d, n) for d, _, n in counts if d is not None))
        met = _counted(_summed((m, n) for _, m, n in counts if m is not None))
        row: dict[str, Any] = {"stage": stage.key, "label": stage.label, "target_days": stage.days}
        if len(days) < MIN_FOR_TIMES:
            row.update(stays="fewer than 5" if days else 0, median=None, p90=None, deadlines_met=None)
        else:
            row.update(stays=len(days), median=stats.median(days), p90=_percentile(days, 0.9),
                       deadlines_met=_share(sum(met), len(met)))
        rows.append(row)
    return rows


@replica_reads()
def build_report(start: date, end: date) -> Report:
    """Statistics for complaints and cases in ``[start, end]`` (dates inclusive). Read from the
    replica when DATABASE_REPLICA_URL sets one: the figures tolerate a few seconds' lag."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start}); give --from before --to")
    begin, finish = _bounds(start, end)
    report = Report(start=start, end=end)
    complaints = Complaint.objects.filter(received_at__gte=begin, received_at__lt=finish)
    grid = {(category, channel): n for category, channel, n in
            complaints.order_by().values_list("category", "channel").annotate(n=Count("*"))}
    cats, chans = list(Category.values), list(Channel.values)
    cells = [[grid.get((c, ch), 0) for ch in chans] for c in cats]
    report.tables.append(Table("received", "Complaints received, by category and channel",
                               [Category(c).label for c in cats] + ["Total"], [Channel(c).label for c in chans] + ["Total"],
                               suppress(cells).shown_grid()))

    moves = _transitions(_iso(begin), _iso(finish))
    triage: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    process_counts: Counter[str] = Counter()
    appeals: Counter[str] = Counter()
    review: Counter[str] = Counter()
    for (key, outcome), n in moves.items():
        if key == "close_at_triage":
            triage[outcome or "no_further_action"] += n
        elif key == "investigate":
            triage["investigate"] += n
        if key in DECISION_TRANSITIONS:
            decisions[outcome] += n
        if key == "refer_to_hearing" or (key in DECISION_TRANSITIONS and outcome == "referral_for_expulsion"):
            process_counts["referral"] += n
        if key == "record_hearing_outcome":
            process_counts["hearing"] += n
            decisions[outcome] += n
            if outcome == "expulsion":
                process_counts["expulsion"] += n
        if key == "lodge_appeal":
            appeals["lodged"] += n
        if key == "decide_appeal":
            appeals[outcome] += n
        if key in ("verify", "veto"):
            review[key] += n
    report.tables.append(_column("triage", "Triage outcomes", triage, TRIAGE_LABELS))
    report.tables.append(_column("decisions", "Decisions and sanctions, by outcome", decisions, {
        "no_case_to_answer": "No case to answer", "reminder_of_conduct": "Reminder of conduct",
        "formal_warning": "Formal warning", "suspension": "Suspension", "referral_for_expulsion": "Referral for expulsion",
        "expulsion": "Expulsion"}))
    report.tables.append(_column("referrals", "Referrals, hearings and expulsions", process_counts, {
        "referral": "Referred for an expulsion hearing", "hearing": "Hearings held", "expulsion": "Expulsions"}))
    report.tables.append(_column("appeals", "Appeals and their outcomes", appeals, {
        "lodged": "Lodged", "dismissed": "Dismissed", "allowed": "Allowed", "sanction_substituted": "Sanction substituted"}))
    report.tables.append(_column("review", "Independent review", review, {"verify": "Verified", "veto": "Vetoed"}))
    report.tables.append(_column("contacts", "Contacts about cases from outside the process", Counter({"contacts": _contacts(begin, finish)}),
                                 {"contacts": "Recorded in the external contact register"}, heading="Contacts"))
    report.tables.append(_interim_table(end))
    report.tables.append(_backlog_table(end, finish))
    report.measures["stage_times"] = stage_times(start, end)
    members = Member.objects.filter(status=Member.Status.ACTIVE).count()
    received = complaints.count()
    report.measures["members"] = members
    # With the member count published, a rate over fewer than 5 complaints would give the count away.
    report.measures["complaints_per_1000_members"] = (
        round(1000 * received / members, 2) if members and not _small(received) else None)
    return report


def _contacts(begin: datetime, finish: datetime) -> int:
    try:
        from fairhearing.audit.contacts import contacts_count
    except ImportError:  # the register is optional in a stripped-down install
        return 0
    return contacts_count(begin, finish)


def _age_band(days: int) -> str:
    for low, high, label in AGE_BANDS:
        if days >= low and (high is None or days < high):
            return label
    return AGE_BANDS[-1][2]


def _backlog_table(end: date, finish: datetime) -> Table:
    """Cases open at the end of the period, by age."""
    # Opened before the end and not closed by then: still open, closed since, or closed with no
    # date. Counted in three parts, each read from one small index (cases_open_opened_idx,
    # cases_closed_at_idx), and grouped by the local date of opening, as timezone.localdate gives it.
    opened = Case.objects.filter(opened_at__lt=finish).order_by()
    parts = (opened.filter(closed=False), opened.filter(closed=True, closed_at__gte=finish),
             opened.filter(closed=True, closed_at__isnull=True))
    bands: Counter[str] = Counter()
    for part in parts:
        for opened_on, n in part.annotate(day=TruncDate("opened_at")).values_list("day").annotate(n=Count("*")):
            bands[_age_band((end - opened_on).days)] += n
    return _column("backlog", f"Open cases on {end.isoformat()}, by age", bands, {label: label for _, _, label in AGE_BANDS})


def _interim_table(end: date) -> Table:
    """Interim suspensions in force at the end of the period, by how long they have lasted."""
    try:
        from fairhearing.registry.models import SanctionEntry
    except ImportError:
        return _column("interim", "Interim suspensions in force", Counter(), {label: label for _, _, label in AGE_BANDS})
    finish = _bounds(end, end)[1]
    current = SanctionEntry.objects.filter(kind=SanctionEntry.Kind.SUSPENDED, source_decision__isnull=True, case__isnull=False,
                                           starts_on__lte=end).exclude(ended_at__lt=finish)
    bands: Counter[str] = Counter()
    for started, n in current.order_by().values_list("starts_on").annotate(n=Count("*")):
        bands[_age_band((end - started).days)] += n
    return _column("interim", f"Interim suspensions in force on {end.isoformat()}, by how long", bands,
                   {label: label for _, _, label in AGE_BANDS}, heading="Suspensions")
