"""Errors as RFC 9457 problem details (``application/problem+json``) that say what was wrong."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fairhearing.api.ratelimit import Limited
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.unavailable import RETRY_AFTER_SECONDS, TITLE, is_database_unavailable

log = logging.getLogger("fairhearing.api")
CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://fairhearing.invalid/problems/"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


ERROR_CODES = (400, 401, 403, 404, 413, 422, 429)
ERRORS: dict[int, Any] = dict.fromkeys(ERROR_CODES, Problem)
#: The respondent's endpoints also answer 410 for a link that has expired or been replaced.
LINK_ERRORS: dict[int, Any] = {**ERRORS, 410: Problem}


class ScopeMissing(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class NotFound(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Gone(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def problem(api: NinjaAPI, request: HttpRequest, status: int, kind: str, title: str, detail: str,
            errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = CONTENT_TYPE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data", "form", "file")]
    return ".".join(parts) or "request"


def install(api: NinjaAPI) -> None:
    """Register a handler for every error the API can raise."""

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _location(e.get("loc", ())), "message": str(e.get("msg", "is not valid"))} for e in exc.errors]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "The request is not valid."
        return problem(api, request, 422, "invalid-request", "The request is not valid", detail, errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(api, request, 401, "unauthenticated", "Authentication required",
                       "Send a valid, unexpired API token as 'Authorization: Bearer fh_…'.", headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(ScopeMissing)
    def scope_missing(request: HttpRequest, exc: ScopeMissing) -> HttpResponse:
        return problem(api, request, 403, "scope-missing", "The token lacks a scope",
                       f"This needs a token with the '{exc.scope}' scope; ask an administrator for one.")

    @api.exception_handler(NotPermitted)
    def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
        return problem(api, request, 403, "not-permitted", "Not permitted", exc.message)

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return problem(api, request, 400, "refused", "The request was refused", exc.message, errors)

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return problem(api, request, 404, "not-found", "Not found", exc.detail)

    @api.exception_handler(Gone)
    def gone(request: HttpRequest, exc: Gone) -> HttpResponse:
        return problem(api, request, 410, "gone", "No longer available", exc.detail)

    @api.exception_handler(Http404)
    def http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, "not-found", "Not found", str(exc) or "Nothing is there, or you may not see it.")

    @api.exception_handler(Limited)
    def limited(request: HttpRequest, exc: Limited) -> HttpResponse:
        return problem(api, request, 429, "rate-limited", "Too many requests",
                       f"At most {exc.limit} requests per {exc.window} seconds here; try again in {exc.retry_after} seconds.",
                       headers={"Retry-After": str(exc.retry_after)})

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(api, request, 413, "too-large", "The request is too large",
                       "The fields of this request are too large. Keep text fields within their documented lengths "
                       "and send files as files (multipart/form-data), each 10 MB or smaller.")

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return problem(api, request, 400, "malformed-body", "The request body could not be read",
                       "The body has too many fields or files, or is malformed. Send at most 5 files and only the documented fields.")

    @api.exception_handler(MultiPartParserError)
    def multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return problem(api, request, 400, "malformed-body", "The request body could not be read",
                       "The multipart/form-data body is malformed; let the HTTP library build it, with a boundary in the Content-Type.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, exc.status_code, "http-error", "Request failed", str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_database_unavailable(exc):
            # Each write is one transaction, so nothing was half-done: say so and when to retry.
            log.warning("API request refused while the database is unavailable: %s", exc)
            return problem(api, request, 503, "unavailable", TITLE,
                           "The database cannot be reached just now, so nothing from this request was kept. "
                           f"Send it again in {RETRY_AFTER_SECONDS} seconds.",
                           headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        log.exception("unexpected API error")
        return problem(api, request, 500, "server-error", "Server error", "Something went wrong on our side; it has been logged.")


def document_problem_content(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare error responses as application/problem+json in the OpenAPI document."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(code).startswith(("4", "5")) and "application/json" in content:
                    response["content"] = {CONTENT_TYPE: content["application/json"]}
    return schema
