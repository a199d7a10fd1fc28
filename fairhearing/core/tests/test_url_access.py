"""Every URL, and who may reach it. Deny by default: a URL not listed as public must send an
anonymous visitor to the sign-in page, and case pages open only for the people entitled to them."""

from __future__ import annotations

import re
import uuid

import pytest

from fairhearing.core.testing import named_urls, open_case

# URL names anyone may open without signing in. Adding a name here is a deliberate decision.
PUBLIC_URLS = {
    "core:home",
    "core:healthz",
    "accounts:login",
    "intake:complain",
    "intake:lookup",
    "reports:statistics",
}
# Public, but answer only with the right secret: the receipt (shown once, from the session), the
# complainant's pages (reference + receipt code) and the respondent's pages (a signed link).
PUBLIC_WITH_SECRET = {
    "intake:receipt",
    "intake:status",
    "intake:status_message",
    "intake:status_evidence",
    "intake:respond",
    "intake:respond_move",
    "intake:respond_evidence",
    "reports:download",
}
PUBLIC_PREFIXES = ("api:",)  # the API answers for itself: tokens, or reference + receipt code


ALL_URLS = named_urls()


def _concrete(route: str, case_id: str) -> str:
    path = re.sub(r"<uuid:[a-z_]+>", case_id, route)
    path = re.sub(r"<int:[a-z_]+>", "1", path)
    path = re.sub(r"<(str:|slug:)?[a-z_]+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


def _is_public(name: str) -> bool:
    return name in PUBLIC_URLS or name in PUBLIC_WITH_SECRET or name.startswith(PUBLIC_PREFIXES)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [u for u in ALL_URLS if u[0] in PUBLIC_WITH_SECRET])
def test_a_public_page_behind_a_secret_refuses_a_visitor_without_it(client, name, route):
    response = client.get(_concrete(route, str(uuid.uuid4())))
    assert response.status_code in (302, 400, 403, 404, 405, 410), f"{name} answered {response.status_code} without its secret"
    assert not response.get("Location", "").startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [u for u in ALL_URLS if not _is_public(u[0])])
def test_it_sends_an_anonymous_visitor_to_sign_in(client, name, route):
    response = client.get(_concrete(route, str(uuid.uuid4())))
    assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [u for u in ALL_URLS if u[0] in PUBLIC_URLS])
def test_it_lets_anyone_reach_a_public_page(client, name, route):
    response = client.get(_concrete(route, str(uuid.uuid4())))
    assert response.status_code == 200, f"{name} answered {response.status_code}"


CASE_PAGE_ACCESS = {
    # persona: status of the case page for a case assigned to `caseworker` only
    "caseworker": 200,
    "caseworker2": 404,
    "panel": 404,
    "reviewer": 404,
    "overseer": 200,
    "organiser": 404,
    "admin": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), sorted(CASE_PAGE_ACCESS.items()))
def test_a_case_page_opens_only_for_those_entitled(client, personas, persona, expected):
    case = open_case(personas)
    client.force_login(getattr(personas, persona))
    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["transition", "pause", "resume", "fast-track", "note", "assign"])
def test_a_case_action_is_refused_to_someone_not_assigned(client, personas, action):
    case = open_case(personas)
    client.force_login(personas.caseworker2)
    response = client.post(f"/cases/{case.public_id}/{action}/", {"reasons": "x" * 20, "text": "x"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_panel_member_sees_a_case_once_assigned(client, personas):
    from fairhearing.cases.services import case_assign

    case = open_case(personas)
    case_assign(actor=personas.actor("caseworker"), case=case, user=personas.panel, role="panel")
    client.force_login(personas.panel)
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    assert client.get(f"/cases/{open_case(personas).public_id}/").status_code == 404


@pytest.mark.django_db
def test_an_unassigned_new_case_is_in_every_caseworkers_intake_pool(client, personas):
    case = open_case(personas, assign=False)
    client.force_login(personas.caseworker2)
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    assert case.reference in client.get("/cases/?queue=new").content.decode()
