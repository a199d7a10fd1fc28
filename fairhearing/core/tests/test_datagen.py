"""The scale data generator (benchmarks/datagen.py), run small on the test database: the data it
makes must be data the application itself accepts (a verifiable audit log, cases the queues and
the report read), or every benchmark built on it measures nothing."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from fairhearing.accounts.models import Role, User
from fairhearing.audit.chain import canonical_payload
from fairhearing.audit.models import AuditEvent, AuditHead, Checkpoint
from fairhearing.audit.services import audit_verify
from fairhearing.cases import selectors
from fairhearing.cases.models import Assignment, Case, Complaint, Member, Party, StageRecord
from fairhearing.reports.statistics import build_report

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 20)


def _datagen():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "datagen.py"
    spec = importlib.util.spec_from_file_location("fairhearing_datagen", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def generated(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "audit-key.pem"
    return _datagen().generate(cases=400, members=200, events=5000, seed=7, as_of=AS_OF, key_path=settings.FAIRHEARING_AUDIT_KEY)


def test_it_makes_the_counts_it_was_asked_for(generated) -> None:  # type: ignore[no-untyped-def]
    assert Case.objects.count() == generated.cases == 400
    assert Member.objects.count() == 200
    assert AuditEvent.objects.count() == generated.events
    assert abs(generated.events - 5000) <= 50
    assert Complaint.objects.count() >= 400
    assert Party.objects.filter(kind="respondent").count() == 400
    assert not Complaint.objects.filter(case__isnull=True).exists()


def test_cases_sit_at_every_kind_of_stage_with_consistent_clocks(generated) -> None:  # type: ignore[no-untyped-def]
    stages = Counter(Case.objects.values_list("stage", flat=True))
    assert {"received", "triage", "investigation", "closed"} <= set(stages)
    assert len(stages) >= 6
    open_cases = Case.objects.filter(closed=False)
    assert open_cases.filter(paused=False, due_on__lt=AS_OF).count() == generated.overdue > 0
    assert open_cases.filter(paused=True).count() == generated.paused > 0
    assert not open_cases.filter(due_on__isnull=True).exists()
    assert not Case.objects.filter(closed=True).exclude(outcome="").filter(closed_at__isnull=True).exists()
    # One open stage record per open case, none for closed ones past the closing stay.
    for case in open_cases[:50]:
        current = StageRecord.objects.filter(case=case, left_on__isnull=True)
        assert [r.stage for r in current] == [case.stage]
    assert Case.objects.filter(closed=True).exclude(outcome="").exists()


def test_the_audit_log_verifies_with_its_signed_checkpoints(generated) -> None:  # type: ignore[no-untyped-def]
    outcome = audit_verify(actor="system:test", record=False)
    assert outcome.ok, outcome.report.message
    assert outcome.signatures_checked
    assert outcome.report.checkpoints_checked == Checkpoint.objects.count() >= 10
    head = AuditHead.objects.get(pk=1)
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.seq, head.hash) == (last.seq, last.hash)
    times = list(AuditEvent.objects.order_by("seq").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    for payload in AuditEvent.objects.values_list("payload", flat=True)[:2000]:
        assert canonical_payload(json.loads(payload)) == payload


def test_a_complaint_carries_the_hash_of_its_submission_event(generated) -> None:  # type: ignore[no-untyped-def]
    complaint = Complaint.objects.filter(channel="web").first()
    event = AuditEvent.objects.get(subject=f"complaint:{complaint.public_id}", action="complaint.submitted")
    assert complaint.submission_event_hash == event.hash


def test_the_queues_return_cases_for_caseworkers_and_the_overseer(generated) -> None:  # type: ignore[no-untyped-def]
    overseer = User.objects.get(username="overseer-0001")
    today = AS_OF
    for queue in ("new", "due_soon", "overdue", "paused", "mine", "fast_tracked"):
        list(selectors.queue_cases(overseer, queue, today=today)[:50])
    assert selectors.queue_cases(overseer, "overdue", today=today).count() == generated.overdue
    assert selectors.queue_cases(overseer, "paused", today=today).exists()
    busiest = Assignment.objects.filter(role="caseworker", case__closed=False).values_list("user", flat=True)
    caseworker = User.objects.get(pk=Counter(busiest).most_common(1)[0][0])
    assert caseworker.role == Role.CASEWORKER
    assert selectors.queue_cases(caseworker, "mine", today=today).exists()
    assert selectors.queue_cases(caseworker, "new", today=today).exists()


def test_the_quarterly_report_counts_the_generated_quarter(generated) -> None:  # type: ignore[no-untyped-def]
    report = build_report(date(2026, 7, 1), date(2026, 9, 30))
    received = Complaint.objects.filter(received_at__date__gte=date(2026, 7, 1), received_at__date__lte=date(2026, 9, 30)).count()
    assert received > 20
    members = Member.objects.filter(status="active").count()
    assert report.measures["members"] == members
    assert report.measures["complaints_per_1000_members"] == round(1000 * received / members, 2)
    stays = {row["stage"]: row for row in report.measures["stage_times"]}
    assert isinstance(stays["triage"]["stays"], int) and stays["triage"]["stays"] >= 5


def test_it_refuses_the_shared_test_database() -> None:
    with pytest.raises(SystemExit, match="refusing"):
        _datagen().build(database_url="postgres://postgres@127.0.0.1:5432/test", cases=1)


def test_the_application_can_add_to_a_generated_database(generated) -> None:  # type: ignore[no-untyped-def]
    """Sequences sit past the loaded ids and respondents carry the key new complaints are matched by."""
    from fairhearing.cases.models import Allegation, Party, fold_name
    from fairhearing.intake.tests.helpers import submit

    respondent = Party.objects.filter(kind="respondent", case__closed=False).exclude(name="").first()
    assert respondent is not None and respondent.name_key == fold_name(respondent.name)
    before = Allegation.objects.count()
    result = submit(respondent_name="Someone Entirely New")  # opens a case with its allegation through the services
    assert result.case is not None and Allegation.objects.count() > before
