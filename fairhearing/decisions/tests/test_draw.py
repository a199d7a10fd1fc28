"""The panel draw: every exclusion rule, the record it leaves, recusal and a clear error when too
few members are eligible."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Assignment, Member
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import aware
from fairhearing.decisions import services
from fairhearing.decisions.models import Interest, Panel
from fairhearing.decisions.tests.helpers import pool, seated, to_decision, train

pytestmark = pytest.mark.django_db


def _last_draw() -> dict:
    return json.loads(AuditEvent.objects.filter(action="panel.drawn").last().payload)


def _draw(personas, case):
    return services.panel_draw(actor=personas.actor("caseworker"), case=case)


def test_it_draws_three_members_assigns_them_and_records_the_eligible_list_and_result(personas, default_code):
    members = pool(personas, extra=3)
    case = to_decision(personas)
    _draw(personas, case)
    chosen = seated(case)
    assert len(chosen) == 3 and set(chosen) <= set(members)
    assert Assignment.objects.filter(case=case, role="panel", active=True).count() == 3
    record = _last_draw()
    assert sorted(record["eligible"]) == sorted(str(u.public_id) for u in members)
    assert sorted(record["chosen"]) == sorted(str(u.public_id) for u in chosen)
    assert "SystemRandom" in record["method"]


def _only_three_eligible_after(personas, case, excluded_user, rule):
    _draw(personas, case)
    assert excluded_user not in seated(case)
    assert rule in _last_draw()["excluded"][str(excluded_user.public_id)]


def test_it_excludes_a_member_whose_training_has_lapsed(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        members = pool(personas, extra=1)
        train(personas, members[0], until=date(2026, 3, 1))
        case = to_decision(personas)
        _only_three_eligible_after(personas, case, members[0], "training_lapsed")


def test_it_excludes_a_member_with_no_recorded_training(personas, default_code):
    members = pool(personas, extra=1)
    train(personas, members[1], until=None)
    case = to_decision(personas)
    _only_three_eligible_after(personas, case, members[1], "training_lapsed")


def test_it_excludes_a_panel_user_who_is_not_in_the_pool(personas, default_code):
    from fairhearing.core.testing import make_user

    pool(personas, extra=0)
    outsider = make_user("untrained", "panel")
    case = to_decision(personas)
    _only_three_eligible_after(personas, case, outsider, "not_in_pool")


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("person", "Sam Respondent"),
        ("person", "sam   RESPONDENT"),
        ("person", "M-1001"),
        ("branch", "Northtown"),
        ("region", "North West"),
        ("group", "Red Rose Caucus"),
    ],
)
def test_it_excludes_a_member_who_declared_an_interest_in_a_party(personas, default_code, kind, value):
    Member.objects.create(membership_number="M-1001", name="Sam Respondent", branch="Northtown", region="North West", role="Secretary, Red Rose Caucus")
    members = pool(personas, extra=1)
    services.interest_declare(actor=user_actor(members[2]), kind=kind, value=value)
    case = to_decision(personas, respondent_membership_number="M-1001")
    _only_three_eligible_after(personas, case, members[2], "conflict_party")


def test_an_interest_unrelated_to_the_parties_does_not_exclude(personas, default_code):
    Member.objects.create(membership_number="M-1001", name="Sam Respondent", branch="Northtown")
    members = pool(personas, extra=0)
    services.interest_declare(actor=user_actor(members[0]), kind="branch", value="Southvale")
    services.interest_declare(actor=user_actor(members[0]), kind="free", value="I chair the Northtown food bank.")
    case = to_decision(personas, respondent_membership_number="M-1001")
    _draw(personas, case)
    assert members[0] in seated(case)


def test_it_excludes_a_member_who_declared_an_interest_in_this_case(personas, default_code):
    members = pool(personas, extra=1)
    case = to_decision(personas)
    services.interest_declare(actor=user_actor(members[3]), kind=Interest.Kind.CASE, case=case)
    _only_three_eligible_after(personas, case, members[3], "conflict_party")


def test_it_excludes_a_member_who_is_themselves_a_party(personas, default_code):
    respondent = Member.objects.create(membership_number="M-2002", name="Sam Respondent")
    members = pool(personas, extra=1)
    train(personas, members[0], member_id=respondent.pk)
    case = to_decision(personas, respondent_membership_number="M-2002")
    _only_three_eligible_after(personas, case, members[0], "conflict_party")


def test_it_excludes_anyone_involved_earlier_in_the_case(personas, default_code):
    members = pool(personas, extra=1)
    case = to_decision(personas)
    Assignment.objects.create(case=case, user=members[1], role="panel", assigned_at=clock.now(), active=False, ended_at=clock.now())
    _only_three_eligible_after(personas, case, members[1], "involved_earlier")


def test_too_few_eligible_members_is_an_error_that_says_why(personas, default_code):
    with clock.frozen(aware(2026, 3, 2)):
        members = pool(personas, extra=0)
        train(personas, members[0], until=date(2025, 1, 1))
        case = to_decision(personas)
        with pytest.raises(DomainError) as info:
            _draw(personas, case)
    message = info.value.message
    assert "only 2 are eligible" in message and "1 training has lapsed" in message
    assert not Panel.objects.filter(case=case).exists()


def test_only_the_assigned_caseworker_can_draw_a_panel(personas, default_code):
    pool(personas)
    case = to_decision(personas)
    with pytest.raises(NotPermitted):
        services.panel_draw(actor=personas.actor("caseworker2"), case=case)


def test_a_full_panel_is_not_drawn_twice(personas, default_code):
    pool(personas)
    case = to_decision(personas)
    _draw(personas, case)
    with pytest.raises(DomainError, match="already has a full panel"):
        _draw(personas, case)


def test_a_recusing_member_is_replaced_by_someone_else_eligible(personas, default_code):
    pool(personas, extra=1)
    case = to_decision(personas)
    _draw(personas, case)
    leaving = seated(case)[0]
    replacement = services.panel_recuse(actor=user_actor(leaving), case=case, reason="I know the complainant from work.")
    now_seated = seated(case)
    assert replacement is not None and replacement in now_seated and leaving not in now_seated
    assert len(now_seated) == 3
    assert not Assignment.objects.filter(case=case, user=leaving, active=True).exists()
    assert str(leaving.public_id) not in _last_draw()["eligible"]


def test_a_recusal_stands_when_no_replacement_is_eligible_and_the_caseworker_is_told_why(personas, default_code):
    pool(personas, extra=0)
    case = to_decision(personas)
    _draw(personas, case)
    leaving = seated(case)[0]
    assert services.panel_recuse(actor=user_actor(leaving), case=case, reason="I have campaigned with the respondent.") is None
    assert len(seated(case)) == 2
    assert AuditEvent.objects.filter(action="panel.short").exists()
    with pytest.raises(DomainError, match="only 0 are eligible"):
        _draw(personas, case)


def test_a_recusal_needs_a_reason(personas, default_code):
    pool(personas)
    case = to_decision(personas)
    _draw(personas, case)
    with pytest.raises(DomainError):
        services.panel_recuse(actor=user_actor(seated(case)[0]), case=case, reason="")
