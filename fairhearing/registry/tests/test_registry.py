"""The sanctions registry: entries, the tick that ends lapsed ones, and the platform check (its
service, page and command), which answers a verdict and a score and never a reason."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fairhearing.audit.models import AuditEvent
from fairhearing.core import clock
from fairhearing.core.actors import SYSTEM, user_actor
from fairhearing.core.errors import NotPermitted
from fairhearing.core.testing import aware
from fairhearing.registry import services
from fairhearing.registry.models import SanctionEntry
from fairhearing.workflow.services import tick_run

pytestmark = pytest.mark.django_db


def _entry(name="Jonathan Goldberg", number="M-4242", kind="suspended", starts=date(2026, 1, 5), ends=date(2026, 7, 5)):
    return services.sanction_entry_create(actor=SYSTEM, kind=kind, name=name, membership_number=number, starts_on=starts, ends_on=ends)


def test_the_tick_ends_sanctions_whose_term_is_over_once(personas):
    lapsing = _entry(ends=date(2026, 3, 2))
    running = _entry(name="Another Person", number="M-1", ends=date(2026, 9, 1))
    expelled = _entry(name="Third Person", number="M-2", kind="expelled", ends=None)
    with clock.frozen(aware(2026, 3, 2)):
        report = tick_run()
        assert report.hooks["registry.end_lapsed"] == 1
        assert services.sanctions_end_lapsed() == 0
    for entry in (lapsing, running, expelled):
        entry.refresh_from_db()
    assert lapsing.ended_at is not None and lapsing.ended_reason == "the term ended"
    assert running.ended_at is None and expelled.ended_at is None
    assert AuditEvent.objects.filter(action="registry.entry_ended").count() == 1


def test_a_suspension_needs_an_end_date(personas):
    with pytest.raises(Exception, match="end date"):
        _entry(ends=None)


def test_the_platform_check_answers_match_possible_match_and_no_match(personas):
    _entry()
    with clock.frozen(aware(2026, 3, 2)):
        results = services.platform_check(actor=personas.actor("organiser"), items=[("Jonathan Goldberg", "M-4242"), ("Jon Goldberg", None), ("Priya Patel", None)])
    verdicts = [str(r.verdict) for r in results]
    assert verdicts[0] == "match" and verdicts[2] == "no_match"
    assert verdicts[1] in ("match", "possible_match")
    assert all(0 <= r.score <= 100 for r in results)


def test_an_ended_or_future_sanction_is_not_a_match(personas):
    _entry(starts=date(2026, 6, 1), ends=date(2026, 12, 1))
    with clock.frozen(aware(2026, 3, 2)):
        (result,) = services.platform_check(actor=personas.actor("organiser"), items=[("Jonathan Goldberg", "M-4242")])
    assert str(result.verdict) == "no_match"


def test_the_check_is_audited_with_counts_and_no_names(personas):
    _entry()
    with clock.frozen(aware(2026, 3, 2)):
        services.platform_check(actor=personas.actor("organiser"), items=[("Jonathan Goldberg", "M-4242"), ("Priya Patel", None)])
    event = AuditEvent.objects.filter(action="registry.checked").last()
    payload = json.loads(event.payload)
    assert payload == {"names": 2, "verdicts": {"match": 1, "no_match": 1}}
    assert "Goldberg" not in event.payload and "Patel" not in event.payload
    assert event.actor == user_actor(personas.organiser).audit_name


@pytest.mark.parametrize("persona", ["caseworker", "panel", "reviewer", "admin"])
def test_only_organisers_and_overseers_may_check(personas, persona):
    with pytest.raises(NotPermitted):
        services.platform_check(actor=personas.actor(persona), items=[("Anyone", None)])


def test_the_check_page_shows_verdicts_and_never_the_reason_or_case(client, personas):
    entry = _entry()
    client.force_login(personas.organiser)
    with clock.frozen(aware(2026, 3, 2)):
        response = client.post(reverse("registry:check"), {"names": "Jonathan Goldberg, M-4242\nPriya Patel"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Match: may not share a platform" in body and "No match" in body
    assert str(entry.public_id) not in body and "Suspended" not in body


def test_the_check_page_reports_a_bad_line_and_keeps_what_was_typed(client, personas):
    client.force_login(personas.organiser)
    response = client.post(reverse("registry:check"), {"names": "Jonathan Goldberg, M-4242\n,"})
    body = response.content.decode()
    assert "line 2" in body and "Jonathan Goldberg, M-4242" in body


def test_the_check_page_is_refused_to_a_caseworker(client, personas):
    client.force_login(personas.caseworker)
    assert client.get(reverse("registry:check")).status_code == 403


def test_the_registry_list_is_for_overseers_only(client, personas):
    _entry()
    client.force_login(personas.organiser)
    assert client.get(reverse("registry:list")).status_code == 403
    client.force_login(personas.overseer)
    assert "Jonathan Goldberg" in client.get(reverse("registry:list")).content.decode()


def test_the_command_prints_one_verdict_per_name(personas, tmp_path):
    _entry()
    listing = tmp_path / "speakers.csv"
    listing.write_text("Jonathan Goldberg, M-4242\nPriya Patel\n", encoding="utf-8")
    out = StringIO()
    with clock.frozen(aware(2026, 3, 2)):
        call_command("platform_check", str(listing), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("match\t") and lines[1].startswith("no_match\t")
    assert "2 checked; 1 match or possible match." in lines[-1]


def test_the_command_refuses_a_list_with_a_bad_line(personas, tmp_path):
    listing = tmp_path / "speakers.csv"
    listing.write_text("Jonathan Goldberg, M-4242\n,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("platform_check", str(listing))


def test_sanction_entries_are_never_deleted_by_ending(personas):
    entry = _entry()
    services.sanctions_end_for_decision  # noqa: B018 - public name
    with clock.frozen(aware(2026, 8, 1)):
        services.sanctions_end_lapsed()
    assert SanctionEntry.objects.filter(pk=entry.pk).exists()
