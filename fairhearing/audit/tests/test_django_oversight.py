"""The external contact register and the overseer's pages: who may reach them, what they show,
and that each read of case data through them is in the audit log."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from fairhearing.audit.contacts import (
    contact_digest,
    contact_key,
    contacts_count,
    external_contact_record,
)
from fairhearing.audit.models import AuditEvent, ExternalContact, VerificationRun
from fairhearing.audit.selectors import oversight_summary
from fairhearing.core import clock
from fairhearing.core.errors import MissingInformation, NotPermitted
from fairhearing.core.testing import aware, open_case

OVERSEER_PAGES = ["/audit/", "/audit/events/", "/audit/contacts/"]


def record(personas, case, name="Jo Leader", **extra):  # type: ignore[no-untyped-def]
    values = {"contact_position": "Leader's office", "occurred_at": clock.now() - timedelta(hours=1), "channel": "phone", "request": "Asked when the case would be dropped."}
    values.update(extra)
    return external_contact_record(actor=personas.actor("caseworker"), case=case, contact_name=name, **values)


def test_any_staff_member_who_sees_the_case_records_a_contact_and_it_is_audited(personas):
    case = open_case(personas)
    contact = record(personas, case)
    event = AuditEvent.objects.get(action="contact.recorded")
    assert event.subject == f"case:{case.public_id}" and contact_digest(contact) in event.payload


def test_a_contact_cannot_be_recorded_on_a_case_the_recorder_cannot_see(personas):
    case = open_case(personas)
    with pytest.raises(NotPermitted):
        external_contact_record(actor=personas.actor("panel"), case=case, contact_name="Jo", occurred_at=clock.now(), channel="phone", request="x")


@pytest.mark.parametrize(("field", "values"), [
    ("contact_name", {"name": "  "}),
    ("request", {"request": ""}),
    ("channel", {"channel": "carrier pigeon"}),
    ("occurred_at", {"occurred_at": clock.now() + timedelta(days=2)}),
])
def test_an_incomplete_contact_is_refused_naming_the_field(personas, field, values):
    case = open_case(personas)
    name = values.pop("name", "Jo Leader")
    with pytest.raises(MissingInformation) as error:
        record(personas, case, name=name, **values)
    assert error.value.field == field
    assert not ExternalContact.objects.exists()


def test_contacts_group_by_person_whatever_the_spelling(personas):
    assert contact_key("  Zoë   O'Brien ") == contact_key("zoe o'brien")


def test_the_overseer_sees_contacts_per_case_and_per_person(client, personas):
    first = open_case(personas, respondent="Ann Example")
    second = open_case(personas, respondent="Bo Example")
    record(personas, first)
    record(personas, second, name="JO LEADER")
    record(personas, second, name="Someone Else")
    client.force_login(personas.overseer)
    people = client.get("/audit/contacts/")
    assert people.status_code == 200 and b"Someone Else" in people.content
    person = client.get(f"/audit/contacts/person/{contact_key('Jo Leader')}/")
    assert person.status_code == 200
    assert first.reference.encode() in person.content and second.reference.encode() in person.content
    per_case = client.get(f"/audit/contacts/case/{first.public_id}/")
    assert first.reference.encode() in per_case.content and b"Someone Else" not in per_case.content
    assert AuditEvent.objects.filter(action="contact.listed").count() == 3


def test_the_contact_count_for_published_statistics_counts_a_period(personas):
    case = open_case(personas)
    record(personas, case, occurred_at=aware(2026, 1, 15))
    record(personas, case, occurred_at=aware(2026, 4, 2))
    assert contacts_count(aware(2026, 1, 1, 0), aware(2026, 4, 1, 0)) == 1


def test_the_contact_form_records_and_returns_to_the_case(client, personas):
    case = open_case(personas)
    client.force_login(personas.caseworker)
    url = f"/audit/contacts/record/{case.public_id}/"
    response = client.post(url, {"contact_name": "Jo Leader", "occurred_at": "2026-01-05T10:30", "channel": "email", "request": "Asked for an update."})
    assert response.status_code == 302, response.content
    assert ExternalContact.objects.get().contact_name == "Jo Leader"
    bad = client.post(url, {"contact_name": "", "occurred_at": "yesterday", "channel": "email", "request": "Kept text"})
    assert bad.status_code == 200 and b"Kept text" in bad.content and b"error-summary" in bad.content


def test_the_contact_form_is_a_404_for_a_case_the_user_cannot_see(client, personas):
    case = open_case(personas)
    client.force_login(personas.panel)
    assert client.get(f"/audit/contacts/record/{case.public_id}/").status_code == 404


@pytest.mark.parametrize("persona", ["caseworker", "panel", "reviewer", "organiser", "admin"])
@pytest.mark.parametrize("url", OVERSEER_PAGES)
def test_only_the_overseer_reaches_the_oversight_pages(client, personas, persona, url):
    client.force_login(getattr(personas, persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", OVERSEER_PAGES)
def test_the_overseer_reaches_the_oversight_pages_and_each_read_is_audited(client, personas, url):
    open_case(personas)
    client.force_login(personas.overseer)
    before = AuditEvent.objects.count()
    assert client.get(url).status_code == 200
    last = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1 and str(personas.overseer.public_id) in last.actor


def test_the_dashboard_shows_each_interference_signal(client, personas, tmp_path, settings):
    from fairhearing.audit.services import break_glass_grant
    from fairhearing.cases.services import case_assign

    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "key.pem"
    call_command("audit", "keygen", stdout=StringIO())
    with clock.frozen(aware(2025, 9, 1)):
        old = open_case(personas, respondent="Old Case")
    case = open_case(personas)
    case_assign(actor=personas.actor("caseworker"), case=case, user=personas.caseworker2, role="caseworker")
    break_glass_grant(actor=personas.actor("panel"), case=old, reason="Urgent press enquiry needs checking today.")
    record(personas, old, name="Jo Leader")
    call_command("audit", "verify", stdout=StringIO())
    summary = oversight_summary()
    assert [c.pk for c in summary.old_cases] == [old.pk]
    assert len(summary.reassignments) == 1 and len(summary.break_glass) == 1 and summary.contact_count == 1
    client.force_login(personas.overseer)
    page = client.get("/audit/").content.decode()
    for text in (old.reference, "Urgent press enquiry", "Jo Leader", "Verified"):
        assert text in page


def test_the_dashboard_lists_vetoed_and_reopened_decisions(personas):
    from fairhearing.audit.services import audit_record

    case = open_case(personas)
    audit_record(actor=personas.actor("reviewer"), action="case.transitioned", subject=f"case:{case.public_id}", payload={"transition": "veto", "from": "review", "to": "decision"})
    audit_record(actor=personas.actor("caseworker"), action="case.transitioned", subject=f"case:{case.public_id}", payload={"transition": "investigate", "from": "triage", "to": "investigation"})
    audit_record(actor=personas.actor("panel"), action="appeal.decided", subject=f"case:{case.public_id}", payload={"outcome": "allowed"})
    audit_record(actor=personas.actor("panel"), action="appeal.decided", subject=f"case:{case.public_id}", payload={"outcome": "dismissed"})
    audit_record(actor=personas.actor("reviewer"), action="review.vetoed", subject=f"case:{case.public_id}", payload={"reasons": "x"})
    found = [(e.action, e.payload) for e in oversight_summary().reversals]
    assert [action for action, _ in found] == ["review.vetoed", "appeal.decided", "case.transitioned"]
    assert '"allowed"' in found[1][1] and '"veto"' in found[2][1]


def test_verifying_from_the_dashboard_records_the_result(client, personas):
    open_case(personas)
    client.force_login(personas.overseer)
    response = client.post("/audit/verify/")
    assert response.status_code == 302
    assert VerificationRun.objects.get().ok
