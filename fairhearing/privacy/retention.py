"""The retention pass, run by the tick: anonymise every closed case whose time has come, then
the personal data held outside any case (decision 0020): confirmed spam, completed subject
requests, and short-lived records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fairhearing.cases.models import Case
from fairhearing.core import clock
from fairhearing.core.actors import system_actor
from fairhearing.privacy.files import files_sweep
from fairhearing.privacy.schedule import (
    Schedule,
    due_on,
    load_schedule,
    outside_cutoff,
    outside_due_on,
)

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
    spam: list[str] = field(default_factory=list)  # complaint references
    subject_requests: list[str] = field(default_factory=list)  # request public ids
    records: dict[str, int] = field(default_factory=dict)  # model label: rows deleted

    def __str__(self) -> str:
        text = f"anonymised {len(self.anonymised)}, held back by a legal hold {len(self.held)}, files deleted {self.files_deleted}"
        outside = [f"spam complaints {len(self.spam)}" if self.spam else "",
                   f"subject requests {len(self.subject_requests)}" if self.subject_requests else "",
                   f"records deleted {sum(self.records.values())}" if self.records else ""]
        outside = [part for part in outside if part]
        return f"{text}; outside cases: {', '.join(outside)}" if outside else text


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
    _outside_cases(report, schedule, today, batch)
    report.files_deleted = files_sweep()
    return report


# Months are clamped to the month's end, so a record anchored up to three days after the cutoff
# may be due too: candidates are taken that far, and each is checked exactly.
CLAMP_DAYS = 3


def spam_due_on(complaint, schedule: Schedule | None = None) -> tuple[str, date] | None:  # type: ignore[no-untyped-def]
    """The rule and the day a complaint confirmed as spam is due to go; None for any other complaint."""
    from fairhearing.privacy.outside import confirmed_on

    confirmed = confirmed_on(complaint)
    if confirmed is None:
        return None
    rule = (schedule or get_schedule()).outside["spam"]
    return rule.name, outside_due_on(rule, anchored_on=confirmed)


def _outside_cases(report: RetentionReport, schedule: Schedule, today: date, batch: int) -> None:
    from fairhearing.cases.models import Complaint
    from fairhearing.privacy.models import SubjectRequest
    from fairhearing.privacy.outside import (
        records_delete,
        spam_complaint_anonymise,
        start_of,
        subject_request_anonymise,
    )
    from fairhearing.privacy.personal_data import RECORDS

    rules = schedule.outside
    latest = start_of(outside_cutoff(rules["spam"], today=today) + timedelta(days=CLAMP_DAYS + 1))
    spam = (Complaint.objects.filter(case__isnull=True, spam_hold__status="confirmed", spam_hold__reviewed_at__lt=latest,
                                     spam_anonymisation__isnull=True).order_by("spam_hold__reviewed_at"))
    for complaint in spam[:batch]:
        due = spam_due_on(complaint, schedule)
        if due is not None and due[1] <= today and spam_complaint_anonymise(actor=ACTOR, complaint=complaint, rule=due[0], due=due[1]):
            report.spam.append(complaint.reference)

    rule = rules["subject_requests"]
    latest = start_of(outside_cutoff(rule, today=today) + timedelta(days=CLAMP_DAYS + 1))
    requests = (SubjectRequest.objects.exclude(status=SubjectRequest.Status.OPEN)
                .filter(anonymised_at__isnull=True, completed_at__lt=latest).order_by("completed_at"))
    for request in requests[:batch]:
        assert request.completed_at is not None
        due_day = outside_due_on(rule, anchored_on=timezone.localdate(request.completed_at))
        if due_day <= today and subject_request_anonymise(actor=ACTOR, request=request, rule=rule.name, due=due_day):
            report.subject_requests.append(str(request.public_id))

    for kind in RECORDS:
        before = outside_cutoff(rules[kind], today=today) + timedelta(days=1)
        report.records.update(records_delete(actor=ACTOR, kind=kind, recorded_before=before))
    report.records.update(records_delete(actor=ACTOR, kind="expired_sessions", recorded_before=today))


def retention_tick() -> str:
    return str(retention_run())
