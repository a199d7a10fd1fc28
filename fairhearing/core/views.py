from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fairhearing.core.unavailable import is_database_unavailable, unavailable_response


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - report, never raise, from a health check
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_database_unavailable(exception):  # e.g. the session could not be saved
        return unavailable_response(request)
    return _error(request, 400, "Something was wrong with that request", "Go back and try again. If it keeps happening, contact us.")


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "You cannot see this page", "Your account does not give access to it. Access to cases is limited to the people assigned to them.")


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Page not found", "Check the address, or go back to the start.")


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a database that cannot be reached gets the 503 page of core.unavailable instead."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return _error(request, 500, "Sorry, something went wrong on our side", "Nothing you sent has been lost. Please try again in a few minutes.")
