"""Property-based run of the published OpenAPI schema against the application (Schemathesis):
whatever a client sends, the API answers without a server error, with a documented status code
and content type, and with a body that matches the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fairhearing.api.services import api_token_create
from fairhearing.audit.models import AuditEvent
from fairhearing.core.actors import system_actor
from fairhearing.core.testing import open_case

pytestmark = pytest.mark.slow
EXAMPLES = 40
# Generated ids are random, so most requests to /cases/{public_id}/… stop at a 404. A second run
# puts a real case's id in the path, so the generated bodies reach the services.
ON_A_REAL_CASE = 20
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(db, settings):  # type: ignore[no-untyped-def]
    settings.FAIRHEARING_API_RATE_LIMITS = {"submit": (100000, 60), "lookup": (100000, 60), "token": (100000, 60)}
    # Requests run inside the test's transaction, so the handler must not close the connection
    # at the end of each request (Django's own test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# The overseer's endpoints are run with the overseer's token, every other with a caseworker's,
# so that the generated requests get past the permission checks and reach the services.
OVERSEER_PATHS = ("/api/v1/privacy/", "/api/v1/audit/")


@pytest.fixture
def bearers(personas) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    tokens: dict[str, Any] = {"case": str(open_case(personas).public_id)}
    for name, user, scopes in (
        ("caseworker", personas.caseworker, ["cases:read", "cases:write", "decisions:write", "privacy:write", "audit:write", "reports:read"]),
        ("overseer", personas.overseer, ["cases:read", "privacy:read", "privacy:write", "audit:write", "reports:read", "registry:check"]),
    ):
        _, text = api_token_create(actor=system_actor("test"), user=user, name="conformance", scopes=scopes)
        tokens[name] = {"Authorization": f"Bearer {text}"}
    return tokens


def _runner(operation, headers, examples=EXAMPLES, case_id=None):  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        if case_id is not None:
            case.path_parameters = {**(case.path_parameters or {}), "public_id": case_id}
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def test_every_answer_matches_the_schema_and_none_is_a_server_error(api_schema, bearers) -> None:  # type: ignore[no-untyped-def]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 45
    for operation in operations:
        headers = bearers["overseer" if operation.path.startswith(OVERSEER_PATHS) else "caseworker"]
        _runner(operation, headers)()
        if operation.path.startswith("/api/v1/cases/{public_id}"):
            _runner(operation, headers, ON_A_REAL_CASE, bearers["case"])()
    # The second run reached the services: the real case was read and acted on.
    actions = set(AuditEvent.objects.filter(subject=f"case:{bearers['case']}").values_list("action", flat=True))
    assert {"case.viewed", "panel.viewed"} <= actions and actions - {"case.viewed", "panel.viewed", "suggestion.viewed"}
