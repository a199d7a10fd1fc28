"""A database that cannot be reached gives a plain 503 page, not a server error.

The real outage (a PostgreSQL server stopped under load) is in test_faults_database_restart.py;
these pin the mapping from error to page, quickly, on every run.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from fairhearing.core.errors import DomainError
from fairhearing.core.unavailable import is_database_unavailable, unavailable_response
from fairhearing.intake.forms import form_started_token

pytestmark = pytest.mark.django_db

VALID = {
    "complainant_name": "Sam Complainant", "respondent_name": "Jo Bloggs", "account": "Jo shouted abuse at the meeting.",
    "category": "bullying", "consent": "on",
}


def _submission_raising(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fail(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr("fairhearing.intake.views.services.complaint_submit", fail)


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   InterfaceError("connection already closed")])
def test_a_submission_that_cannot_reach_the_database_gets_a_plain_503_page(client, monkeypatch, error):
    _submission_raising(monkeypatch, error)
    client.raise_request_exception = False
    response = client.post("/complain/", {**VALID, "started": form_started_token()})
    assert response.status_code == 503
    page = response.content.decode()
    assert "temporarily unavailable" in page and "try again in a few minutes" in page
    assert "reference and receipt code" in page
    assert "connection" not in page, "the database's own message must not reach the page"
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"


def test_any_other_error_still_gets_the_server_error_page(client, monkeypatch):
    _submission_raising(monkeypatch, RuntimeError("a bug"))
    client.raise_request_exception = False
    response = client.post("/complain/", {**VALID, "started": form_started_token()})
    assert response.status_code == 500
    assert "temporarily unavailable" not in response.content.decode()


def test_the_page_reads_nothing_from_the_database_even_for_a_signed_in_user(personas, client, django_assert_num_queries):
    # The user, the session and the messages live in the database, which is what is down.
    client.force_login(personas.caseworker)
    request = RequestFactory().get("/cases/")
    request.COOKIES = dict(client.cookies.items())
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with django_assert_num_queries(0):
        response = unavailable_response(request)
    assert response.status_code == 503 and "Staff sign in" in response.content.decode()


def test_only_database_errors_and_errors_raised_from_them_count_as_unavailable():
    assert is_database_unavailable(OperationalError("gone"))
    assert is_database_unavailable(InterfaceError("closed"))
    try:
        try:
            raise OperationalError("gone")
        except OperationalError as cause:
            raise DomainError("could not save") from cause
    except DomainError as wrapped:
        assert is_database_unavailable(wrapped)
    assert not is_database_unavailable(RuntimeError("a bug"))
    assert not is_database_unavailable(None)


def _session_interrupted_by_the_database() -> Exception:
    """What SessionMiddleware raises when the session's save meets a database that has gone."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    try:
        try:
            try:
                raise OperationalError("server closed the connection unexpectedly")
            except OperationalError:
                raise UpdateError  # noqa: B904 - as Django's session store raises it
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904
    except SessionInterrupted as error:
        return error


def test_a_session_that_could_not_be_saved_because_the_database_went_is_a_503_not_a_400(rf):
    from fairhearing.core.views import bad_request

    error = _session_interrupted_by_the_database()
    assert is_database_unavailable(error)
    response = bad_request(rf.get("/complain/"), error)
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_a_bad_request_with_no_database_error_behind_it_stays_a_400(rf):
    from django.contrib.sessions.exceptions import SessionInterrupted

    from fairhearing.core.views import bad_request

    assert bad_request(rf.get("/complain/"), SessionInterrupted("deleted")).status_code == 400
    try:
        try:
            raise OperationalError("gone")
        except OperationalError:
            raise ValueError("unrelated") from None
    except ValueError as error:
        assert not is_database_unavailable(error), "a context suppressed with 'from None' does not count"
