"""The administrator's page of the panel and reviewer pool: who is in it, their training and
declared interests; adding, changing, taking out and adding back, each through a service."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Member
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import make_user
from fairhearing.decisions import services
from fairhearing.decisions.eligibility import eligibility
from fairhearing.decisions.models import PoolMember
from fairhearing.decisions.tests.helpers import pool, to_decision, train

pytestmark = pytest.mark.django_db


def _payload(action: str) -> dict:
    return json.loads(AuditEvent.objects.filter(action=action).latest("seq").payload)


def test_the_pool_page_lists_members_with_training_and_declared_interests(client, personas, default_code):
    pool(personas, extra=0)
    services.interest_declare(actor=personas.actor("panel"), kind="branch", value="Northtown")
    train(personas, personas.panel2, until=date(2020, 1, 1))
    client.force_login(personas.admin)
    body = client.get(reverse("decisions:pool")).content.decode()
    assert "Pat Panel" in body and "René Reviewer" in body and "Independent reviewer" in body
    assert "A branch: Northtown" in body
    assert "lapsed: not drawn" in body  # Priya's training ended in 2020


@pytest.mark.parametrize("persona", ["caseworker", "panel", "reviewer", "overseer", "organiser"])
def test_the_pool_pages_are_for_administrators_only(client, personas, persona):
    train(personas, personas.panel)
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("decisions:pool")).status_code == 403
    assert client.post(reverse("decisions:pool"), {"add-user": str(personas.panel2.public_id)}).status_code == 403
    assert client.get(reverse("decisions:pool_member", args=[personas.panel.public_id])).status_code == 403
    assert client.post(reverse("decisions:pool_remove", args=[personas.panel.public_id])).status_code == 403
    assert PoolMember.objects.get(user=personas.panel).removed_at is None
    assert not PoolMember.objects.filter(user=personas.panel2).exists()


def test_an_administrator_adds_a_panel_member_with_their_training_and_membership(client, personas):
    Member.objects.create(membership_number="M-77", name="Pat Panel")
    client.force_login(personas.admin)
    response = client.post(reverse("decisions:pool"), {"add-user": str(personas.panel.public_id), "add-training_valid_until": "2027-06-30",
                                                       "add-membership_number": "M-77"})
    assert response.status_code == 302
    entry = PoolMember.objects.get(user=personas.panel)
    assert entry.training_valid_until == date(2027, 6, 30) and entry.member.membership_number == "M-77" and entry.added_at is not None
    assert _payload("pool.member_set") == {"created": True, "returned": False, "training_valid_until": "2027-06-30"}


def test_a_membership_number_not_on_the_list_is_refused_and_what_was_typed_is_kept(client, personas):
    client.force_login(personas.admin)
    response = client.post(reverse("decisions:pool"), {"add-user": str(personas.panel.public_id), "add-training_valid_until": "2027-06-30",
                                                       "add-membership_number": "M-404"})
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body
    assert "No member has the membership number M-404" in body and 'value="2027-06-30"' in body
    assert not PoolMember.objects.filter(user=personas.panel).exists()


def test_only_panel_members_and_reviewers_can_be_chosen(client, personas):
    client.force_login(personas.admin)
    response = client.post(reverse("decisions:pool"), {"add-user": str(personas.caseworker.public_id)})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not PoolMember.objects.exists()


def test_a_member_taken_out_of_the_pool_is_never_drawn_and_cannot_declare_interests(client, personas, default_code):
    pool(personas, extra=1)
    client.force_login(personas.admin)
    assert client.post(reverse("decisions:pool_remove", args=[personas.panel.public_id])).status_code == 302
    entry = PoolMember.objects.get(user=personas.panel)
    assert entry.removed_at is not None
    assert _payload("pool.member_removed") == {"current_seats": 0}
    case = to_decision(personas)
    assert eligibility(case, "panel").excluded[str(personas.panel.public_id)] == ["not_in_pool"]
    with pytest.raises(NotPermitted):
        services.interest_declare(actor=personas.actor("panel"), kind="branch", value="Northtown")
    client.force_login(personas.panel)
    assert client.get(reverse("decisions:interests")).status_code == 403
    client.force_login(personas.admin)
    body = client.get(reverse("decisions:pool")).content.decode()
    assert "Taken out of the pool (1)" in body and "Add Pat Panel back" in body


def test_a_member_taken_out_is_added_back_from_their_page(client, personas, default_code):
    train(personas, personas.panel)
    services.pool_member_remove(actor=personas.actor("admin"), user=personas.panel)
    client.force_login(personas.admin)
    page = client.get(reverse("decisions:pool_member", args=[personas.panel.public_id])).content.decode()
    assert "Add Pat Panel back to the pool" in page and 'value="2030-01-01"' in page
    response = client.post(reverse("decisions:pool_member", args=[personas.panel.public_id]), {"entry-training_valid_until": "2031-01-01"})
    assert response.status_code == 302
    entry = PoolMember.objects.get(user=personas.panel)
    assert entry.removed_at is None and entry.training_valid_until == date(2031, 1, 1)
    assert _payload("pool.member_set")["returned"] is True


def test_taking_out_tells_the_administrator_about_panels_the_member_still_sits_on(client, personas, default_code):
    pool(personas, extra=0)
    case = to_decision(personas)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)  # all three persona members
    client.force_login(personas.admin)
    page = client.get(reverse("decisions:pool_member", args=[personas.panel.public_id])).content.decode()
    assert "They still sit on 1 current panel" in page
    client.post(reverse("decisions:pool_remove", args=[personas.panel.public_id]))
    assert _payload("pool.member_removed") == {"current_seats": 1}
    assert "still sit on 1 current panel" in client.get(reverse("decisions:pool")).content.decode()


def test_the_pool_forms_need_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin)
    assert client.post(reverse("decisions:pool"), {"add-user": str(personas.panel.public_id)}).status_code == 403
    assert not PoolMember.objects.exists()


def test_only_an_administrator_may_remove_and_only_someone_in_the_pool(personas):
    train(personas, personas.panel)
    with pytest.raises(NotPermitted):
        services.pool_member_remove(actor=personas.actor("caseworker"), user=personas.panel)
    with pytest.raises(DomainError, match="not in the pool"):
        services.pool_member_remove(actor=personas.actor("admin"), user=make_user("nobody", "panel"))
    services.pool_member_remove(actor=personas.actor("admin"), user=personas.panel)
    with pytest.raises(DomainError, match="not in the pool"):
        services.pool_member_remove(actor=personas.actor("admin"), user=personas.panel)


def test_the_menu_offers_the_pool_page_to_administrators_only(client, personas):
    link = f'href="{reverse("decisions:pool")}"'
    client.force_login(personas.admin)
    assert link in client.get(reverse("core:home")).content.decode()
    client.force_login(personas.caseworker)
    assert link not in client.get(reverse("core:home")).content.decode()
