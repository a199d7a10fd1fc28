"""Need-to-know: each role sees exactly the cases it should, break-glass grants widen that for a
limited time only, and every view of case data writes an access event."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fairhearing.accounts.permissions import can_manage_case, visible_cases
from fairhearing.audit.models import AuditEvent, BreakGlassGrant, StatedReason
from fairhearing.audit.services import break_glass_end, break_glass_grant
from fairhearing.cases.models import Assignment, Notification
from fairhearing.cases.services import case_assign
from fairhearing.core import clock
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.core.testing import aware, open_case

REASON = "The assigned caseworker is off sick and the respondent is on the phone now."


@pytest.fixture
def cases(personas):  # type: ignore[no-untyped-def]
    """mine: assigned to caseworker, with panel and reviewer; other: caseworker2's; pool: unassigned."""
    mine = open_case(personas, respondent="Ann Example")
    for user, role in ((personas.panel, "panel"), (personas.reviewer, "reviewer")):
        Assignment.objects.create(case=mine, user=user, role=role, assigned_at=clock.now())
    other = open_case(personas, respondent="Bo Example", assign=False)
    case_assign(actor=personas.actor("caseworker2"), case=other, user=personas.caseworker2, role="caseworker")
    pool = open_case(personas, respondent="Cy Example", assign=False)
    return {"mine": mine, "other": other, "pool": pool}


EXPECTED = {
    "caseworker": {"mine", "pool"},
    "caseworker2": {"other", "pool"},
    "panel": {"mine"},
    "panel2": set(),
    "reviewer": {"mine"},
    "overseer": {"mine", "other", "pool"},
    "organiser": set(),
    "admin": set(),
}


@pytest.mark.parametrize(("persona", "expected"), sorted(EXPECTED.items()))
def test_each_role_sees_exactly_its_cases(personas, cases, persona, expected):
    seen = set(visible_cases(getattr(personas, persona)).values_list("pk", flat=True))
    assert seen == {cases[name].pk for name in expected}


def test_an_inactive_user_sees_nothing(personas, cases):
    personas.overseer.is_active = False
    personas.overseer.save()
    assert not visible_cases(personas.overseer).exists()


def test_an_ended_assignment_hides_the_case_again(personas, cases):
    Assignment.objects.filter(case=cases["mine"], user=personas.panel).update(active=False)
    assert not visible_cases(personas.panel).filter(pk=cases["mine"].pk).exists()


def test_break_glass_shows_the_case_for_the_granted_hours_only(personas, cases):
    with clock.frozen(aware(2026, 3, 2, 10)):
        grant = break_glass_grant(actor=personas.actor("caseworker"), case=cases["other"], reason=REASON, hours=2)
        assert visible_cases(personas.caseworker).filter(pk=cases["other"].pk).exists()
    with clock.frozen(aware(2026, 3, 2, 10) + timedelta(hours=2, seconds=1)):
        assert not visible_cases(personas.caseworker).filter(pk=cases["other"].pk).exists()
    assert grant.reason == REASON


def test_break_glass_never_lets_its_holder_act_on_the_case(personas, cases):
    break_glass_grant(actor=personas.actor("caseworker"), case=cases["other"], reason=REASON)
    assert not can_manage_case(personas.caseworker, cases["other"])
    with pytest.raises(NotPermitted):
        case_assign(actor=personas.actor("caseworker"), case=cases["other"], user=personas.caseworker, role="caseworker")


def test_break_glass_is_audited_and_tells_every_overseer_once(personas, cases):
    grant = break_glass_grant(actor=personas.actor("panel2"), case=cases["mine"], reason=REASON)
    event = AuditEvent.objects.get(action="access.break_glass_granted")
    assert event.subject == f"case:{cases['mine'].public_id}" and REASON not in event.payload
    cited = json.loads(event.payload)["reason"]
    assert StatedReason.objects.get(public_id=cited["stated_reason"]).text == REASON  # erasable, outside the chain
    notices = Notification.objects.filter(kind="break_glass")
    assert [n.recipient_user for n in notices] == [personas.overseer]
    assert cases["mine"].reference in notices[0].subject and REASON in notices[0].body
    with pytest.raises(DomainError, match="already hold"):
        break_glass_grant(actor=personas.actor("panel2"), case=cases["mine"], reason=REASON)
    assert Notification.objects.filter(kind="break_glass").count() == 1
    assert grant.expires_at - grant.granted_at == timedelta(hours=2)


@pytest.mark.parametrize("persona", ["admin", "organiser", "overseer"])
def test_break_glass_is_refused_to_roles_outside_case_work(personas, cases, persona):
    with pytest.raises(NotPermitted):
        break_glass_grant(actor=personas.actor(persona), case=cases["mine"], reason=REASON)
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_needs_a_real_reason(personas, cases):
    with pytest.raises(MissingInformation, match="at least 20 characters"):
        break_glass_grant(actor=personas.actor("panel2"), case=cases["mine"], reason="   urgent   ")


def test_break_glass_is_refused_when_the_case_is_already_visible(personas, cases):
    with pytest.raises(DomainError, match="already see"):
        break_glass_grant(actor=personas.actor("caseworker"), case=cases["mine"], reason=REASON)


def test_a_grant_ended_early_hides_the_case_and_is_audited(personas, cases):
    grant = break_glass_grant(actor=personas.actor("panel2"), case=cases["mine"], reason=REASON)
    break_glass_end(actor=personas.actor("overseer"), grant=grant)
    assert not visible_cases(personas.panel2).filter(pk=cases["mine"].pk).exists()
    assert AuditEvent.objects.filter(action="access.break_glass_ended").count() == 1
    with pytest.raises(DomainError, match="already ended"):
        break_glass_end(actor=personas.actor("panel2"), grant=grant)


def test_only_the_holder_or_the_overseer_may_end_a_grant(personas, cases):
    grant = break_glass_grant(actor=personas.actor("panel2"), case=cases["mine"], reason=REASON)
    with pytest.raises(NotPermitted):
        break_glass_end(actor=personas.actor("caseworker"), grant=grant)


def test_the_break_glass_page_grants_access_and_opens_the_case(client, personas, cases):
    client.force_login(personas.panel2)
    response = client.post("/audit/break-glass/", {"reference": cases["other"].reference.lower(), "reason": REASON, "hours": 1})
    assert response.status_code == 302 and response["Location"] == f"/cases/{cases['other'].public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    viewed = AuditEvent.objects.filter(action="case.viewed", subject=f"case:{cases['other'].public_id}").last()
    assert viewed is not None and str(personas.panel2.public_id) in viewed.actor


def test_the_break_glass_page_keeps_what_was_typed_and_names_the_problem(client, personas, cases):
    client.force_login(personas.panel2)
    response = client.post("/audit/break-glass/", {"reference": "FH-0000-99999", "reason": REASON, "hours": 1})
    assert response.status_code == 200
    assert b"No case has that reference" in response.content and REASON.encode() in response.content
    assert not BreakGlassGrant.objects.exists()


def test_the_break_glass_page_is_closed_to_the_administrator(client, personas):
    client.force_login(personas.admin)
    assert client.get("/audit/break-glass/").status_code == 403
