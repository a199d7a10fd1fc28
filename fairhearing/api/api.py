"""The HTTP API, version 1: thin adapters over the same services and selectors as the web pages."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from fairhearing.api import problems
from fairhearing.api.auth import TokenAuth
from fairhearing.api.public import router as public_router
from fairhearing.api.staff import router as staff_router


class FairhearingAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return problems.document_problem_content(super().get_openapi_schema(*args, **kwargs))


api = FairhearingAPI(
    title="fairhearing API",
    version="1",
    description="Submit and follow up complaints; for staff with a token: cases, process steps, statistics, the platform check. "
                "Errors are application/problem+json.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
api.add_router("", public_router)
api.add_router("", staff_router)
