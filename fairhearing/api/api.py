"""The HTTP API, version 1: thin adapters over the same services and selectors as the web pages."""

from __future__ import annotations

import copy
from typing import Any

from ninja import NinjaAPI

from fairhearing.api import problems
from fairhearing.api.auth import TokenAuth
from fairhearing.api.casework import router as casework_router
from fairhearing.api.decisions import router as decisions_router
from fairhearing.api.intake_staff import router as intake_router
from fairhearing.api.oversight import router as oversight_router
from fairhearing.api.privacy import router as privacy_router
from fairhearing.api.public import router as public_router
from fairhearing.api.respondent import router as respondent_router
from fairhearing.api.staff import router as staff_router
from fairhearing.api.uploads import JSON, FormOrJsonParser

MULTIPART = "multipart/form-data"


def _without_files(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a multipart body: the same fields, no binary parts."""
    out = copy.deepcopy(schema)
    binary = [name for name, prop in out.get("properties", {}).items()
              if prop.get("format") == "binary" or prop.get("items", {}).get("format") == "binary"]
    for name in binary:
        del out["properties"][name]
    if "required" in out:
        out["required"] = [name for name in out["required"] if name not in binary]
    return out


def document_json_forms(schema: dict[str, Any]) -> dict[str, Any]:
    """Every form endpoint also reads its fields as a JSON object (see uploads.FormOrJsonParser)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if MULTIPART in content and JSON not in content:
                content[JSON] = {"schema": _without_files(content[MULTIPART]["schema"])}
    return schema


class FairhearingAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_json_forms(problems.document_problem_content(super().get_openapi_schema(*args, **kwargs)))


api = FairhearingAPI(
    title="fairhearing API",
    version="1",
    description="Submit and follow up complaints with evidence; reply as a respondent through the link; for staff with a token: "
                "cases, process steps, casework, the decision workspace, intake, privacy, oversight, statistics, the platform check. "
                "Errors are application/problem+json.",
    auth=TokenAuth(),
    parser=FormOrJsonParser(),
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
for router in (public_router, respondent_router, staff_router, casework_router, decisions_router, intake_router,
               privacy_router, oversight_router):
    api.add_router("", router)
