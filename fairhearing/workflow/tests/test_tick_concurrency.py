"""Two ticks at once never act twice on the same breach: rows are claimed by conditional UPDATE."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Notification
from fairhearing.core import clock
from fairhearing.core.testing import aware, open_case
from fairhearing.workflow.services import tick_run


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_never_send_the_same_escalation_twice(personas):
    with clock.frozen(aware(2026, 3, 2)):
        cases = [open_case(personas, respondent=f"Respondent {i}") for i in range(12)]
    barrier = threading.Barrier(2)
    reports = []
    errors = []

    def run() -> None:
        try:
            with clock.frozen(aware(2026, 3, 12)):
                barrier.wait()
                reports.append(tick_run())
        except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    breached = sorted(ref for report in reports for ref in report.breached)
    assert breached == sorted(c.reference for c in cases)  # each case claimed by exactly one tick
    assert AuditEvent.objects.filter(action="case.deadline_breached").count() == len(cases)
    for case in cases:
        recipients = list(Notification.objects.filter(case=case, kind="deadline_breached").values_list("recipient_user__username", flat=True))
        assert sorted(recipients) == ["casey", "olu"]
