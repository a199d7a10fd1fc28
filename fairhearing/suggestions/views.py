"""The suggestions page of a case, and the caseworker's accept/reject. The case is fetched
through ``visible_cases`` (anything else is a 404) and every opening of the page is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fairhearing.accounts.models import Role
from fairhearing.accounts.permissions import is_assigned, visible_cases
from fairhearing.audit.services import audit_record
from fairhearing.cases.models import Case
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.suggestions import selectors, services
from fairhearing.suggestions.models import Suggestion


def _get_case(request: HttpRequest, public_id: Any) -> Case:
    try:
        return visible_cases(request.user).get(public_id=public_id)  # type: ignore[arg-type]
    except Case.DoesNotExist:
        raise Http404("No such case") from None


@require_GET
def case_suggestions(request: HttpRequest, public_id: Any) -> HttpResponse:
    case = _get_case(request, public_id)
    user = request.user
    runs = selectors.case_screening(case)
    audit_record(actor=user_actor(user), action="suggestion.viewed", subject=f"case:{case.public_id}",  # type: ignore[arg-type]
                 payload={"case": case.reference, "runs": len(runs)})
    can_decide = user.role == Role.CASEWORKER and is_assigned(user, case, "caseworker") and not case.closed  # type: ignore[union-attr,arg-type]
    return render(request, "suggestions/case.html", {"case": case, "runs": runs, "can_decide": can_decide})


@require_POST
def suggestion_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    suggestion = Suggestion.objects.select_related("run__case").filter(public_id=public_id).first()
    if suggestion is None or not visible_cases(request.user).filter(pk=suggestion.run.case_id).exists():  # type: ignore[arg-type]
        raise Http404("No such suggestion")
    decision = request.POST.get("decision", "")
    case = suggestion.run.case
    if decision not in ("accept", "reject"):
        messages.error(request, "Choose Accept or Reject for the suggestion.")
    else:
        try:
            services.suggestion_decide(actor=user_actor(request.user), suggestion=suggestion,  # type: ignore[arg-type]
                                       accept=decision == "accept", note=request.POST.get("note", ""))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            done = "accepted" if decision == "accept" else "rejected"
            messages.success(request, f"Suggestion {suggestion.clause_identifier} {done}. Nothing about the case has been decided.")
    return redirect(reverse("suggestions:case", args=[case.public_id]) + f"#suggestion-{suggestion.public_id}")
