"""Deadlines of a case's current stage, in working days, with pauses."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fairhearing.core import clock
from fairhearing.workflow.config import get_calendar, get_process

if TYPE_CHECKING:
    from fairhearing.cases.models import Case


def stage_due_on(case: Case) -> date | None:
    """The due date of the current stage: entry date + the stage's working days (halved when
    fast-tracked), extended by the working days spent paused during this stage."""
    process = get_process()
    stage = process.stage(case.stage)
    if stage.terminal:
        return None
    days = process.stage_days(case.stage, case.fast_tracked)
    spans = [
        (pause.started_on, pause.ended_on)
        for pause in case.pauses.filter(started_on__gte=case.stage_entered_on)
    ]
    return get_calendar().due_date(case.stage_entered_on, days, spans, today=clock.today())


def working_days_left(case: Case, today: date | None = None) -> int | None:
    """Working days from today to the due date: negative when overdue, None with no deadline."""
    if case.due_on is None:
        return None
    return get_calendar().working_days_between(today or clock.today(), case.due_on)


def next_update_on(after: date) -> date:
    return get_calendar().add_working_days(after, get_process().update_interval_days)
