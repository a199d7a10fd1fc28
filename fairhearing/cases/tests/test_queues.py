"""The caseworker's queues: who is in the intake pool, counts capped per tab, and pages read
without counting the whole queue."""

from __future__ import annotations

import pytest

from fairhearing.accounts.permissions import visible_cases
from fairhearing.cases.models import Case
from fairhearing.cases.selectors import QueueCount, queue_cases, queue_counts, queue_page
from fairhearing.cases.services import case_assign
from fairhearing.core.testing import open_case
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db


def test_the_pool_holds_intake_cases_without_an_active_caseworker_only(personas):
    unassigned = open_case(personas, respondent="Ann Pool", assign=False)
    taken = open_case(personas, respondent="Ben Taken", assign=False)
    case_assign(actor=personas.actor("caseworker"), case=taken, user=personas.caseworker, role="caseworker")
    in_triage = case_transition(actor=personas.actor("caseworker"), case=open_case(personas, respondent="Di Triage", assign=False),
                                transition_key="acknowledge")
    moved_on = open_case(personas, respondent="Cy Investigated", assign=False)
    Case.objects.filter(pk=moved_on.pk).update(stage="investigation")  # past intake, still without a caseworker
    other = personas.caseworker2
    assert in_triage.stage == "triage"
    assert set(visible_cases(other)) == {unassigned, in_triage}
    assert set(queue_cases(other, "new")) == {unassigned, in_triage}
    assert set(queue_cases(personas.caseworker, "new")) == {unassigned, in_triage}
    assert set(visible_cases(personas.caseworker)) == {unassigned, in_triage, taken}
    assert set(visible_cases(personas.overseer)) == {unassigned, in_triage, taken, moved_on}


def test_a_count_past_the_cap_says_there_are_more(personas):
    for number in range(3):
        open_case(personas, respondent=f"Person {number}", assign=False)
    assert queue_counts(personas.caseworker, cap=2)["new"] == QueueCount(number=2, more=True)
    assert queue_counts(personas.caseworker, cap=3)["new"] == QueueCount(number=3, more=False)
    assert queue_counts(personas.caseworker, cap=3)["overdue"] == QueueCount(number=0, more=False)


def test_pages_read_one_row_ahead_to_know_whether_another_follows(personas):
    cases = [open_case(personas, respondent=f"Person {number}", assign=False) for number in range(5)]
    ordered = list(queue_cases(personas.caseworker, "new"))
    assert set(ordered) == set(cases)
    assert queue_page(personas.caseworker, "new", 1, size=2) == (ordered[:2], True)
    assert queue_page(personas.caseworker, "new", 3, size=2) == (ordered[4:], False)
    assert queue_page(personas.caseworker, "new", 4, size=2) == ([], False)


def test_the_queue_page_treats_a_bad_page_number_as_the_first_and_links_back_from_past_the_end(personas, client):
    case = open_case(personas, respondent="Dee Listed", assign=False)
    client.force_login(personas.caseworker)
    for page in ("", "abc", "-3", "0", "99999999999"):
        body = client.get(f"/cases/?queue=new&page={page}").content.decode()
        if page == "99999999999":
            assert case.reference not in body and "page=99999" in body
        else:
            assert case.reference in body and 'New <span class="count">(1)</span>' in body
            assert "Page 1" not in body  # one page only: no pager
    body = client.get("/cases/?queue=new&page=2").content.decode()
    assert "No cases in this queue." in body and "Page 2" in body and "page=1" in body


def test_a_tab_past_the_cap_shows_a_plus(personas, client, monkeypatch):
    from fairhearing.cases import selectors

    for number in range(2):
        open_case(personas, respondent=f"Person {number}", assign=False)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    client.force_login(personas.caseworker)
    body = client.get("/cases/?queue=new").content.decode()
    assert 'New <span class="count">(1+)</span>' in body
