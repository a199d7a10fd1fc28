"""The decision workspace of a case (panel draw, recusal, decision, reviewer draw, review,
hearing, issue, appeal), the written decision as HTML and PDF, the pool member's register of
interests, and the administrator's page of the panel and reviewer pool.

Every case is fetched through ``visible_cases``; every write is one service call; a refused
request re-renders the page with the error next to the field and what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import can_manage_case, visible_cases
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case
from fairhearing.conduct.models import Clause
from fairhearing.conduct.selectors import version_in_force
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.decisions import forms as f
from fairhearing.decisions import selectors, services
from fairhearing.decisions.letter import build_letter
from fairhearing.decisions.models import Decision, Interest, Panel, PoolMember, Seat
from fairhearing.decisions.pdf import render_decision_pdf


def _get_case(request: HttpRequest, public_id: Any) -> Case:
    try:
        return visible_cases(request.user).get(public_id=public_id)  # type: ignore[arg-type]
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def _seated(user: User, case: Case, purpose: str) -> bool:
    return Seat.objects.filter(panel__case=case, panel__purpose=purpose, panel__ended_at__isnull=True, user=user, recused_at__isnull=True).exists()


def _decision_form(case: Case, data: Any = None) -> f.DecisionForm:
    version = version_in_force(case.opened_at.date())
    clauses = list(Clause.objects.filter(version=version).select_related("version").order_by("order")) if version else []
    return f.DecisionForm(data, allegations=list(case.allegations.all()), clauses=clauses, prefix="decide")


def _forms_for(user: User, case: Case) -> dict[str, forms.Form]:
    """The forms this user may use on this case at its current stage."""
    out: dict[str, forms.Form] = {}
    manage = can_manage_case(user, case)
    if manage and case.stage in ("decision", "appeal"):
        out["draw"] = forms.Form()
    if _seated(user, case, Panel.Purpose.DECISION) and case.stage in ("decision", "hearing"):
        out["recuse"] = f.RecuseForm(prefix="recuse")
        if case.stage == "decision":
            out["decide"] = _decision_form(case)
        elif selectors.case_hearing(case) is not None:
            out["hearing_outcome"] = f.HearingOutcomeForm(prefix="hearing_outcome")
    if user.role == Role.REVIEWER and case.stage == "review":
        out["review"] = f.ReviewForm(prefix="review")
    if manage and case.stage == "review" and selectors.case_reviewer(case) is None:
        out["draw_reviewer"] = forms.Form()
    if manage and case.stage == "hearing":
        hearing = selectors.case_hearing(case)
        if hearing is None:
            out["schedule"] = f.ScheduleForm(prefix="schedule")
        elif hearing.original_starts_at is None:
            out["postpone"] = f.PostponeForm(prefix="postpone")
    if manage and case.stage == "written_decision":
        out["issue"] = forms.Form()
    if manage and case.stage == "appeal_window":
        out["appeal"] = f.AppealForm(prefix="appeal")
    if _seated(user, case, Panel.Purpose.APPEAL) and case.stage == "appeal":
        out["decide_appeal"] = f.AppealDecisionForm(prefix="decide_appeal")
    return out


def _render(request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    decision = selectors.latest_decision(case)
    clause_ids = [fi.clause.identifier for fi in decision.findings.select_related("clause")] if decision else []
    clause_ids += [c.identifier for a in case.allegations.prefetch_related("clauses") for c in a.clauses.all()]
    return render(request, "decisions/workspace.html", {
        "case": case,
        "forms": {**_forms_for(user, case), **(bound or {})},
        "panels": Panel.objects.filter(case=case).prefetch_related("seats__user"),
        "decision": decision,
        "hearing": selectors.case_hearing(case),
        "reviewer": selectors.case_reviewer(case) if case.stage == "review" else None,
        "appeals": selectors.case_appeals(case),
        "precedents": selectors.precedents(clause_ids, exclude_case=case),
    }, status=status)


@require_GET
def workspace(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = _get_case(request, public_id)
    audit_record(actor=user_actor(request.user), action="panel.viewed", subject=f"case:{case.public_id}", payload={"case": case.reference})  # type: ignore[arg-type]
    return _render(request, case)


def _findings(form: f.DecisionForm) -> list[services.FindingInput]:
    data = form.cleaned_data
    return [
        services.FindingInput(allegation=str(a.public_id), clause_id=data[f"{a.public_id}-clause"], upheld=data[f"{a.public_id}-upheld"], text=data[f"{a.public_id}-text"])
        for a, _ in form.groups
    ]


def _draw(a: Any, c: Case, d: Any) -> str:
    services.panel_draw(actor=a, case=c)
    return "The panel has been drawn."


def _draw_reviewer(a: Any, c: Case, d: Any) -> str:
    services.reviewer_draw(actor=a, case=c)
    return "An independent reviewer has been drawn."


def _recuse(a: Any, c: Case, d: Any) -> str:
    replacement = services.panel_recuse(actor=a, case=c, reason=d["reason"])
    return "You have stepped down; a replacement was drawn." if replacement else "You have stepped down; the caseworker must draw a replacement."


def _decide(a: Any, c: Case, form: Any) -> str:
    d = form.cleaned_data
    services.decision_record(actor=a, case=c, outcome=d["outcome"], findings=_findings(form), reasons=d["reasons"],
                             term_months=d["term_months"], band_departure_reason=d["band_departure_reason"])
    return "The decision is recorded."


def _hearing_outcome(a: Any, c: Case, d: Any) -> str:
    services.hearing_record_outcome(actor=a, case=c, outcome=d["outcome"], reasons=d["reasons"], term_months=d["term_months"],
                                    band_departure_reason=d["band_departure_reason"])
    return "The hearing's outcome is recorded."


def _review(a: Any, c: Case, d: Any) -> str:
    services.review_record(actor=a, case=c, verdict=d["verdict"], reasons=d["reasons"])
    return "Your review is recorded."


def _schedule(a: Any, c: Case, d: Any) -> str:
    services.hearing_schedule(actor=a, case=c, starts_at=d["starts_at"], place=d["place"], video_link=d["video_link"])
    return "The hearing is scheduled and the respondent notified."


def _postpone(a: Any, c: Case, d: Any) -> str:
    services.hearing_postpone(actor=a, case=c, starts_at=d["starts_at"], reason=d["reason"])
    return "The hearing is postponed and the respondent notified."


def _issue(a: Any, c: Case, d: Any) -> str:
    services.decision_issue(actor=a, case=c)
    return "The written decision has been issued to both parties."


def _appeal(a: Any, c: Case, d: Any) -> str:
    services.appeal_lodge(actor=a, case=c, grounds=d["grounds"], appellant=d["appellant"])
    return "The appeal is lodged. Draw an appeal panel next."


def _decide_appeal(a: Any, c: Case, d: Any) -> str:
    services.appeal_decide(actor=a, case=c, outcome=d["outcome"], reasons=d["reasons"],
                           substituted_outcome=d["substituted_outcome"], term_months=d["term_months"])
    return "The appeal is decided and the case closed."


def _plain(case: Case, data: Any) -> forms.Form:
    return forms.Form(data)


def _prefixed(form_class: type[forms.Form], prefix: str) -> Callable[[Case, Any], forms.Form]:
    return lambda case, data: form_class(data, prefix=prefix)


#: action name -> (form builder, handler taking actor, case and cleaned data; the decision form is passed whole)
ACTIONS: dict[str, tuple[Callable[[Case, Any], forms.Form], Callable[[Any, Case, Any], str]]] = {
    "draw": (_plain, _draw),
    "recuse": (_prefixed(f.RecuseForm, "recuse"), _recuse),
    "decide": (_decision_form, _decide),
    "hearing_outcome": (_prefixed(f.HearingOutcomeForm, "hearing_outcome"), _hearing_outcome),
    "draw_reviewer": (_plain, _draw_reviewer),
    "review": (_prefixed(f.ReviewForm, "review"), _review),
    "schedule": (_prefixed(f.ScheduleForm, "schedule"), _schedule),
    "postpone": (_prefixed(f.PostponeForm, "postpone"), _postpone),
    "issue": (_plain, _issue),
    "appeal": (_prefixed(f.AppealForm, "appeal"), _appeal),
    "decide_appeal": (_prefixed(f.AppealDecisionForm, "decide_appeal"), _decide_appeal),
}


@require_POST
def act(request: HttpRequest, public_id: Any, action: str) -> HttpResponse:
    case = _get_case(request, public_id)
    if action not in ACTIONS:
        raise Http404("No such action")
    make_form, handler = ACTIONS[action]
    form = make_form(case, request.POST)
    if form.is_valid():
        try:
            done = handler(user_actor(request.user), case, form if action == "decide" else form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, done)
            if visible_cases(request.user).filter(pk=case.pk).exists():  # type: ignore[arg-type]
                return redirect("decisions:workspace", public_id=case.public_id)
            return redirect("cases:queues")
    return _render(request, case, {action: form}, status=400)


def _issued(request: HttpRequest, public_id: Any) -> tuple[Case, Decision]:
    case = _get_case(request, public_id)
    decision = selectors.issued_decision(case) or selectors.latest_decision(case)
    if decision is None or decision.status not in (Decision.Status.DETERMINED, Decision.Status.ISSUED):
        raise Http404("No decision has been determined on this case")
    audit_record(actor=user_actor(request.user), action="decision.viewed", subject=f"case:{case.public_id}", payload={"decision": str(decision.public_id)})  # type: ignore[arg-type]
    return case, decision


@require_GET
def written(request: HttpRequest, public_id: Any) -> HttpResponse:
    case, decision = _issued(request, public_id)
    appeal_by = case.due_on if case.stage == "appeal_window" else None
    return render(request, "decisions/written.html", {"case": case, "decision": decision, "letter": build_letter(decision, appeal_by)})


@require_GET
def written_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    case, decision = _issued(request, public_id)
    appeal_by = case.due_on if case.stage == "appeal_window" else None
    response = HttpResponse(render_decision_pdf(build_letter(decision, appeal_by)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{case.reference}.pdf"'
    return response


def interests(request: HttpRequest) -> HttpResponse:
    """A pool member's own register of interests: list and declare."""
    user: User = request.user  # type: ignore[assignment]
    entry = PoolMember.objects.filter(user=user, removed_at__isnull=True).first()
    if entry is None:
        return render(request, "core/error.html", {"title": "Not in the pool", "message": "Only panel members and reviewers in the pool declare interests."}, status=403)
    form = f.InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_declare(actor=user_actor(user), kind=form.cleaned_data["kind"], value=form.cleaned_data["value"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Your interest is recorded and applies to every later draw.")
            return redirect("decisions:interests")
    return render(request, "decisions/interests.html", {"entry": entry, "form": form, "interests": Interest.objects.filter(pool_member=entry)})


def _not_admin(request: HttpRequest) -> HttpResponse | None:
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.ADMIN:
        return render(request, "core/error.html", {"title": "Not available to you",
                                                   "message": "The panel and reviewer pool is managed by administrators."}, status=403)
    return None


def _member_id(form: f.PoolEntryForm) -> int | None:
    member = form.cleaned_data["membership_number"]
    return member.pk if member is not None else None


@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest) -> HttpResponse:
    """The administrator's list of the pool, with declared interests, and the form to add someone."""
    if denied := _not_admin(request):
        return denied
    form = f.PoolAddForm(request.POST or None, candidates=selectors.pool_candidates(), prefix="add")
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        try:
            services.pool_member_set(actor=user_actor(request.user), user=person,  # type: ignore[arg-type]
                                     training_valid_until=form.cleaned_data["training_valid_until"], member_id=_member_id(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{person} is in the pool.")
            return redirect("decisions:pool")
    entries = list(selectors.pool_entries())
    return render(request, "decisions/pool.html", {
        "form": form,
        "current": [e for e in entries if e.removed_at is None],
        "former": [e for e in entries if e.removed_at is not None],
        "today": clock.today(),
    }, status=400 if form.errors else 200)


def _pool_entry(public_id: Any) -> PoolMember:
    return get_object_or_404(selectors.pool_entries(), user__public_id=public_id)


@require_http_methods(["GET", "POST"])
def pool_member(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One pool member: their interests, and their training date and membership to change (or,
    for someone taken out, to add them back)."""
    if denied := _not_admin(request):
        return denied
    entry = _pool_entry(public_id)
    initial = {"training_valid_until": entry.training_valid_until, "membership_number": entry.member.membership_number if entry.member else ""}
    form = f.PoolEntryForm(request.POST or None, initial=initial, prefix="entry")
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_member_set(actor=user_actor(request.user), user=entry.user,  # type: ignore[arg-type]
                                     training_valid_until=form.cleaned_data["training_valid_until"], member_id=_member_id(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{entry.user}'s pool entry is saved." if entry.removed_at is None else f"{entry.user} is back in the pool.")
            return redirect("decisions:pool")
    return render(request, "decisions/pool_member.html", {"entry": entry, "form": form, "remove": forms.Form()},
                  status=400 if form.errors else 200)


@require_POST
def pool_remove(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Take someone out of the pool; they are never drawn again until added back."""
    if denied := _not_admin(request):
        return denied
    entry = _pool_entry(public_id)
    try:
        services.pool_member_remove(actor=user_actor(request.user), user=entry.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        kept = f" They still sit on {entry.current_seats} current panel{'s' if entry.current_seats != 1 else ''} unless they step down." if entry.current_seats else ""  # type: ignore[attr-defined]
        messages.success(request, f"{entry.user} is out of the pool and will not be drawn again.{kept}")
    return redirect("decisions:pool")
