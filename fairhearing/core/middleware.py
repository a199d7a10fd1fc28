"""Refuse NUL characters in the address and query string before any view sees them.

No person types a NUL, PostgreSQL cannot store one, and a query with one would fail deep in the
database layer; answering 400 here gives a clear error instead. Request bodies are checked by
forms (Django's own validator) and by the API's input schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(raw):
            detail = "The address contains a NUL character (%00). Remove it and try again."
            if request.path.startswith("/api/"):
                body = {"type": "about:blank", "title": "Bad request", "status": 400, "detail": detail}
                return HttpResponse(json.dumps(body), status=400, content_type="application/problem+json")
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
