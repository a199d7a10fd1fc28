"""The retention pass, run by the tick: anonymise every closed case whose time has come."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.core import clock
from fairhearing.core.actors import system_actor
from fairhearing.privacy.files import files_sweep
from fairhearing.privacy.schedule import Schedule, due_on, load_schedule

ACTOR = system_actor("retention")


@lru_cache(maxsize=4)
def _schedule_at(path: str) -> Schedule:
    return load_schedule(Path(path) if path else None)


def get_schedule() -> Schedule:
    """The configured schedule (``FAIRHEARING_RETENTION_FILE``), or the shipped default."""
    return _schedule_at(str(getattr(settings, "FAIRHEARING_RETENTION_FILE", "") or ""))


def _lapses_on(case: Case) -> date | None:
    try:
        from fairhearing.registry.models import SanctionEntry
    except ImportError:
        return None
    ends = [e for e in SanctionEntry.objects.filter(case=case).values_list("ends_on", flat=True) if e is not None]
    return max(ends) if ends else None


def case_due_on(case: Case, schedule: Schedule | None = None) -> tuple[str, date] | None:
    """The schedule rule and the day this case's personal data is due to go; None while open."""
    if not case.closed or case.closed_at is None:
        return None
    schedule = schedule or get_schedule()
    rule = schedule.rule_for(case.outcome)
    return rule.name, due_on(rule, closed_on=timezone.localdate(case.closed_at), lapses_on=_lapses_on(case))


@dataclass
class RetentionReport:
    anonymised: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    files_deleted: int = 0

    def __str__(self) -> str:
        return f"anonymised {len(self.anonymised)}, held back by a legal hold {len(self.held)}, files deleted {self.files_deleted}"


def retention_run(*, batch: int = 500) -> RetentionReport:
    """Anonymise due cases. Idempotent and safe with two ticks at once (the Anonymisation row is
    unique per case, so only one pass records each case)."""
    from fairhearing.privacy.services import active_hold, case_anonymise

    report = RetentionReport()
    today = clock.today()
    schedule = get_schedule()
    candidates = Case.objects.filter(closed=True, anonymisation__isnull=True).order_by("closed_at")
    for case in candidates[:batch]:
        due = case_due_on(case, schedule)
        if due is None or due[1] > today:
            continue
        if active_hold(case) is not None:
            report.held.append(case.reference)
            continue
        if case_anonymise(actor=ACTOR, case=case, rule=due[0], due=due[1]) is not None:
            report.anonymised.append(case.reference)
    report.files_deleted = files_sweep()
    return report


def retention_tick() -> str:
    return str(retention_run())
