"""Fetching what an endpoint acts on, through the same permission helpers as the web pages:
anything the token's user may not see is a 404, so its existence is not revealed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Model
from django.http import HttpRequest

from fairhearing.accounts.models import User
from fairhearing.accounts.permissions import visible_cases
from fairhearing.api.problems import NotFound
from fairhearing.cases.models import Case, Complaint


def user_of(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def case_for(request: HttpRequest, public_id: UUID) -> Case:
    try:
        return visible_cases(user_of(request)).get(public_id=public_id)
    except Case.DoesNotExist:
        raise NotFound("No case with that id, or you may not see it.") from None


def complaint_for(request: HttpRequest, public_id: UUID) -> Complaint:
    found = (Complaint.objects.select_related("case")
             .filter(public_id=public_id, case__in=visible_cases(user_of(request))).first())
    if found is None:
        raise NotFound("No complaint with that id on a case you may see.")
    return found


def one(queryset: Any, what: str, **filters: Any) -> Model:
    found = queryset.filter(**filters).first()
    if found is None:
        raise NotFound(f"No {what} with that id, or you may not see it.")
    return found  # type: ignore[no-any-return]


def still_visible(request: HttpRequest, case: Case) -> bool:
    """After an action: whether the user still sees the case (a recusal or hand-over ends it)."""
    return visible_cases(user_of(request)).filter(pk=case.pk).exists()
