"""The decision workspace, the written decision pages and the register of interests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairhearing.core.actors import user_actor
from fairhearing.decisions import services
from fairhearing.decisions.models import Decision, Interest
from fairhearing.decisions.tests.helpers import clause, findings, pool, seated, to_decision

pytestmark = pytest.mark.django_db
REASONS = "The messages were repeated and intimidating, contrary to BUL-1."


def _drawn(personas):
    pool(personas)
    case = to_decision(personas)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    return case


def _decide_post(case, reasons):
    allegation = case.allegations.first().public_id
    return {
        "decide-outcome": "formal_warning", "decide-reasons": reasons,
        f"decide-{allegation}-upheld": "yes", f"decide-{allegation}-clause": str(clause("BUL-1").pk),
        f"decide-{allegation}-text": "The account is supported by the screenshots provided.",
    }


def test_a_seated_member_records_the_decision_through_the_page(client, personas, default_code):
    case = _drawn(personas)
    client.force_login(seated(case)[0])
    page = client.get(reverse("decisions:workspace", args=[case.public_id]))
    assert "Record the panel's decision" in page.content.decode()
    response = client.post(reverse("decisions:act", args=[case.public_id, "decide"]), _decide_post(case, REASONS))
    assert response.status_code == 302
    assert Decision.objects.get(case=case).outcome == "formal_warning"


def test_a_decision_without_reasons_is_refused_on_the_page_and_nothing_typed_is_lost(client, personas, default_code):
    case = _drawn(personas)
    client.force_login(seated(case)[0])
    data = _decide_post(case, "")
    response = client.post(reverse("decisions:act", args=[case.public_id, "decide"]), data)
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body
    assert "supported by the screenshots" in body
    assert not Decision.objects.filter(case=case).exists()


def test_the_written_decision_is_readable_as_html_and_pdf(client, personas, default_code):
    case = _drawn(personas)
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="formal_warning", findings=findings(case, "BUL-1"), reasons=REASONS)
    services.decision_issue(actor=personas.actor("caseworker"), case=case)
    client.force_login(personas.caseworker)
    html = client.get(reverse("decisions:written", args=[case.public_id])).content.decode()
    for expected in ("Findings", "BUL-1", "Formal warning", "How to appeal", "2026.1"):
        assert expected in html
    pdf = client.get(reverse("decisions:written_pdf", args=[case.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_caseworker_not_on_the_case_cannot_open_its_workspace(client, personas, default_code):
    case = _drawn(personas)
    client.force_login(personas.caseworker2)
    assert client.get(reverse("decisions:workspace", args=[case.public_id])).status_code == 404
    assert client.get(reverse("decisions:written_pdf", args=[case.public_id])).status_code == 404


def test_an_action_refused_by_the_rules_shows_the_reason(client, personas, default_code):
    case = _drawn(personas)
    client.force_login(personas.caseworker)
    response = client.post(reverse("decisions:act", args=[case.public_id, "draw"]), {})
    assert response.status_code == 400 and "already has a full panel" in response.content.decode()


def test_a_pool_member_declares_an_interest_on_their_page(client, personas, default_code):
    pool(personas)
    client.force_login(personas.panel)
    response = client.post(reverse("decisions:interests"), {"kind": "branch", "value": "Northtown"})
    assert response.status_code == 302
    assert Interest.objects.filter(pool_member__user=personas.panel, kind="branch", value="Northtown").exists()
    client.force_login(personas.organiser)
    assert client.get(reverse("decisions:interests")).status_code == 403


def _awaiting_review_without_reviewer(personas):
    from fairhearing.decisions.tests.helpers import train

    pool(personas)
    train(personas, personas.reviewer, until=None)  # nobody eligible when the decision is recorded
    case = to_decision(personas, category="antisemitism", clause_id="AS-2")
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"),
                             reasons="The post repeats a conspiracy myth about Jewish power, contrary to AS-2.")
    case.refresh_from_db()
    assert case.stage == "review"
    return case


def test_the_caseworker_draws_a_reviewer_later_from_the_workspace(client, personas, default_code):
    from fairhearing.cases.models import Assignment
    from fairhearing.decisions.tests.helpers import train

    case = _awaiting_review_without_reviewer(personas)
    client.force_login(personas.caseworker)
    page = client.get(reverse("decisions:workspace", args=[case.public_id])).content.decode()
    assert "No independent reviewer is assigned" in page and "Draw an independent reviewer" in page
    refused = client.post(reverse("decisions:act", args=[case.public_id, "draw_reviewer"]), {})
    assert refused.status_code == 400 and "No independent reviewer is eligible" in refused.content.decode()
    train(personas, personas.reviewer)
    response = client.post(reverse("decisions:act", args=[case.public_id, "draw_reviewer"]), {})
    assert response.status_code == 302
    assert Assignment.objects.filter(case=case, role="reviewer", user=personas.reviewer, active=True).exists()
    page = client.get(reverse("decisions:workspace", args=[case.public_id])).content.decode()
    assert "with the independent reviewer, René Reviewer" in page and "Draw an independent reviewer" not in page


def test_only_the_assigned_caseworker_may_draw_the_reviewer(client, personas, default_code):
    from fairhearing.cases.models import Assignment
    from fairhearing.decisions.tests.helpers import train

    case = _awaiting_review_without_reviewer(personas)
    train(personas, personas.reviewer)
    client.force_login(personas.caseworker2)
    assert client.post(reverse("decisions:act", args=[case.public_id, "draw_reviewer"]), {}).status_code == 404
    client.force_login(seated(case)[0])
    response = client.post(reverse("decisions:act", args=[case.public_id, "draw_reviewer"]), {})
    assert response.status_code == 400 and "Only the caseworker assigned" in response.content.decode()
    assert not Assignment.objects.filter(case=case, role="reviewer").exists()
