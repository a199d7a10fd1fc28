"""Independent review: verification, the veto path to a fresh panel, and independence."""

from __future__ import annotations

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Assignment
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import make_user
from fairhearing.decisions import services
from fairhearing.decisions.models import Decision, Panel
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision, train

pytestmark = pytest.mark.django_db
REASONS = "The post repeats a conspiracy myth about Jewish power, contrary to AS-2."


def _decided(personas, extra=3):
    pool(personas, extra=extra)
    case = to_decision(personas, category="antisemitism", clause_id="AS-2")
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    first = seated(case)
    services.decision_record(actor=user_actor(first[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    case.refresh_from_db()
    return case, first


def test_an_antisemitism_decision_goes_to_a_drawn_reviewer_before_it_is_issued(personas, default_code):
    case, _ = _decided(personas)
    assert case.stage == "review"
    assert Assignment.objects.filter(case=case, role="reviewer", user=personas.reviewer, active=True).exists()
    with pytest.raises(DomainError):
        services.decision_issue(actor=personas.actor("caseworker"), case=case)


def test_a_verified_decision_goes_on_to_the_written_decision(personas, default_code):
    case, _ = _decided(personas)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="verified", reasons="The findings follow from the evidence.")
    case.refresh_from_db()
    assert case.stage == "written_decision"
    assert Decision.objects.get(case=case).status == Decision.Status.DETERMINED
    services.decision_issue(actor=personas.actor("caseworker"), case=case)


def test_a_veto_sends_the_case_to_a_fresh_panel_that_excludes_the_first(personas, default_code):
    case, first = _decided(personas, extra=3)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The panel ignored the respondent's reply.")
    case.refresh_from_db()
    assert case.stage == "decision"
    assert Decision.objects.get(case=case).status == Decision.Status.VETOED
    second = seated(case)
    assert len(second) == 3 and not set(second) & set(first)
    assert not Assignment.objects.filter(case=case, user__in=[*first, personas.reviewer], active=True).exists()
    assert Panel.objects.filter(case=case, ended_at__isnull=False).count() == 1
    with pytest.raises(NotPermitted):
        services.decision_record(actor=user_actor(first[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    services.decision_record(actor=user_actor(second[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    case.refresh_from_db()
    assert case.stage == "review"


def test_after_a_veto_with_too_few_fresh_members_the_caseworker_is_told_why(personas, default_code):
    case, _ = _decided(personas, extra=1)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The reasons do not address the defence.")
    case.refresh_from_db()
    assert case.stage == "decision" and not Panel.objects.filter(case=case, ended_at__isnull=True).exists()
    with pytest.raises(DomainError, match="involved in this case before"):
        services.panel_draw(actor=personas.actor("caseworker"), case=case)


def test_a_review_needs_reasons(personas, default_code):
    case, _ = _decided(personas)
    with pytest.raises(DomainError):
        services.review_record(actor=personas.actor("reviewer"), case=case, verdict="verified", reasons="")


def test_nobody_reviews_a_case_they_are_not_assigned_to_review(personas, default_code):
    case, first = _decided(personas)
    other = make_user("rita", "reviewer")
    train(personas, other)
    for actor in (user_actor(other), user_actor(first[0]), personas.actor("caseworker")):
        with pytest.raises(NotPermitted):
            services.review_record(actor=actor, case=case, verdict="verified", reasons="Looks right to me, verified.")


def test_nobody_reviews_a_decision_in_a_case_where_they_had_another_role(personas, default_code):
    case, _ = _decided(personas)
    Assignment.objects.create(case=case, user=personas.reviewer, role="panel", assigned_at=clock.now(), active=False)
    with pytest.raises(NotPermitted, match="another role"):
        services.review_record(actor=personas.actor("reviewer"), case=case, verdict="verified", reasons="Looks right to me, verified.")


def test_a_reviewer_who_declared_a_conflict_is_not_drawn(personas, default_code):
    pool(personas)
    services.interest_declare(actor=personas.actor("reviewer"), kind="person", value="Sam Respondent")
    case = to_decision(personas, category="antisemitism", clause_id="AS-2")
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    assert not Assignment.objects.filter(case=case, role="reviewer").exists()
    with pytest.raises(DomainError, match="No independent reviewer is eligible"):
        services.reviewer_draw(actor=personas.actor("caseworker"), case=case)


def test_a_veto_ends_the_reviewers_assignment_so_they_lose_sight_of_the_case(client, personas, default_code):
    from django.urls import reverse

    from fairhearing.accounts.permissions import can_view_case

    case, _ = _decided(personas)
    assert can_view_case(personas.reviewer, case)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The panel ignored the respondent's reply.")
    assignment = Assignment.objects.get(case=case, user=personas.reviewer, role="reviewer")
    assert not assignment.active and assignment.ended_at is not None
    assert not can_view_case(personas.reviewer, case)
    client.force_login(personas.reviewer)
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404
    assert client.get(reverse("decisions:workspace", args=[case.public_id])).status_code == 404


def test_after_a_veto_the_reviewer_sees_the_case_again_only_through_another_rule(personas, default_code):
    from fairhearing.accounts.permissions import can_manage_case, can_view_case
    from fairhearing.audit.services import break_glass_grant

    case, _ = _decided(personas)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The panel ignored the respondent's reply.")
    break_glass_grant(actor=personas.actor("reviewer"), case=case, reason="The complainant has asked me about my reasons.", hours=1)
    assert can_view_case(personas.reviewer, case) and not can_manage_case(personas.reviewer, case)


def test_the_fresh_panels_decision_comes_back_to_the_reviewer_who_vetoed(personas, default_code):
    case, _ = _decided(personas, extra=3)
    other = make_user("rita", "reviewer")
    train(personas, other)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The panel ignored the respondent's reply.")
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    assert [a.user for a in Assignment.objects.filter(case=case, role="reviewer", active=True)] == [personas.reviewer]
    assert AuditEvent.objects.filter(action="review.reviewer_returned").count() == 1
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="verified", reasons="The fresh panel answered the reply.")


def test_a_reviewer_who_vetoed_and_may_no_longer_review_is_replaced_by_a_fresh_draw(personas, default_code):
    case, _ = _decided(personas, extra=3)
    other = make_user("rita", "reviewer")
    train(personas, other)
    services.review_record(actor=personas.actor("reviewer"), case=case, verdict="vetoed", reasons="The panel ignored the respondent's reply.")
    services.interest_declare(actor=personas.actor("reviewer"), kind="person", value="Sam Respondent")  # a conflict since
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome="formal_warning", findings=findings(case, "AS-2"), reasons=REASONS)
    assert [a.user for a in Assignment.objects.filter(case=case, role="reviewer", active=True)] == [other]
    assert not AuditEvent.objects.filter(action="review.reviewer_returned").exists()
    with pytest.raises(NotPermitted):
        services.review_record(actor=personas.actor("reviewer"), case=case, verdict="verified", reasons="The fresh panel got it right.")
    services.review_record(actor=user_actor(other), case=case, verdict="verified", reasons="The fresh panel got it right.")
