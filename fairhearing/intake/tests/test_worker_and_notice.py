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


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "email"]}}


def test_with_the_rq_backend_the_worker_runs_an_rq_worker_on_default_and_email(settings, monkeypatch):
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:6379/9"} for name in ("default", "email")}
    pinged, calls = [], []
    monkeypatch.setattr("django_rq.get_connection", lambda name: type("Redis", (), {"ping": lambda self: pinged.append(name)})())
    monkeypatch.setattr("fairhearing.intake.management.commands.worker.call_command", lambda *a, **k: calls.append((a, k)))
    call_command("worker", "--batch", "--max-tasks", "3", "--name", "w1")
    assert pinged == ["default"]
    assert calls == [(("rqworker", "default", "email"), {"job_class": "django_tasks_rq.backend.Job", "burst": True,
                                                         "verbosity": 1, "max_jobs": 3, "name": "w1"})]


def test_with_the_rq_backend_an_unreachable_redis_is_a_clear_error(settings):
    settings.TASKS = RQ_TASKS
    # Port 9 (discard) on this machine: nothing answers Redis there.
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:9/9", "SOCKET_CONNECT_TIMEOUT": 2} for name in ("default", "email")}
    with pytest.raises(CommandError, match=r"Cannot reach Redis at REDIS_URL .*Start Redis or correct REDIS_URL"):
        call_command("worker", "--batch")


def test_the_worker_refuses_a_queue_that_does_not_exist(settings):
    settings.TASKS = RQ_TASKS
    with pytest.raises(CommandError, match=r"unknown queues: mail\. Choose from: default, email"):
        call_command("worker", "--queues", "default,mail")


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
