"""The platform check page for organisers, and the registry list for overseers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairhearing.accounts.models import Role, User
from fairhearing.audit.services import audit_record
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.registry import selectors, services
from fairhearing.registry.forms import PlatformCheckForm


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": "Not available to you", "message": message}, status=403)


def platform_check(request: HttpRequest) -> HttpResponse:
    """Paste names, get one verdict per name. No reason, no entry, no case is ever shown."""
    user: User = request.user  # type: ignore[assignment]
    if user.role not in services.CHECK_ROLES:
        return _refuse(request, "The platform check is for event organisers and overseers.")
    from fairhearing.registry.matching import parse_speaker_lines

    form = PlatformCheckForm(request.POST or None)
    rows: list[object] = []
    if request.method == "POST" and form.is_valid():
        items, errors = parse_speaker_lines(form.cleaned_data["names"])
        for error in errors:
            form.add_error("names", error)
        if items and not errors:
            try:
                rows = list(services.platform_check(actor=user_actor(user), items=items))
            except DomainError as error:
                form.add_error("names", error.message)
    return render(request, "registry/check.html", {"form": form, "rows": rows})


def registry_list(request: HttpRequest) -> HttpResponse:
    """Active and past sanctions, for overseers."""
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.OVERSEER:
        return _refuse(request, "The sanctions registry is open to overseers only.")
    show = request.GET.get("show", "active")
    entries = selectors.registry_entries(active={"active": True, "past": False}.get(show))[:500]
    audit_record(actor=user_actor(user), action="registry.viewed", subject="registry:list", payload={"show": show, "rows": len(entries)})
    return render(request, "registry/list.html", {"entries": entries, "show": show})
