"""When the database cannot be reached: a plain 503 page instead of a server error.

While PostgreSQL restarts or fails over (or a SQLite file stays locked past its timeout), queries
raise ``OperationalError`` or ``InterfaceError`` for a few seconds. Each write is one transaction,
so a request that fails this way leaves nothing half-done; the person is told in plain words to
try again, with status 503 and ``Retry-After``, which load balancers and HTTP clients understand. The persistent connection that
failed is dropped at the end of the request and the next request opens a new one (the database
settings turn on ``CONN_HEALTH_CHECKS``), so service resumes as soon as the database is back.

The page is rendered without the request: the signed-in user, the session and the messages all
live in the database, and reading any of them would fail again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
TITLE = "This service is temporarily unavailable"


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when ``error``, or an error it was raised from or while handling, says the database
    cannot be used now. The context counts too: saving the session at the end of a request turns
    the database's error into "session interrupted" (a 400) without naming it as the cause."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The page, with status 503 and Retry-After."""
    html = render_to_string("503.html", {"organisation_name": settings.FAIRHEARING_ORGANISATION, "title": TITLE})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
