"""Precedents shown to a panel: earlier sanctions on the same clauses, anonymised; and the draw
really spreads over the eligible list."""

from __future__ import annotations

from collections import Counter

import pytest

from fairhearing.cases.models import Assignment
from fairhearing.core.actors import user_actor
from fairhearing.decisions import selectors, services
from fairhearing.decisions.models import Panel, Seat
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision

pytestmark = pytest.mark.django_db
REASONS = "The messages were repeated and intimidating, contrary to BUL-1."


def _issue(personas, outcome, term=None):
    case = to_decision(personas)
    services.panel_draw(actor=personas.actor("caseworker"), case=case)
    services.decision_record(actor=user_actor(seated(case)[0]), case=case, outcome=outcome, term_months=term, findings=findings(case, "BUL-1"), reasons=REASONS)
    services.decision_issue(actor=personas.actor("caseworker"), case=case)
    return case


def test_precedents_count_earlier_issued_sanctions_by_clause_and_suppress_small_numbers(personas, default_code):
    pool(personas, extra=3)
    cases = [_issue(personas, "suspension", term) for term in (2, 6, 4)] + [_issue(personas, "formal_warning")]
    shown = selectors.precedents(["BUL-1"], exclude_case=None)
    by_outcome = {p.outcome: p for p in shown}
    assert by_outcome["suspension"].count == 3
    assert (by_outcome["suspension"].shortest_months, by_outcome["suspension"].longest_months) == (2, 6)
    assert by_outcome["formal_warning"].count is None  # one case only: not counted
    assert all(c.reference not in repr(shown) for c in cases)
    excluding = {p.outcome: p for p in selectors.precedents(["BUL-1"], exclude_case=cases[0])}
    assert excluding["suspension"].count is None


def test_every_eligible_member_is_drawn_sometimes(personas, default_code):
    members = pool(personas, extra=3)
    case = to_decision(personas)
    counts: Counter[str] = Counter()
    for _ in range(30):
        panel = services.panel_draw(actor=personas.actor("caseworker"), case=case)
        counts.update(s.user.username for s in panel.seats.all())
        # Reset the case so the same six members are eligible again.
        Seat.objects.filter(panel=panel).delete()
        Assignment.objects.filter(case=case, role="panel").delete()
        Panel.objects.filter(pk=panel.pk).delete()
    assert set(counts) == {m.username for m in members}  # each missed with chance 2**-30
