"""Reading the code of conduct: the list of codes and versions, a version, a clause, and the
comparison of two versions. Any signed-in staff member may read them: the code is published
policy, not case content, so these reads are not audited."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fairhearing.accounts.models import Role
from fairhearing.conduct import selectors
from fairhearing.conduct.compare import ClauseData, compare_clauses
from fairhearing.conduct.models import CodeVersion


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if getattr(request.user, "role", "") not in Role.values:
        return render(request, "core/error.html", {"title": "Staff only", "message": "The code of conduct pages are for staff."}, status=403)
    return None


def _version(public_id: Any) -> CodeVersion:
    version = selectors.version_by_public_id(public_id)
    if version is None:
        raise Http404("No such version")
    return version


def _data(version: CodeVersion) -> list[ClauseData]:
    return [
        ClauseData(identifier=c.identifier, title=c.title, text=c.text, parent=c.parent.identifier if c.parent else None)
        for c in selectors.clauses_for(version)
    ]


@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    if denied := _staff_only(request):
        return denied
    return render(request, "conduct/list.html", {"codes": selectors.codes_with_versions()})


@require_GET
def version_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    if denied := _staff_only(request):
        return denied
    version = _version(public_id)
    others = version.code.versions.exclude(pk=version.pk).order_by("-in_force_from", "-id")
    return render(request, "conduct/version.html", {"version": version, "clauses": selectors.clauses_for(version), "others": others})


@require_GET
def clause_detail(request: HttpRequest, public_id: Any, identifier: str) -> HttpResponse:
    if denied := _staff_only(request):
        return denied
    version = _version(public_id)
    clause = selectors.clauses_for(version).filter(identifier=identifier).first()
    if clause is None:
        raise Http404("No such clause")
    return render(request, "conduct/clause.html", {
        "version": version, "clause": clause, "children": clause.children.order_by("order"),
        "history": selectors.clause_history(clause),
    })


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    if denied := _staff_only(request):
        return denied
    codes = selectors.codes_with_versions()
    raw_a, raw_b = request.GET.get("a", ""), request.GET.get("b", "")
    context: dict[str, Any] = {"codes": codes, "a": raw_a, "b": raw_b}
    if raw_a or raw_b:
        older, newer = selectors.version_by_public_id(raw_a), selectors.version_by_public_id(raw_b)
        errors = []
        if older is None:
            errors.append(("a", "Choose the older version to compare from the list."))
        if newer is None:
            errors.append(("b", "Choose the newer version to compare from the list."))
        if older is not None and newer is not None and older.code_id != newer.code_id:
            errors.append(("b", f"Choose two versions of the same code: {older.code.name} and {newer.code.name} are different codes."))
        if errors:
            context["errors"] = errors
            return render(request, "conduct/compare.html", context, status=400)
        assert older is not None and newer is not None
        context.update(older=older, newer=newer, comparison=compare_clauses(_data(older), _data(newer)))
    return render(request, "conduct/compare.html", context)
