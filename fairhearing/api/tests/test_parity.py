"""Parity between the web pages and the API: nothing the pages can do is missing here, and
nothing they refuse is allowed here.

1. A table maps every web page action to its API operation; each operation exists in the
   published schema, every page of the site is either in the table or named with the reason it is
   not, and every API operation answers some page action.
2. For representative actions, the user the page lets act may act through the API, the user the
   page refuses is refused by the API with a 403 problem, and both write the same audit events.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fairhearing.api.services import api_token_create
from fairhearing.audit.models import AuditEvent
from fairhearing.audit.services import break_glass_grant
from fairhearing.cases.models import Case
from fairhearing.core import clock
from fairhearing.core.actors import system_actor, user_actor
from fairhearing.core.testing import Personas, named_urls, open_case
from fairhearing.decisions import services as decisions
from fairhearing.decisions.tests.helpers import clause, findings, pool, seated, to_decision, train
from fairhearing.workflow.services import case_transition

PROBLEM = "application/problem+json"
ID = "{public_id}"

# -- 1. the table -------------------------------------------------------------------------------------

#: (web page action, API operation). A page action is a URL name with its method; a workspace
#: action of the decisions page is named decisions:act:<action>.
PARITY: list[tuple[str, str]] = [
    # the public side
    ("POST intake:complain", "POST /complaints"),
    ("GET intake:receipt", "POST /complaints"),
    ("POST intake:lookup", "POST /complaints/status"),
    ("GET intake:status", "POST /complaints/status"),
    ("POST intake:status_message", "POST /complaints/messages"),
    ("POST intake:status_evidence", "POST /complaints/evidence"),
    ("GET intake:respond", "POST /respondent/pack"),
    ("POST intake:respond", "POST /respondent/replies"),
    ("POST intake:respond_move", "POST /respondent/hearing-move"),
    ("GET intake:respond_evidence", "POST /respondent/pack/file"),
    ("GET reports:statistics", "GET /statistics"),
    ("GET reports:statistics", "GET /reports"),
    ("GET reports:download", "GET /statistics"),
    # cases
    ("GET cases:queues", "GET /cases"),
    ("POST cases:record", "POST /cases"),
    ("GET cases:detail", f"GET /cases/{ID}"),
    ("POST cases:transition", f"POST /cases/{ID}/transitions"),
    ("POST cases:pause", f"POST /cases/{ID}/pause"),
    ("POST cases:resume", f"POST /cases/{ID}/resume"),
    ("POST cases:fast_track", f"POST /cases/{ID}/fast-track"),
    ("POST cases:note", f"POST /cases/{ID}/notes"),
    ("POST cases:assign", f"POST /cases/{ID}/assignment"),
    ("GET suggestions:case", f"GET /cases/{ID}/suggestions"),
    ("POST suggestions:decide", f"POST /suggestions/{ID}/decision"),
    ("POST reports:summary_new", f"POST /cases/{ID}/summary"),
    # the decision workspace
    ("GET decisions:workspace", f"GET /cases/{ID}/workspace"),
    ("POST decisions:act:draw", f"POST /cases/{ID}/panel"),
    ("POST decisions:act:recuse", f"POST /cases/{ID}/panel/recusal"),
    ("POST decisions:act:decide", f"POST /cases/{ID}/decision"),
    ("POST decisions:act:draw_reviewer", f"POST /cases/{ID}/review/reviewer"),
    ("POST decisions:act:review", f"POST /cases/{ID}/review"),
    ("POST decisions:act:schedule", f"POST /cases/{ID}/hearing"),
    ("POST decisions:act:postpone", f"POST /cases/{ID}/hearing/postponement"),
    ("POST decisions:act:hearing_outcome", f"POST /cases/{ID}/hearing/outcome"),
    ("POST decisions:act:issue", f"POST /cases/{ID}/decision/issue"),
    ("POST decisions:act:appeal", f"POST /cases/{ID}/appeal"),
    ("POST decisions:act:decide_appeal", f"POST /cases/{ID}/appeal/decision"),
    ("GET decisions:written", f"GET /cases/{ID}/written-decision"),
    ("GET decisions:written_pdf", f"GET /cases/{ID}/written-decision"),
    ("GET decisions:interests", "GET /interests"),
    ("POST decisions:interests", "POST /interests"),
    # intake, staff side
    ("GET intake:staff_complaints", "GET /intake/complaints"),
    ("GET intake:staff_complaint", f"GET /intake/complaints/{ID}"),
    ("POST intake:staff_reply", f"POST /intake/complaints/{ID}/reply"),
    ("POST intake:staff_unlink", f"POST /intake/complaints/{ID}/unlink"),
    ("POST intake:staff_link", f"POST /intake/complaints/{ID}/link"),
    ("GET intake:staff_evidence", f"GET /evidence/{ID}"),
    ("GET intake:spam_queue", "GET /intake/spam"),
    ("POST intake:spam_decide", "POST /intake/spam/{complaint}"),
    # privacy
    ("GET privacy:requests", "GET /privacy/requests"),
    ("POST privacy:requests", "POST /privacy/requests"),
    ("GET privacy:request", f"GET /privacy/requests/{ID}"),
    ("POST privacy:request", f"POST /privacy/requests/{ID}/completion"),
    ("POST privacy:export", f"POST /privacy/requests/{ID}/export"),
    ("POST privacy:hold", f"POST /cases/{ID}/legal-hold"),
    ("POST privacy:lift", f"POST /legal-holds/{ID}/lift"),
    # registry and oversight
    ("POST registry:check", "POST /platform-check"),
    ("POST audit:verify", "POST /audit/verify"),
    ("POST audit:break_glass", "POST /break-glass"),
    ("POST audit:break_glass_end", f"POST /break-glass/{ID}/end"),
    ("POST audit:contact_record", f"POST /cases/{ID}/contacts"),
]

#: Pages with no API operation, and why.
NOT_IN_API: dict[str, str] = {
    "accounts:login": "signing in makes a session; programs send a token instead",
    "accounts:logout": "ends a session; a token is revoked with `fairhearing api-token revoke`",
    "accounts:two_factor_verify": "the code check belongs to a session; a token is its own credential",
    "accounts:two_factor_enrol": "the code check belongs to a session; a token is its own credential",
    "accounts:two_factor_staff": "an administrator's page about sign-in; `fairhearing two-factor list` on the server",
    "accounts:two_factor_reset": "an administrator's page about sign-in; `fairhearing two-factor reset` on the server",
    "core:home": "a start page with no data of its own",
    "core:healthz": "the load balancer's health check, outside the API",
    "audit:dashboard": "the overseer's reading page: not in API v1",
    "audit:events": "the overseer reads the audit log on its page or verifies it through POST /audit/verify",
    "audit:contacts": "the overseer's contact register: not in API v1",
    "audit:contacts_person": "the overseer's contact register: not in API v1",
    "audit:contacts_case": "the overseer's contact register: not in API v1",
    "conduct:list": "the code of conduct is read on its pages; the API takes clause identifiers",
    "conduct:version": "the code of conduct is read on its pages; the API takes clause identifiers",
    "conduct:clause": "the code of conduct is read on its pages; the API takes clause identifiers",
    "conduct:compare": "the code of conduct is read on its pages; the API takes clause identifiers",
    "registry:list": "the overseer's reading page of the sanctions register: not in API v1",
    "decisions:pool": "the administrator's page of the panel and reviewer pool: administrators hold no API scope in v1",
    "decisions:pool_member": "the administrator's page of the panel and reviewer pool: administrators hold no API scope in v1",
    "decisions:pool_remove": "the administrator's page of the panel and reviewer pool: administrators hold no API scope in v1",
}


def _schema_operations(client: Client) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return {f"{method.upper()} {path.removeprefix('/api/v1')}" for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_in_the_table_is_in_the_published_schema(client) -> None:  # type: ignore[no-untyped-def]
    published = _schema_operations(client)
    missing = sorted({api for _, api in PARITY} - published)
    assert not missing, f"in the parity table but not in the schema: {missing}"


def test_every_api_operation_answers_some_page_action(client) -> None:  # type: ignore[no-untyped-def]
    unmatched = sorted(_schema_operations(client) - {api for _, api in PARITY})
    assert not unmatched, f"API operations that no web page offers: {unmatched}"


def test_every_page_and_every_workspace_action_is_in_the_table_or_named_as_not_in_the_api() -> None:
    from fairhearing.decisions.views import ACTIONS

    covered = {web.split(" ", 1)[1] for web, _ in PARITY}
    pages = {name for name, _ in named_urls() if not name.startswith("api:") and name != "decisions:act"}
    assert not covered & set(NOT_IN_API), "a page is both mapped and excused"
    unexplained = sorted(pages - covered - set(NOT_IN_API))
    assert not unexplained, f"pages with neither an API operation nor a reason: {unexplained}"
    actions = sorted(f"decisions:act:{key}" for key in ACTIONS if f"decisions:act:{key}" not in covered)
    assert not actions, f"workspace actions with no API operation: {actions}"
    assert not set(NOT_IN_API) - {name for name, _ in named_urls()}, "an excused page no longer exists"


# -- 2. the same user permitted, the same user refused, the same audit events ----------------------------

REASONS = "The messages were repeated and intimidating, contrary to BUL-1."
READS = (".viewed", ".listed")


@dataclass
class Scenario:
    """One page action and its API operation. ``build`` makes a fresh case (or object) for each
    side; ``allowed`` and ``refused`` pick the users; ``glass`` gives the refused user break-glass
    sight of the case first, so the refusal is about acting, not seeing."""

    name: str
    build: Callable[[Personas], dict[str, Any]]
    web: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
    api: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
    scope: str
    allowed: Callable[[Personas, dict[str, Any]], Any]
    refused: Callable[[Personas, dict[str, Any]], Any]
    action: str
    glass: bool = False
    refused_status: int = 403
    extra_scopes: list[str] = field(default_factory=list)


def _triage(p: Personas) -> dict[str, Any]:
    case = open_case(p, category="bullying")
    case_transition(actor=p.actor("caseworker"), case=case, transition_key="acknowledge")
    return {"case": case}


def _received(p: Personas) -> dict[str, Any]:
    return {"case": open_case(p, category="bullying")}


def _decision(p: Personas) -> dict[str, Any]:
    return {"case": to_decision(p)}


def _drawn(p: Personas, category: str = "bullying", clause_id: str = "BUL-1") -> dict[str, Any]:
    case = to_decision(p, category=category, clause_id=clause_id)
    decisions.panel_draw(actor=p.actor("caseworker"), case=case)
    return {"case": case, "clause": clause_id}


def _decided(p: Personas, outcome: str, category: str = "bullying", clause_id: str = "BUL-1") -> dict[str, Any]:
    built = _drawn(p, category, clause_id)
    case = built["case"]
    decisions.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome=outcome, findings=findings(case, clause_id),
                              reasons=REASONS, band_departure_reason="The panel departs from the guidance for stated reasons.")
    case.refresh_from_db()
    return built


def _unreviewed(p: Personas) -> dict[str, Any]:
    """A decision awaiting review with no reviewer (none was eligible then), and one eligible now."""
    train(p, p.reviewer, until=None)
    built = _decided(p, "formal_warning", "antisemitism", "AS-2")
    train(p, p.reviewer)
    return built


def _issued(p: Personas) -> dict[str, Any]:
    built = _decided(p, "formal_warning")
    decisions.decision_issue(actor=p.actor("caseworker"), case=built["case"])
    return built


def _closed(p: Personas) -> dict[str, Any]:
    built = _triage(p)
    case_transition(actor=p.actor("caseworker"), case=built["case"], transition_key="close_at_triage",
                    reasons="The conduct is outside the code's scope.", outcome="out_of_scope")
    return built


def _held(p: Personas) -> dict[str, Any]:
    from fairhearing.intake.services import complaint_submit
    from fairhearing.intake.tests.helpers import data

    # A respondent of its own each time, so the released complaint opens a case rather than joining one.
    respondent = f"Jo Bloggs {Case.objects.count() + 1}"
    result = complaint_submit(data=data(respondent_name=respondent), ip="192.0.2.7", fill_seconds=0.1)
    assert result.held
    return {"hold": result.complaint.spam_hold, "complaint": result.complaint}


def _web_decide(ctx: dict[str, Any]) -> dict[str, Any]:
    case = ctx["case"]
    allegation = case.allegations.first().public_id
    return {"decide-outcome": "formal_warning", "decide-reasons": REASONS, f"decide-{allegation}-upheld": "yes",
            f"decide-{allegation}-clause": str(clause("BUL-1").pk), f"decide-{allegation}-text": "The account is supported by the screenshots provided."}


def _api_decide(ctx: dict[str, Any]) -> dict[str, Any]:
    case = ctx["case"]
    return {"outcome": "formal_warning", "reasons": REASONS, "findings": [
        {"allegation": str(a.public_id), "clause": "BUL-1", "upheld": True, "text": "The account is supported by the screenshots provided."}
        for a in case.allegations.all()]}


def _case(ctx: dict[str, Any]) -> str:
    return str(ctx["case"].public_id)


def _act(name: str, ctx: dict[str, Any]) -> str:
    return reverse("decisions:act", args=[ctx["case"].public_id, name])


def _persona(name: str) -> Callable[[Personas, dict[str, Any]], Any]:
    return lambda p, ctx: getattr(p, name)


def _seated(p: Personas, ctx: dict[str, Any]) -> Any:
    return seated(ctx["case"])[0]


LATER = "2099-01-01T10:00:00+00:00"

SCENARIOS = [
    Scenario("take a process step", _received,
             lambda c: (reverse("cases:transition", args=[c["case"].public_id]), {"transition": "acknowledge"}),
             lambda c: (f"/cases/{_case(c)}/transitions", {"transition": "acknowledge"}),
             "cases:write", _persona("caseworker"), _persona("caseworker2"), "case.transitioned", glass=True),
    Scenario("pause the clock", _triage,
             lambda c: (reverse("cases:pause", args=[c["case"].public_id]), {"kind": "awaiting_complainant", "reason": "Waiting for the screenshots."}),
             lambda c: (f"/cases/{_case(c)}/pause", {"kind": "awaiting_complainant", "reason": "Waiting for the screenshots."}),
             "cases:write", _persona("caseworker"), _persona("caseworker2"), "case.paused", glass=True),
    Scenario("add a note", _triage,
             lambda c: (reverse("cases:note", args=[c["case"].public_id]), {"text": "Called the complainant back."}),
             lambda c: (f"/cases/{_case(c)}/notes", {"text": "Called the complainant back."}),
             "cases:write", _persona("caseworker"), _persona("caseworker2"), "case.note_added", glass=True),
    Scenario("reply to the complainant", _triage,
             lambda c: (reverse("intake:staff_reply", args=[c["case"].complaints.first().public_id]), {"text": "We have your complaint."}),
             lambda c: (f"/intake/complaints/{c['case'].complaints.first().public_id}/reply", {"text": "We have your complaint."}),
             "cases:write", _persona("caseworker"), _persona("caseworker2"), "complaint.message_sent", glass=True),
    Scenario("release a held submission", _held,
             lambda c: (reverse("intake:spam_decide", args=[c["hold"].pk]), {"decision": "release"}),
             lambda c: (f"/intake/spam/{c['complaint'].public_id}", {"decision": "release"}),
             "cases:write", _persona("caseworker"), _persona("panel"), "complaint.spam_reviewed"),
    Scenario("draw the panel", _decision,
             lambda c: (_act("draw", c), {}), lambda c: (f"/cases/{_case(c)}/panel", {}),
             "decisions:write", _persona("caseworker"), _persona("caseworker2"), "panel.drawn", glass=True),
    Scenario("recuse from the panel", _drawn,
             lambda c: (_act("recuse", c), {"recuse-reason": "I know the respondent from work."}),
             lambda c: (f"/cases/{_case(c)}/panel/recusal", {"reason": "I know the respondent from work."}),
             "decisions:write", _seated, _persona("caseworker"), "panel.recused"),
    Scenario("record the panel's decision", _drawn,
             lambda c: (_act("decide", c), _web_decide(c)), lambda c: (f"/cases/{_case(c)}/decision", _api_decide(c)),
             "decisions:write", _seated, _persona("caseworker"), "decision.recorded"),
    Scenario("verify the decision", lambda p: _decided(p, "formal_warning", "antisemitism", "AS-2"),
             lambda c: (_act("review", c), {"review-verdict": "verified", "review-reasons": "The findings follow from the evidence."}),
             lambda c: (f"/cases/{_case(c)}/review", {"verdict": "verified", "reasons": "The findings follow from the evidence."}),
             "decisions:write", _persona("reviewer"), _persona("caseworker"), "review.verified"),
    Scenario("draw a reviewer later", _unreviewed,
             lambda c: (_act("draw_reviewer", c), {}), lambda c: (f"/cases/{_case(c)}/review/reviewer", {}),
             "decisions:write", _persona("caseworker"), _persona("caseworker2"), "review.reviewer_drawn", glass=True),
    Scenario("schedule the hearing", lambda p: _decided(p, "referral_for_expulsion"),
             lambda c: (_act("schedule", c), {"schedule-starts_at": "2099-01-01 10:00", "schedule-place": "Head office, room 2"}),
             lambda c: (f"/cases/{_case(c)}/hearing", {"starts_at": LATER, "place": "Head office, room 2"}),
             "decisions:write", _persona("caseworker"), _seated, "hearing.scheduled"),
    Scenario("issue the written decision", lambda p: _decided(p, "formal_warning"),
             lambda c: (_act("issue", c), {}), lambda c: (f"/cases/{_case(c)}/decision/issue", {}),
             "decisions:write", _persona("caseworker"), _persona("caseworker2"), "decision.issued", glass=True),
    Scenario("lodge an appeal", _issued,
             lambda c: (_act("appeal", c), {"appeal-appellant": "respondent", "appeal-grounds": "The panel ignored my apology."}),
             lambda c: (f"/cases/{_case(c)}/appeal", {"appellant": "respondent", "grounds": "The panel ignored my apology."}),
             "decisions:write", _persona("caseworker"), _persona("caseworker2"), "appeal.lodged", glass=True),
    Scenario("declare an interest", lambda p: {},
             lambda c: (reverse("decisions:interests"), {"kind": "branch", "value": "Northtown"}),
             lambda c: ("/interests", {"kind": "branch", "value": "Northtown"}),
             "decisions:write", _persona("panel"), _persona("caseworker"), "pool.interest_declared"),
    Scenario("place a legal hold", _triage,
             lambda c: (reverse("privacy:hold", args=[c["case"].public_id]), {"reason": "A claim is expected in court."}),
             lambda c: (f"/cases/{_case(c)}/legal-hold", {"reason": "A claim is expected in court."}),
             "privacy:write", _persona("caseworker"), _persona("caseworker2"), "legal_hold.placed", glass=True),
    Scenario("record a data-subject request", lambda p: {},
             lambda c: (reverse("privacy:requests"), {"kind": "access", "subject_name": "Chris Complainant"}),
             lambda c: ("/privacy/requests", {"kind": "access", "subject_name": "Chris Complainant"}),
             "privacy:write", _persona("overseer"), _persona("caseworker"), "subject_request.recorded"),
    Scenario("publish a summary", _closed,
             lambda c: (reverse("reports:summary_new", args=[c["case"].public_id]),
                        {"text": "A complaint about conduct outside the code's scope was closed at triage with reasons."}),
             lambda c: (f"/cases/{_case(c)}/summary", {"text": "A complaint about conduct outside the code's scope was closed at triage with reasons."}),
             "cases:write", _persona("caseworker"), _persona("caseworker2"), "summary.published", glass=True),
    Scenario("record an outside contact", _triage,
             lambda c: (reverse("audit:contact_record", args=[c["case"].public_id]),
                        {"contact_name": "A. Leader", "occurred_at": "2026-01-05 09:00", "channel": "phone", "request": "Asked when the case will close."}),
             lambda c: (f"/cases/{_case(c)}/contacts",
                        {"contact_name": "A. Leader", "occurred_at": "2026-01-05T09:00:00+00:00", "channel": "phone", "request": "Asked when the case will close."}),
             "audit:write", _persona("caseworker"), _persona("caseworker2"), "contact.recorded", refused_status=404),
    Scenario("take break-glass access", _triage,
             lambda c: (reverse("audit:break_glass"), {"reference": c["case"].reference, "reason": "The assigned caseworker is ill and the complainant called.", "hours": 2}),
             lambda c: ("/break-glass", {"reference": c["case"].reference, "reason": "The assigned caseworker is ill and the complainant called.", "hours": 2}),
             "audit:write", _persona("caseworker2"), _persona("overseer"), "access.break_glass_granted"),
    Scenario("verify the audit log", lambda p: {},
             lambda c: (reverse("audit:verify"), {}), lambda c: ("/audit/verify", {}),
             "audit:write", _persona("overseer"), _persona("caseworker"), "audit.verified"),
]


def _mark() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _written_since(seq: int) -> list[str]:
    """Actions written after ``seq``, reads left out (pages and endpoints record views differently)."""
    return [a for a in AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True) if not a.endswith(READS)]


def _web(user: Any, url: str, data: dict[str, Any]) -> tuple[Any, list[str]]:
    client = Client()
    client.force_login(user)
    seq = _mark()
    response = client.post(url, data)
    return response, _written_since(seq)


def _api(user: Any, scopes: list[str], path: str, body: dict[str, Any]) -> tuple[Any, list[str]]:
    _, token = api_token_create(actor=system_actor("test"), user=user, name="parity", scopes=scopes)
    seq = _mark()
    response = Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response, _written_since(seq)


@pytest.fixture
def world(personas, default_code):  # type: ignore[no-untyped-def]
    pool(personas)
    return personas


def _glass(user: Any, case: Case) -> None:
    break_glass_grant(actor=user_actor(user), case=case, reason="Covering for a colleague who is away this week.", hours=2)


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_user_the_page_lets_act_may_act_through_the_api_with_the_same_audit_events(world, scenario) -> None:  # type: ignore[no-untyped-def]
    on_web = scenario.build(world)
    user = scenario.allowed(world, on_web)
    response, web_events = _web(user, *scenario.web(on_web))
    assert response.status_code in (200, 302), response.content[:500]
    assert scenario.action in web_events, f"the page did not act: {web_events}"

    on_api = scenario.build(world)
    user = scenario.allowed(world, on_api)
    response, api_events = _api(user, [scenario.scope, *scenario.extra_scopes], *scenario.api(on_api))
    assert 200 <= response.status_code < 300, response.content[:500]
    assert api_events == web_events


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_user_the_page_refuses_is_refused_by_the_api(world, scenario) -> None:  # type: ignore[no-untyped-def]
    on_web = scenario.build(world)
    user = scenario.refused(world, on_web)
    if scenario.glass:
        _glass(user, on_web["case"])
    response, web_events = _web(user, *scenario.web(on_web))
    assert scenario.action not in web_events, "the page let the refused user act"
    assert response.status_code in (302, 400, 403, 404)

    on_api = scenario.build(world)
    user = scenario.refused(world, on_api)
    if scenario.glass:
        _glass(user, on_api["case"])
    response, api_events = _api(user, [scenario.scope, *scenario.extra_scopes], *scenario.api(on_api))
    assert response.status_code == scenario.refused_status and response["Content-Type"] == PROBLEM, response.content[:500]
    assert response.json()["detail"]
    assert api_events == [], f"a refused request wrote {api_events}"


@pytest.mark.django_db
def test_a_token_without_the_scope_is_refused_before_the_service_is_asked(world) -> None:  # type: ignore[no-untyped-def]
    case = _drawn(world)["case"]
    response, events = _api(world.caseworker, ["cases:read", "cases:write"], f"/cases/{case.public_id}/panel", {})
    assert response.status_code == 403 and response.json()["type"].endswith("scope-missing")
    assert "decisions:write" in response.json()["detail"] and events == []


@pytest.mark.django_db
def test_a_break_glass_grant_shows_the_case_through_the_api_but_never_lets_its_holder_act(world) -> None:  # type: ignore[no-untyped-def]
    case = _triage(world)["case"]
    _, token = api_token_create(actor=system_actor("test"), user=world.caseworker2, name="t", scopes=["cases:read", "cases:write"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get(f"/api/v1/cases/{case.public_id}", **headers).status_code == 404
    _glass(world.caseworker2, case)
    seen = Client().get(f"/api/v1/cases/{case.public_id}", **headers)
    assert seen.status_code == 200 and seen.json()["can_manage"] is False and seen.json()["transitions"] == []
    with clock.frozen(clock.now() + timedelta(hours=3)):
        assert Client().get(f"/api/v1/cases/{case.public_id}", **headers).status_code == 404
