from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fairhearing.core import clock
from fairhearing.core.testing import aware, open_case
from fairhearing.reports.statistics import build_report, previous_quarter, quarter_of
from fairhearing.reports.suppression import FEWER_THAN_5
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db


def close_at_triage(personas, case, outcome="no_further_action"):  # type: ignore[no-untyped-def]
    actor = personas.actor("caseworker")
    case = case_transition(actor=actor, case=case, transition_key="acknowledge")
    return case_transition(actor=actor, case=case, transition_key="close_at_triage", reasons="Outside the code of conduct.", outcome=outcome)


def build_quarter(personas, closed: int, open_: int):  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 2, 2)):
        for k in range(closed):
            close_at_triage(personas, open_case(personas, respondent=f"Resp {k}"))
        for k in range(open_):
            open_case(personas, respondent=f"Open {k}", category="bullying")


def test_the_quarter_helpers_name_whole_calendar_quarters() -> None:
    assert quarter_of(date(2026, 2, 14)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_of(date(2026, 11, 30)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert previous_quarter(date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))


def test_complaints_closed_at_triage_are_counted(personas) -> None:  # type: ignore[no-untyped-def]
    build_quarter(personas, closed=6, open_=5)
    report = build_report(date(2026, 1, 1), date(2026, 3, 31))
    triage = dict(zip(report.table("triage").row_labels, (r[0] for r in report.table("triage").cells), strict=True))
    assert triage["No further action"] == 6
    received = report.table("received")
    assert received.cells[-1][-1] == 11  # grand total: every complaint, closed or open


def test_small_counts_are_published_as_fewer_than_5(personas) -> None:  # type: ignore[no-untyped-def]
    build_quarter(personas, closed=2, open_=6)
    report = build_report(date(2026, 1, 1), date(2026, 3, 31))
    flat = [v for table in report.tables for row in table.cells for v in row]
    assert FEWER_THAN_5 in flat
    assert 2 not in [row[0] for row in report.table("triage").cells]


def test_a_period_outside_the_activity_counts_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    build_quarter(personas, closed=6, open_=0)
    report = build_report(date(2025, 1, 1), date(2025, 3, 31))
    assert report.table("received").cells[-1][-1] == 0


def test_the_command_writes_json_and_csv(personas) -> None:  # type: ignore[no-untyped-def]
    build_quarter(personas, closed=6, open_=0)
    out = StringIO()
    call_command("report", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["from"] == "2026-01-01" and {t["key"] for t in data["tables"]} >= {"received", "triage", "backlog"}
    out = StringIO()
    call_command("report", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0] == "table,row,column,value"
    assert "triage,No further action,Cases,6" in out.getvalue()


def test_the_command_names_a_bad_date_or_format(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="'from' date '2026-13-01'"):
        call_command("report", "--from", "2026-13-01", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="--format 'xml'"):
        call_command("report", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "xml")
    with pytest.raises(CommandError, match="before it starts"):
        call_command("report", "--from", "2026-03-01", "--to", "2026-01-31")


def test_the_public_page_shows_charts_with_tables_and_downloads(personas) -> None:  # type: ignore[no-untyped-def]
    build_quarter(personas, closed=6, open_=0)
    client = Client()
    response = client.get("/statistics/?from=2026-01-01&to=2026-03-31")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == body.count("<caption>") - 1  # one chart per table, plus the stage-times table
    assert "<script" not in body
    csv_response = client.get("/statistics/statistics.csv?from=2026-01-01&to=2026-03-31")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert client.get("/statistics/statistics.xml").status_code == 404
    assert client.get("/statistics/statistics.csv?from=nonsense&to=2026-01-01").status_code == 400


def test_a_rate_or_share_that_would_give_away_a_small_count_is_withheld(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.cases.models import Member
    from fairhearing.reports.statistics import _share

    Member.objects.create(membership_number="M1", name="A Member")
    build_quarter(personas, closed=3, open_=0)
    report = build_report(date(2026, 1, 1), date(2026, 3, 31))
    assert report.measures["members"] == 1 and report.measures["complaints_per_1000_members"] is None
    assert _share(9, 10) is None and _share(1, 10) is None and _share(5, 10) == 50.0 and _share(10, 10) == 100.0
