"""A member's status on the membership list follows the sanctions in force for them: suspended,
expelled, and back to what it was when the last one ends; and it always agrees with the platform
check."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Member
from fairhearing.cases.services import members_import
from fairhearing.core import clock
from fairhearing.core.actors import SYSTEM, system_actor
from fairhearing.core.testing import aware
from fairhearing.registry import services
from fairhearing.workflow.services import tick_run

pytestmark = pytest.mark.django_db
HEADER = ["membership_number", "name", "status"]


def _member(status: str = "active", number: str = "M-4242", name: str = "Jonathan Goldberg") -> Member:
    return Member.objects.create(membership_number=number, name=name, status=status)


def _entry(member: Member, kind: str = "suspended", starts: date = date(2026, 3, 2), ends: date | None = date(2026, 6, 1)):
    return services.sanction_entry_create(actor=SYSTEM, kind=kind, name=member.name, membership_number=member.membership_number,
                                          member=member, starts_on=starts, ends_on=ends if kind == "suspended" else None)


def _status(member: Member) -> str:
    member.refresh_from_db()
    return member.status


def _verdict(personas, member: Member) -> str:
    (result,) = services.platform_check(actor=personas.actor("organiser"), items=[(member.name, member.membership_number)])
    return str(result.verdict)


def _changes(member: Member) -> list[tuple[str, str, str]]:
    events = AuditEvent.objects.filter(action="registry.member_status_changed", subject=f"member:{member.public_id}").order_by("seq")
    return [(p["from"], p["to"], p["cause"]) for p in (json.loads(e.payload) for e in events)]


def test_a_suspension_in_force_suspends_the_member_and_the_tick_restores_them_when_it_lapses(personas):
    member = _member()
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member)
        assert _status(member) == "suspended" and _verdict(personas, member) == "match"
    with clock.frozen(aware(2026, 6, 1)):
        report = tick_run()
        assert report.hooks["registry.end_lapsed"] == 1
        assert _status(member) == "active" and _verdict(personas, member) == "no_match"
    assert _changes(member) == [("active", "suspended", "sanction_started"), ("suspended", "active", "sanction_ended")]


def test_a_lapsed_member_goes_back_to_lapsed_not_active_when_the_suspension_ends(personas):
    member = _member(status="lapsed")
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member)
        assert _status(member) == "suspended"
    with clock.frozen(aware(2026, 6, 1)):
        services.sanctions_end_lapsed()
    assert _status(member) == "lapsed"


def test_an_expulsion_outranks_a_suspension_and_outlives_it(personas):
    member = _member()
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member)
        _entry(member, kind="expelled")
        assert _status(member) == "expelled"
    with clock.frozen(aware(2026, 6, 1)):
        assert services.sanctions_end_lapsed() == 1
        assert _status(member) == "expelled" and _verdict(personas, member) == "match"


def test_overlapping_suspensions_keep_the_member_suspended_until_the_last_one_ends(personas):
    member = _member(status="lapsed")
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member, ends=date(2026, 4, 1))
        _entry(member, ends=date(2026, 9, 1))
    with clock.frozen(aware(2026, 4, 1)):
        services.sanctions_end_lapsed()
        assert _status(member) == "suspended"
    with clock.frozen(aware(2026, 9, 1)):
        services.sanctions_end_lapsed()
        assert _status(member) == "lapsed"


def test_a_sanction_entered_ahead_of_time_changes_nothing_until_the_tick_of_its_first_day(personas):
    member = _member()
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member, starts=date(2026, 3, 9), ends=date(2026, 6, 9))
        assert _status(member) == "active" and _verdict(personas, member) == "no_match"
    with clock.frozen(aware(2026, 3, 9)):
        report = tick_run()
        assert report.hooks["registry.member_status"] == 1
        assert services.member_statuses_align() == 0
        assert _status(member) == "suspended" and _verdict(personas, member) == "match"
    assert _changes(member) == [("active", "suspended", "aligned")]


def test_a_membership_list_imported_over_a_sanction_is_brought_back_into_line_by_the_tick(personas):
    member = _member()
    with clock.frozen(aware(2026, 3, 2)):
        _entry(member, kind="expelled")
        members_import(actor=system_actor("import-members"), rows=[{"membership_number": "M-4242", "name": "Jonathan Goldberg", "status": "active"}],
                       header=HEADER)
        assert _status(member) == "active"
        tick_run()
    assert _status(member) == "expelled"


def test_a_status_the_registry_did_not_set_is_left_alone(personas):
    """The organisation's own list said suspended before any sanction here: ending one does not
    make them active, and a member the registry never named is never touched."""
    named = _member(status="suspended")
    unnamed = _member(status="expelled", number="M-1", name="Someone Else")
    with clock.frozen(aware(2026, 3, 2)):
        _entry(named)
    with clock.frozen(aware(2026, 6, 1)):
        tick_run()
    assert _status(named) == "suspended" and _status(unnamed) == "expelled"
    assert _changes(named) == [] and _changes(unnamed) == []


def test_an_entry_naming_a_membership_number_on_the_list_is_tied_to_that_member(personas):
    member = _member()
    other = _member(number="M-1", name="Someone Else")
    with clock.frozen(aware(2026, 3, 2)):
        by_number = services.sanction_entry_create(actor=SYSTEM, kind="suspended", name="J. Goldberg", membership_number=" M-4242 ",
                                                   starts_on=date(2026, 3, 2), ends_on=date(2026, 6, 1))
        by_name = services.sanction_entry_create(actor=SYSTEM, kind="suspended", name="Someone Else", starts_on=date(2026, 3, 2), ends_on=date(2026, 6, 1))
    assert by_number.member == member and _status(member) == "suspended"
    assert by_name.member is None and _status(other) == "active"
