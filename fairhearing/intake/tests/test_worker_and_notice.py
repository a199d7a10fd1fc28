from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from fairhearing.cases.models import Party
from fairhearing.cases.notify import render_message
from fairhearing.intake import services
from fairhearing.intake.tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_the_worker_refuses_to_run_against_a_backend_it_does_not_serve():
    with pytest.raises(CommandError, match="database"):
        call_command("worker", "--batch")


def test_the_worker_runs_the_database_worker_for_default_and_email(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    calls = []
    monkeypatch.setattr("fairhearing.intake.management.commands.worker.call_command", lambda *a, **k: calls.append((a, k)))
    call_command("worker", "--batch")
    assert calls == [(("db_worker",), {"queue_name": "default,email", "interval": 1.0, "reload": False, "batch": True})]


def test_the_respondent_notice_carries_the_link_when_given_one():
    result = submit()
    party = Party.objects.get(case=result.case, kind="respondent")
    link = services.respondent_link_issue(case=result.case, party=party)
    subject, body = render_message("respondent_notice", {"case": result.case, "party": party, "reply_days": 10, "respondent_link": link})
    assert result.case.reference in subject and link in body
    _, without = render_message("respondent_notice", {"case": result.case, "party": party, "reply_days": 10})
    assert "private link" not in without


def test_only_a_respondent_of_the_same_case_gets_a_link():
    result = submit()
    complainant = Party.objects.get(case=result.case, kind="complainant")
    with pytest.raises(services.DomainError):
        services.respondent_link_issue(case=result.case, party=complainant)


def test_the_notice_is_queued_once_with_a_working_link_and_a_repeat_does_not_break_it(client):
    from fairhearing.cases.models import Notification

    result = submit()
    party = Party.objects.get(case=result.case, kind="respondent")
    first = services.respondent_notice_queue(case=result.case, party=party, dedupe_key="notice:1", context={"reply_days": 10})
    again = services.respondent_notice_queue(case=result.case, party=party, dedupe_key="notice:1", context={"reply_days": 10})
    assert first is not None and again is None
    body = Notification.objects.get(dedupe_key="notice:1").body
    path = "/" + next(line for line in body.splitlines() if "/respond/" in line).strip().split("/", 3)[3]
    assert client.get(path).status_code == 200
