from __future__ import annotations

import pytest
from django.core.management import call_command

from fairhearing.cases.models import Case, Member
from fairhearing.cases.selectors import QUEUES, queue_cases
from fairhearing.workflow.config import get_process


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_data_fills_every_stage_and_every_queue(capsys):
    call_command("demo_data", "--cases", "150")
    assert Member.objects.count() == 2000
    assert Case.objects.count() == 150
    stages = set(Case.objects.values_list("stage", flat=True))
    assert stages == set(get_process().stages)
    from fairhearing.accounts.models import User

    caseworker = User.objects.get(username="caseworker")
    overseer = User.objects.get(username="overseer")
    for queue in QUEUES:
        viewer = caseworker if queue.key in ("new", "mine") else overseer
        assert queue_cases(viewer, queue.key).exists(), f"queue {queue.key} is empty"
    out = capsys.readouterr().out
    for username in ("caseworker", "panel1", "reviewer", "overseer", "organiser", "admin"):
        assert username in out
