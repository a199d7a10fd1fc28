"""Reads for the caseworker workspace. Every list starts from the permission module's
``visible_cases``, so a queue can never show a case its reader may not open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from fairhearing.accounts.models import User
from fairhearing.accounts.permissions import INTAKE_STAGES, has_intake_caseworker, visible_cases
from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Assignment, Case
from fairhearing.core import clock
from fairhearing.workflow.config import get_calendar, get_process

DUE_SOON_DAYS = 5
PAGE_SIZE = 50
# A tab counts its queue up to here and then says "100+": past a hundred the number tells a
# caseworker nothing more, and counting a large queue exactly on every page view cost more than
# the rest of the page (docs/performance.md). Exact figures are the statistics' job.
COUNT_CAP = 100


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    description: str


QUEUES = (
    Queue("new", "New", "Received or in triage with no caseworker yet"),
    Queue("due_soon", "Due within 5 working days", "Open cases whose stage deadline is within 5 working days"),
    Queue("overdue", "Overdue", "Open cases past their stage deadline"),
    Queue("paused", "Paused", "Cases whose clock is stopped while waiting on a party"),
    Queue("mine", "Assigned to me", "Open cases you are assigned to"),
    Queue("fast_tracked", "Fast-tracked", "Open cases running at the fast-track timetable"),
)
QUEUE_KEYS = {q.key for q in QUEUES}


def queue_cases(user: User, key: str, today: date | None = None) -> QuerySet[Case]:
    """The cases in one queue for this user, most urgent first (by due date)."""
    today = today or clock.today()
    cases = visible_cases(user).filter(closed=False)
    if key == "new":
        cases = cases.filter(stage__in=INTAKE_STAGES).exclude(has_intake_caseworker())
    elif key == "due_soon":
        horizon = get_calendar().add_working_days(today, DUE_SOON_DAYS)
        cases = cases.filter(paused=False, due_on__gte=today, due_on__lte=horizon)
    elif key == "overdue":
        cases = cases.filter(paused=False, due_on__lt=today)
    elif key == "paused":
        cases = cases.filter(paused=True)
    elif key == "mine":
        cases = cases.filter(Exists(Assignment.objects.filter(case=OuterRef("pk"), user=user, active=True)))
    elif key == "fast_tracked":
        cases = cases.filter(fast_tracked=True)
    else:
        raise ValueError(f"unknown queue {key!r}")
    return cases.order_by("due_on", "opened_at")


@dataclass(frozen=True)
class QueueCount:
    number: int
    more: bool  # there are more than ``number``


def queue_counts(user: User, cap: int | None = None, today: date | None = None) -> dict[str, QueueCount]:
    """How many cases each queue holds, counted up to ``cap`` (default COUNT_CAP)."""
    cap = cap or COUNT_CAP
    counts = {}
    for queue in QUEUES:
        number = queue_cases(user, queue.key, today).order_by()[: cap + 1].count()
        counts[queue.key] = QueueCount(number=min(number, cap), more=number > cap)
    return counts


def queue_page(user: User, key: str, number: int, size: int = PAGE_SIZE, today: date | None = None) -> tuple[list[Case], bool]:
    """One page of a queue (pages count from 1) and whether another follows. Reads one row past
    the page instead of counting the whole queue."""
    start = (max(1, number) - 1) * size
    rows = list(queue_cases(user, key, today)[start : start + size + 1])
    return rows[:size], len(rows) > size


@dataclass(frozen=True)
class CaseRow:
    case: Case
    stage_label: str
    days_left: int | None


def rows_for(cases: list[Case], today: date | None = None) -> list[CaseRow]:
    today = today or clock.today()
    process = get_process()
    calendar = get_calendar()
    rows = []
    for case in cases:
        left = calendar.working_days_between(today, case.due_on) if case.due_on and not case.paused else None
        rows.append(CaseRow(case=case, stage_label=process.stage(case.stage).label, days_left=left))
    return rows


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    """Every recorded event about this case, oldest first, reads excluded."""
    return AuditEvent.objects.filter(subject=f"case:{case.public_id}").exclude(action="case.viewed").order_by("seq")
