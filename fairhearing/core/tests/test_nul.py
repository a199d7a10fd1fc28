from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_is_a_clear_400(client):
    response = client.get("/statistics/?from=2026%00-01-01")
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_a_nul_in_an_api_query_is_a_problem_document(client):
    response = client.get("/api/v1/reports?from=2026-01-01%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_nul_in_an_api_body_is_refused_and_names_the_field(client):
    response = client.post("/api/v1/complaints/status", {"reference": "FH-AAAA-AAAA", "receipt_code": "a\x00b"}, content_type="application/json")
    assert response.status_code in (400, 422)
    assert "NUL" in response.content.decode()
