"""Moving cases through the process: transitions, pauses, fast-tracking, and the tick.

Every function here is a service: it checks permission, changes state and appends its audit event
in one transaction; messages are queued as rows and sent after commit. Typed reasons are stored
outside the hashed payload, which cites them by id and digest (decision 0017).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import require_manage, require_take
from fairhearing.audit.reasons import stated_reason_create
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Assignment, Case, Party, Pause, StageRecord
from fairhearing.cases.notify import notification_queue
from fairhearing.conduct.models import Clause
from fairhearing.core import clock
from fairhearing.core.actors import SYSTEM, Actor
from fairhearing.core.errors import DomainError, InvalidTransition, MissingInformation
from fairhearing.workflow import guards
from fairhearing.workflow.config import get_calendar, get_process
from fairhearing.workflow.deadlines import next_update_on, stage_due_on
from fairhearing.workflow.process import Transition

MIN_REASON_LENGTH = 10

# Transitions that carry a record of their own (a decision with findings, a review, a hearing
# outcome, an appeal) are taken only through the service that writes that record. Apps reserve
# them here; case_transition refuses a reserved key unless its owning service passes reserved_ok.
_RESERVED: dict[str, str] = {}


def reserve_transitions(keys: Iterable[str], *, use: str) -> None:
    """Mark transitions as taken only through another service; ``use`` says where, for the message."""
    for key in keys:
        _RESERVED[key] = use


def is_reserved(key: str) -> bool:
    return key in _RESERVED


def _subject(case: Case) -> str:
    return f"case:{case.public_id}"


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_required(
    transition: Transition, reasons: str, clauses: list[Clause], outcome: str
) -> None:
    if "reasons" in transition.requires and len(reasons.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(
            f"'{transition.label}' needs written reasons (at least {MIN_REASON_LENGTH} characters).",
            field="reasons",
        )
    if "clauses" in transition.requires and not clauses:
        raise MissingInformation(
            f"'{transition.label}' needs at least one clause of the code of conduct.",
            field="clauses",
        )
    if "outcome" in transition.requires:
        if outcome not in transition.outcomes:
            raise MissingInformation(
                f"'{transition.label}' needs an outcome, one of: {', '.join(transition.outcomes)}.",
                field="outcome",
            )
    elif outcome:
        raise MissingInformation(f"'{transition.label}' takes no outcome.", field="outcome")


def available_transitions(actor: Actor, case: Case) -> list[Transition]:
    """The transitions this actor may take on this case now (used to build the case page's forms)."""
    from fairhearing.accounts.permissions import may_take

    if case.paused:
        return []
    process = get_process()
    return [t for t in process.transitions_from(case.stage) if t.key not in _RESERVED and may_take(actor, case, t)]


def _enter_stage(case: Case, stage_key: str) -> None:
    today = clock.today()
    calendar = get_calendar()
    current = case.stage_records.filter(left_on__isnull=True).order_by("-id").first()
    if current is not None:
        spans = [
            (p.started_on, p.ended_on)
            for p in case.pauses.filter(started_on__gte=current.entered_on)
        ]
        paused = sum(calendar.working_days_between(s, e or today) for s, e in spans)
        current.left_on = today
        current.working_days = calendar.working_days_between(current.entered_on, today) - paused
        current.met_deadline = current.due_on is None or today <= current.due_on
        current.save(update_fields=["left_on", "working_days", "met_deadline"])
    process = get_process()
    stage = process.stage(stage_key)
    case.stage = stage_key
    case.stage_entered_on = today
    case.breached_at = None
    case.due_on = stage_due_on(case)
    case.closed = stage.terminal
    case.closed_at = clock.now() if stage.terminal else None
    StageRecord.objects.create(case=case, stage=stage_key, entered_on=today, due_on=case.due_on)


@transaction.atomic
def case_transition(
    *,
    actor: Actor,
    case: Case,
    transition_key: str,
    reasons: str = "",
    clause_ids: Iterable[int] = (),
    outcome: str = "",
    reserved_ok: bool = False,
) -> Case:
    """Take one transition of the process. Raises a DomainError that says what to fix when the
    move is not allowed from this stage, a required field is missing, or the actor may not."""
    case = _locked(case)
    process = get_process()
    transition = process.transitions.get(transition_key)
    if transition is None:
        raise InvalidTransition(f"The process has no step called {transition_key!r}.")
    if transition_key in _RESERVED and not reserved_ok:
        raise InvalidTransition(f"'{transition.label}' is recorded through {_RESERVED[transition_key]}, which keeps its findings and reasons.")
    if case.stage not in transition.sources:
        here = process.stage(case.stage).label
        raise InvalidTransition(
            f"'{transition.label}' is not possible while the case is at '{here}'."
        )
    if case.paused:
        raise InvalidTransition("The case is paused: resume it before moving it on.")
    require_take(actor, case, transition)
    clauses = list(Clause.objects.filter(pk__in=list(clause_ids)))
    _check_required(transition, reasons, clauses, outcome)
    refusal = guards.check(
        transition.guard, guards.GuardContext(case=case, process=process, outcome=outcome)
    )
    if refusal:
        raise InvalidTransition(refusal)
    previous = case.stage
    if outcome:
        case.outcome = outcome
    _enter_stage(case, transition.target)
    case.save()
    audit_append(
        actor=actor,
        action="case.transitioned",
        subject=_subject(case),
        payload={
            "transition": transition.key,
            "from": previous,
            "to": case.stage,
            "reasons": stated_reason_create(action="case.transitioned", field="reasons", text=reasons, case=case),
            "clauses": sorted(c.identifier for c in clauses),
            "outcome": outcome,
            "due_on": case.due_on.isoformat() if case.due_on else None,
        },
    )
    target = process.stage(case.stage)
    if target.notifies_respondent:
        _queue_respondent_notice(case)
    return case


def _queue_respondent_notice(case: Case) -> None:
    """Tell each respondent, once per entry into the stage, with a fresh signed link to the
    allegations and evidence (issued by the intake app only when the notice is new)."""
    from fairhearing.intake.services import respondent_notice_queue

    for party in case.parties.filter(kind=Party.Kind.RESPONDENT):
        respondent_notice_queue(
            case=case,
            party=party,
            dedupe_key=f"respondent_notice:{case.public_id}:{party.public_id}:{case.stage_entered_on.isoformat()}",
            context={"reply_days": get_process().respondent_reply_days},
        )


@transaction.atomic
def case_pause(*, actor: Actor, case: Case, pause_key: str, reason: str) -> Pause:
    """Stop the stage clock while the case waits on a party, up to the process's limit."""
    case = _locked(case)
    require_manage(actor, case)
    process = get_process()
    kind = process.pauses.get(pause_key)
    if kind is None:
        raise DomainError(
            f"Unknown kind of wait {pause_key!r}; choose one of: {', '.join(process.pauses)}."
        )
    if case.stage not in kind.stages:
        raise InvalidTransition(
            f"'{kind.label}' cannot pause a case at '{process.stage(case.stage).label}'."
        )
    if case.paused:
        raise InvalidTransition("The case is already paused.")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(
            "Say what the case is waiting for (at least 10 characters).", field="reason"
        )
    today = clock.today()
    pause = Pause.objects.create(
        case=case,
        kind=pause_key,
        reason=reason.strip(),
        started_on=today,
        limit_on=get_calendar().add_working_days(today, kind.max_days),
    )
    case.paused = True
    case.save(update_fields=["paused"])
    audit_append(
        actor=actor,
        action="case.paused",
        subject=_subject(case),
        payload={
            "kind": pause_key,
            "reason": stated_reason_create(action="case.paused", field="reason", text=pause.reason, case=case),
            "limit_on": pause.limit_on.isoformat(),
        },
    )
    return pause


@transaction.atomic
def case_resume(*, actor: Actor, case: Case, reason: str = "") -> Case:
    """Restart the clock; the due date moves on by the working days spent paused."""
    case = _locked(case)
    if actor.user is not None:
        require_manage(actor, case)
    pause = case.pauses.filter(ended_on__isnull=True).order_by("-id").first()
    if not case.paused or pause is None:
        raise InvalidTransition("The case is not paused.")
    today = clock.today()
    pause.ended_on = min(today, pause.limit_on)
    pause.save(update_fields=["ended_on"])
    case.paused = False
    case.due_on = stage_due_on(case)
    case.save(update_fields=["paused", "due_on"])
    audit_append(
        actor=actor,
        action="case.resumed",
        subject=_subject(case),
        payload={
            "kind": pause.kind,
            "reason": stated_reason_create(action="case.resumed", field="reason", text=reason, case=case),
            "due_on": case.due_on.isoformat() if case.due_on else None,
        },
    )
    return case


@transaction.atomic
def case_fast_track(*, actor: Actor, case: Case, reasons: str) -> Case:
    """Put a clear case on the fast track: every stage runs at the process's fast-track factor."""
    case = _locked(case)
    require_manage(actor, case)
    if case.fast_tracked:
        raise InvalidTransition("The case is already fast-tracked.")
    if case.closed:
        raise InvalidTransition("A closed case cannot be fast-tracked.")
    if len(reasons.strip()) < MIN_REASON_LENGTH:
        raise MissingInformation(
            "Give the reasons for fast-tracking (at least 10 characters).", field="reasons"
        )
    case.fast_tracked = True
    case.due_on = stage_due_on(case)
    case.save(update_fields=["fast_tracked", "due_on"])
    audit_append(
        actor=actor,
        action="case.fast_tracked",
        subject=_subject(case),
        payload={
            "reasons": stated_reason_create(action="case.fast_tracked", field="reasons", text=reasons, case=case),
            "due_on": case.due_on.isoformat() if case.due_on else None,
        },
    )
    return case


@dataclass
class TickReport:
    breached: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    requeued: int = 0
    hooks: dict[str, object] = field(default_factory=dict)


def _escalation_recipients(case: Case) -> list[User]:
    roles = set(get_process().escalation_roles)
    people: list[User] = []
    if "caseworker" in roles:
        people += [
            a.user
            for a in Assignment.objects.filter(
                case=case, role=Assignment.Role.CASEWORKER, active=True
            ).select_related("user")
        ]
    if "overseer" in roles:
        people += list(User.objects.filter(role=Role.OVERSEER, is_active=True))
    return people


def _breach(case_id: int, now_today: str) -> str | None:
    """Claim one overdue case; only the tick whose UPDATE changed the row queues the notices."""
    with transaction.atomic():
        claimed = Case.objects.filter(
            pk=case_id, breached_at__isnull=True, paused=False, closed=False
        ).update(breached_at=clock.now())
        if not claimed:
            return None
        case = Case.objects.get(pk=case_id)
        for user in _escalation_recipients(case):
            notification_queue(
                kind="deadline_breached",
                dedupe_key=f"breach:{case.public_id}:{case.stage}:{case.stage_entered_on.isoformat()}:{user.public_id}",
                recipient_role=str(user.role),
                case=case,
                recipient_user=user,
            )
        audit_append(
            actor=SYSTEM,
            action="case.deadline_breached",
            subject=_subject(case),
            payload={
                "stage": case.stage,
                "due_on": case.due_on.isoformat() if case.due_on else None,
                "today": now_today,
            },
        )
        return case.reference


def _progress_update(case_id: int, due: date) -> str | None:
    with transaction.atomic():
        today = clock.today()
        claimed = Case.objects.filter(pk=case_id, next_update_on=due, closed=False).update(
            next_update_on=next_update_on(today), last_update_on=today
        )
        if not claimed:
            return None
        case = Case.objects.get(pk=case_id)
        stage = get_process().stage(case.stage)
        for party in case.parties.filter(ended_at__isnull=True):
            notification_queue(
                kind="progress_update",
                dedupe_key=f"update:{case.public_id}:{party.public_id}:{today.isoformat()}",
                recipient_role=party.kind,
                case=case,
                recipient_email=party.email,
                context={"party": party, "stage": stage},
            )
        audit_append(
            actor=SYSTEM,
            action="case.update_due",
            subject=_subject(case),
            payload={"stage": case.stage, "due": due.isoformat()},
        )
        return case.reference


def tick_run(*, batch: int = 1000) -> TickReport:
    """One pass of the tick. Idempotent, and safe with two running at once: each row is claimed by
    a conditional UPDATE, so a breach or an update is acted on by exactly one tick."""
    from fairhearing.cases.notify import enqueue_send
    from fairhearing.cases.tasks import requeue_stale

    report = TickReport()
    today = clock.today()
    for pause in Pause.objects.filter(ended_on__isnull=True, limit_on__lte=today).select_related(
        "case"
    )[:batch]:
        try:
            case_resume(
                actor=SYSTEM, case=pause.case, reason="The pause reached the process's limit."
            )
            report.resumed.append(pause.case.reference)
        except InvalidTransition:
            pass
    overdue = Case.objects.filter(
        closed=False, paused=False, breached_at__isnull=True, due_on__lt=today
    )
    for case_id in overdue.values_list("pk", flat=True)[:batch]:
        reference = _breach(case_id, today.isoformat())
        if reference:
            report.breached.append(reference)
    updates = Case.objects.filter(closed=False, next_update_on__lte=today)
    for case_id, due in updates.values_list("pk", "next_update_on")[:batch]:
        reference = _progress_update(case_id, due)
        if reference:
            report.updates.append(reference)
    stale = requeue_stale()
    for notification_id in stale:
        enqueue_send(notification_id)
    report.requeued = len(stale)
    from fairhearing.workflow import tick_hooks

    report.hooks = tick_hooks.run_all()
    return report
