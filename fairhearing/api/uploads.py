"""Request bodies of form endpoints and the files they carry.

An endpoint that takes files declares its fields as a ninja ``Form`` and its files as ``File``, so
it reads ``multipart/form-data``. The same fields may also come as a JSON object (without files),
so a client that has no files keeps sending JSON. Files are capped and checked exactly as on the
web forms: the intake app's size-capping upload handler runs first on every API request, and the
intake services check each file's content with ``fairhearing.intake.files.check_file``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja.errors import HttpError
from ninja.parser import Parser

from fairhearing.core.errors import DomainError
from fairhearing.intake.files import ALLOWED, MAX_FILE_BYTES, MAX_FILES, SizeLimitUploadHandler

JSON = "application/json"
BINARY = {"type": "string", "format": "binary"}
#: ``openapi_extra`` of an endpoint that answers with a stored evidence file, in its own content type.
FILE_RESPONSE = {"responses": {200: {"description": "The file, as it was received",
                                     "content": {content_type: {"schema": BINARY} for _, content_type, _ in ALLOWED.values()}}}}


class FormOrJsonParser(Parser):
    """Form fields from ``multipart/form-data`` or URL-encoded bodies, or from a JSON object."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        if data is request.POST and request.content_type == JSON:
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                raise HttpError(400, "The body is not valid JSON. Send a JSON object, or multipart/form-data to attach files.") from None
            if not isinstance(body, dict):
                raise HttpError(400, "The body must be a JSON object of fields, e.g. {\"text\": \"…\"}.")
            return body
        return super().parse_querydict(data, list_fields, request)


def with_upload_limit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Put the intake app's size-capping handler first, before the body is read, so a file over the
    limit is never written out whole; its name is left on ``request.oversize_files``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))  # type: ignore[union-attr]
        return view(request, *args, **kwargs)

    return wrapped


def uploaded(request: HttpRequest, files: list[Any] | None) -> list[Any]:
    """The uploaded files, after the checks the web forms make before the service sees them:
    a file dropped for its size is named, and at most MAX_FILES are taken."""
    oversize = list(getattr(request, "oversize_files", []))
    if oversize:
        names = ", ".join(oversize)
        raise DomainError(f"{names} {'is' if len(oversize) == 1 else 'are'} larger than {MAX_FILE_BYTES // 1048576} MB; "
                          "each file must be 10 MB or smaller. Make it smaller or split it, then send it again.", field="files")
    items = list(files or [])
    if len(items) > MAX_FILES:
        raise DomainError(f"Attach at most {MAX_FILES} files; you sent {len(items)}. Leave some out or combine them.", field="files")
    return items
