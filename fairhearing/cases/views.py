"""The caseworker workspace: queues and the case page. Views stay short: a permission-checked
fetch, one service or selector call, then render or redirect. Domain errors become messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import can_manage_case, visible_cases
from fairhearing.audit.services import audit_record
from fairhearing.cases import selectors, services
from fairhearing.cases.forms import (
    NoteForm,
    PauseForm,
    ReasonsForm,
    RecordComplaintForm,
    TransitionForm,
)
from fairhearing.cases.models import Case
from fairhearing.conduct.models import Clause
from fairhearing.conduct.selectors import version_for_case
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.suggestions.selectors import pending_count
from fairhearing.workflow import services as workflow
from fairhearing.workflow.config import get_process
from fairhearing.workflow.deadlines import working_days_left


def _get_case(request: HttpRequest, public_id: Any) -> Case:
    """Fetch a case the user may see; any other case is a 404, so its existence is not revealed."""
    try:
        return visible_cases(request.user).get(public_id=public_id)  # type: ignore[arg-type]
    except Case.DoesNotExist:
        raise Http404("No such case") from None


@require_GET
def queues(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    key = request.GET.get("queue") or ("new" if user.role == Role.CASEWORKER else "mine")
    if key not in selectors.QUEUE_KEYS:
        messages.error(request, "That queue does not exist; showing your own cases.")
        key = "mine"
    number = _page_number(request.GET.get("page"))
    cases, has_next = selectors.queue_page(user, key, number)
    audit_record(actor=user_actor(user), action="case.listed", subject=f"queue:{key}", payload={"page": number, "cases": [c.reference for c in cases]})
    return render(request, "cases/queues.html", {
        "queues": selectors.QUEUES, "current": key, "counts": selectors.queue_counts(user), "number": number,
        "has_next": has_next, "rows": selectors.rows_for(cases), "can_record": user.role == Role.CASEWORKER,
    })


def _page_number(raw: str | None) -> int:
    """The page asked for; anything that is not a whole number from 1 up means the first page."""
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1


@require_GET
def case_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = _get_case(request, public_id)
    user: User = request.user  # type: ignore[assignment]
    actor = user_actor(user)
    audit_record(actor=actor, action="case.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference})
    process = get_process()
    version = version_for_case(case)
    clauses = list(Clause.objects.filter(version=version).order_by("order")) if version else []
    forms = []
    for transition in workflow.available_transitions(actor, case):
        form = TransitionForm(initial={"transition": transition.key}, prefix=transition.key)
        form.fields["clauses"].choices = [(c.pk, f"{c.identifier} {c.title}") for c in clauses]
        form.fields["outcome"].choices = [("", "Choose an outcome")] + [(o, o.replace("_", " ").capitalize()) for o in transition.outcomes]
        forms.append((transition, form))
    manage = can_manage_case(user, case)
    pause_form = PauseForm()
    pause_form.fields["kind"].choices = [(p.key, p.label) for p in process.pauses.values() if case.stage in p.stages]
    caseworkers = User.objects.filter(role=Role.CASEWORKER, is_active=True)
    return render(request, "cases/detail.html", {
        "case": case,
        "stage": process.stage(case.stage),
        "days_left": working_days_left(case),
        "parties": case.parties.all(),
        "allegations": case.allegations.prefetch_related("clauses"),
        "assignments": case.assignments.filter(active=True).select_related("user"),
        "notes": case.notes.select_related("author"),
        "pause": case.pauses.filter(ended_on__isnull=True).first(),
        "timeline": selectors.case_timeline(case),
        "transition_forms": forms,
        "can_manage": manage,
        "pause_form": pause_form if manage and pause_form.fields["kind"].choices else None,
        "caseworkers": caseworkers if manage else [],
        "today": clock.today(),
        "suggestions_pending": pending_count(case),
    })


def _act(request: HttpRequest, public_id: Any, action: Callable[[Case], str]) -> HttpResponse:
    case = _get_case(request, public_id)
    try:
        done = action(case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    if visible_cases(request.user).filter(pk=case.pk).exists():
        return redirect("cases:detail", public_id=case.public_id)
    return redirect("cases:queues")


@require_POST
def case_transition(request: HttpRequest, public_id: Any) -> HttpResponse:
    key = request.POST.get("transition", "")

    def act(case: Case) -> str:
        prefix = f"{key}-"
        workflow.case_transition(
            actor=user_actor(request.user),  # type: ignore[arg-type]
            case=case,
            transition_key=key,
            reasons=request.POST.get(prefix + "reasons", ""),
            clause_ids=[int(v) for v in request.POST.getlist(prefix + "clauses") if v.isdigit()],
            outcome=request.POST.get(prefix + "outcome", ""),
        )
        return "Done. The case has moved on and its new deadline is shown below."

    return _act(request, public_id, act)


@require_POST
def case_pause(request: HttpRequest, public_id: Any) -> HttpResponse:
    def act(case: Case) -> str:
        pause = workflow.case_pause(actor=user_actor(request.user), case=case, pause_key=request.POST.get("kind", ""), reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
        return f"The clock is paused. It restarts by itself on {pause.limit_on:%d %B %Y} at the latest."

    return _act(request, public_id, act)


@require_POST
def case_resume(request: HttpRequest, public_id: Any) -> HttpResponse:
    def act(case: Case) -> str:
        workflow.case_resume(actor=user_actor(request.user), case=case, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
        return "The clock is running again."

    return _act(request, public_id, act)


@require_POST
def case_fast_track(request: HttpRequest, public_id: Any) -> HttpResponse:
    def act(case: Case) -> str:
        form = ReasonsForm(request.POST)
        workflow.case_fast_track(actor=user_actor(request.user), case=case, reasons=form.data.get("reasons", ""))  # type: ignore[arg-type]
        return "The case is now fast-tracked."

    return _act(request, public_id, act)


@require_POST
def case_note(request: HttpRequest, public_id: Any) -> HttpResponse:
    def act(case: Case) -> str:
        form = NoteForm(request.POST)
        services.case_add_note(actor=user_actor(request.user), case=case, text=form.data.get("text", ""))  # type: ignore[arg-type]
        return "Note added."

    return _act(request, public_id, act)


@require_POST
def case_assign(request: HttpRequest, public_id: Any) -> HttpResponse:
    def act(case: Case) -> str:
        raw = request.POST.get("user", "")
        target = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if target is None:
            raise DomainError("Choose a caseworker from the list.")
        services.case_assign(actor=user_actor(request.user), case=case, user=target, role="caseworker")  # type: ignore[arg-type]
        return f"{target} is now the caseworker."

    return _act(request, public_id, act)


def record_complaint(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.CASEWORKER:
        return render(request, "core/error.html", {"title": "Only caseworkers record complaints", "message": "Ask a caseworker to record it."}, status=403)
    form = RecordComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_record(actor=user_actor(user), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Complaint {complaint.reference} recorded and case {complaint.case.reference} opened.")  # type: ignore[union-attr]
            return redirect("cases:detail", public_id=complaint.case.public_id)  # type: ignore[union-attr]
    return render(request, "cases/record.html", {"form": form})
