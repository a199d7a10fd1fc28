"""The API allows exactly what the web pages allow, through the same services, and every error
is a problem document that names what was wrong."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fairhearing.api.models import ApiToken
from fairhearing.api.services import api_token_create, api_token_revoke
from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError
from fairhearing.core.testing import open_case

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def get(client, path, token=None, **params):  # type: ignore[no-untyped-def]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", params, **headers)


def post(client, path, body, token=None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers)


COMPLAINT = {"category": "bullying", "respondent_name": "Jo Bloggs", "account": "Jo shouted at me at the branch meeting.",
             "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org"}


def test_the_schema_is_published_without_signing_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/complaints" in response.json()["paths"]


def test_a_complaint_submitted_by_api_can_be_followed_up_and_messaged(client) -> None:  # type: ignore[no-untyped-def]
    created = post(client, "/complaints", COMPLAINT)
    assert created.status_code == 201, created.content
    receipt = created.json()
    lookup = {"reference": receipt["reference"], "receipt_code": receipt["receipt_code"]}
    status = post(client, "/complaints/status", lookup)
    assert status.status_code == 200 and status.json()["reference"] == receipt["reference"]
    sent = post(client, "/complaints/messages", {**lookup, "text": "I have more screenshots."})
    assert sent.status_code == 201
    assert post(client, "/complaints/status", lookup).json()["messages"][0]["text"] == "I have more screenshots."
    from fairhearing.cases.models import Complaint

    assert Complaint.objects.get(reference=receipt["reference"]).channel == "api"


def test_a_wrong_receipt_code_is_a_404_problem(client) -> None:  # type: ignore[no-untyped-def]
    receipt = post(client, "/complaints", COMPLAINT).json()
    response = post(client, "/complaints/status", {"reference": receipt["reference"], "receipt_code": "WRONG-CODE"})
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert "do not match" in response.json()["detail"]


def test_a_missing_field_is_named_in_the_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/complaints", {**COMPLAINT, "category": "gossip", "account": ""})
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"category", "account"} <= fields


def test_the_service_rules_apply_as_on_the_web(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/complaints", {**COMPLAINT, "complainant_name": ""})
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "complainant_name"


def test_staff_endpoints_need_a_token(client) -> None:  # type: ignore[no-untyped-def]
    response = get(client, "/cases")
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM
    assert get(client, "/cases", token="fh_nope_nope").status_code == 401


def test_a_token_sees_only_the_cases_its_user_may_see(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    mine = open_case(personas)
    open_case(personas, respondent="Someone Else", assign=False)
    other = open_case(personas, respondent="Third Person")
    from fairhearing.cases.services import case_assign

    case_assign(actor=personas.actor("caseworker"), case=other, user=personas.caseworker2, role="caseworker")
    token = token_for("caseworker2", "cases:read")
    references = {c["reference"] for c in get(client, "/cases", token=token).json()["items"]}
    assert other.reference in references and mine.reference not in references
    assert get(client, f"/cases/{mine.public_id}", token=token).status_code == 404


def test_a_scope_the_token_lacks_is_a_403_problem_naming_it(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas)
    token = token_for("caseworker", "cases:read")
    response = post(client, f"/cases/{case.public_id}/transitions", {"transition": "acknowledge"}, token=token)
    assert response.status_code == 403 and "cases:write" in response.json()["detail"]


def test_a_transition_through_the_api_follows_the_process_rules(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas)
    token = token_for("caseworker", "cases:read", "cases:write")
    done = post(client, f"/cases/{case.public_id}/transitions", {"transition": "acknowledge"}, token=token)
    assert done.status_code == 200 and done.json()["stage"] == "triage"
    refused = post(client, f"/cases/{case.public_id}/transitions",
                   {"transition": "close_at_triage", "outcome": "out_of_scope"}, token=token)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "reasons"
    panel = token_for("panel", "cases:read", "cases:write")
    assert post(client, f"/cases/{case.public_id}/transitions", {"transition": "investigate"}, token=panel).status_code == 404


def test_the_organiser_runs_the_platform_check(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    token = token_for("organiser", "registry:check")
    response = post(client, "/platform-check", {"names": [{"name": "Nobody Known"}]}, token=token)
    assert response.status_code == 200 and response.json()[0]["verdict"] == "no_match"


def test_reports_come_with_suppression_and_name_a_bad_period(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    token = token_for("overseer", "reports:read")
    ok = get(client, "/reports", token=token, **{"from": "2026-01-01", "to": "2026-03-31"})
    assert ok.status_code == 200 and ok.json()["from"] == "2026-01-01"
    bad = get(client, "/reports", token=token, **{"from": "2026-03-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "before it starts" in bad.json()["detail"]


def test_rate_limits_answer_429_with_retry_after(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRHEARING_API_RATE_LIMITS = {"lookup": (2, 60)}
    body = {"reference": "FH-AAAA-AAAA", "receipt_code": "x"}
    codes = [post(client, "/complaints/status", body).status_code for _ in range(3)]
    assert codes[:2] == [404, 404] and codes[2] == 429
    last = post(client, "/complaints/status", body)
    assert last["Content-Type"] == PROBLEM and int(last["Retry-After"]) > 0


def test_revoked_and_expired_tokens_stop_working(client, personas, token_for) -> None:  # type: ignore[no-untyped-def]
    text = token_for("overseer", "cases:read")
    assert get(client, "/cases", token=text).status_code == 200
    api_token_revoke(actor=system_actor("test"), token=ApiToken.objects.get())
    assert get(client, "/cases", token=text).status_code == 401


def test_a_token_cannot_carry_a_scope_its_role_could_not_use(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="cannot use scope"):
        api_token_create(actor=system_actor("test"), user=personas.admin, name="x", scopes=["cases:read"])
    with pytest.raises(DomainError, match="Only an administrator"):
        api_token_create(actor=personas.actor("caseworker"), user=personas.caseworker, name="x", scopes=["cases:read"])


def test_the_command_prints_a_token_once_and_stores_only_its_hash(personas) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("api_token", "create", "casey", "--scopes", "cases:read", stdout=out, stderr=StringIO())
    text = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert text.startswith(f"fh_{token.prefix}_") and text.split("_", 2)[2] not in token.secret_hash
    with pytest.raises(CommandError, match="Unknown or missing scope"):
        call_command("api_token", "create", "casey", "--scopes", "everything", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("unexpected, status", [("database", 503), ("bug", 500)])
def test_a_database_that_cannot_be_reached_is_a_503_problem_with_retry_after(client, monkeypatch, unexpected, status) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    def fail(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("server closed the connection unexpectedly") if unexpected == "database" else RuntimeError("a bug")

    monkeypatch.setattr("fairhearing.intake.services.complaint_submit", fail)
    response = post(client, "/complaints", COMPLAINT)
    assert response.status_code == status and response["Content-Type"] == PROBLEM
    if status == 503:
        assert response["Retry-After"] == "30" and "nothing from this request was kept" in response.json()["detail"]
        assert "connection" not in response.json()["detail"], "the database's own message must not reach the client"
    else:
        assert "Retry-After" not in response
