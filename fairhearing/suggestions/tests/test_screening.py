from __future__ import annotations

from datetime import timedelta

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.audit.services import event_payload
from fairhearing.core import clock
from fairhearing.core.testing import aware
from fairhearing.suggestions.models import ScreeningRun, SourceKind
from fairhearing.suggestions.services import STALE_AFTER, screening_claim
from fairhearing.suggestions.tasks import screen_new, screen_run
from fairhearing.suggestions.tests.helpers import HATEFUL, ORDINARY, case_with_texts
from fairhearing.workflow import tick_hooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def tick(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the hook as the tick does: its tasks are queued when its claims commit."""

    def run() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return screen_new()

    return run
EVIDENCE = "Repost: Jews are more loyal to Israel than to this country."


def test_the_tick_hook_is_registered() -> None:
    assert "suggestions.screen_new" in tick_hooks._HOOKS


def test_the_tick_screens_every_unscreened_text_of_a_case_once(tick, personas, default_code) -> None:
    with clock.frozen(aware(2026, 3, 2)):
        case = case_with_texts(personas, pasted=EVIDENCE)
        assert tick() == "queued 3 texts for screening"
    runs = {run.source_kind: run for run in ScreeningRun.objects.filter(case=case)}
    assert set(runs) == {SourceKind.COMPLAINT_ACCOUNT, SourceKind.ALLEGATION, SourceKind.EVIDENCE}
    assert all(run.state == ScreeningRun.State.DONE for run in runs.values())
    account = runs[SourceKind.COMPLAINT_ACCOUNT]
    assert account.flag and account.framing == "expresses" and account.model_version
    assert "AS-2" in {s.clause_identifier for s in account.suggestions.all()}
    assert all(s.status == "pending" for s in account.suggestions.all())
    # The first allegation repeats the account word for word: decided once, with the account.
    allegation = runs[SourceKind.ALLEGATION]
    assert allegation.duplicate_of == account and not allegation.suggestions.exists()
    assert runs[SourceKind.EVIDENCE].suggestions.exists()
    assert tick() == "queued 0 texts for screening"
    assert ScreeningRun.objects.count() == 3


def test_each_screening_is_audited_without_the_text(tick, personas, default_code) -> None:
    case = case_with_texts(personas)
    tick()
    events = list(AuditEvent.objects.filter(action="screening.recorded", subject=f"case:{case.public_id}"))
    assert len(events) == 2
    assert all(e.actor == "system:screening" for e in events)
    for event in events:
        assert "media" not in event.payload and "Jews" not in event.payload
    assert {tuple(event_payload(e)["clauses"]) for e in events} == {(), tuple(event_payload(events[0])["clauses"])}


def test_an_ordinary_text_gets_no_flag(tick, personas, default_code) -> None:
    case = case_with_texts(personas, account=ORDINARY)
    tick()
    run = ScreeningRun.objects.get(case=case, source_kind=SourceKind.COMPLAINT_ACCOUNT)
    assert run.state == ScreeningRun.State.DONE and not run.flag


def test_a_run_left_queued_by_a_dead_worker_is_queued_again(personas, default_code) -> None:
    with clock.frozen(aware(2026, 3, 2, 10)):
        case_with_texts(personas)
        first = screening_claim()  # claimed, but no worker ever screens them
    with clock.frozen(aware(2026, 3, 2, 10) + STALE_AFTER - timedelta(minutes=1)):
        assert screening_claim() == []
    with clock.frozen(aware(2026, 3, 2, 10) + STALE_AFTER + timedelta(minutes=1)):
        again = screening_claim()
    assert len(first) == 2 and sorted(again) == sorted(first)
    assert ScreeningRun.objects.filter(state=ScreeningRun.State.QUEUED).count() == 2


def test_the_task_is_safe_to_run_twice(tick, personas, default_code) -> None:
    case_with_texts(personas)
    tick()
    run = ScreeningRun.objects.filter(source_kind=SourceKind.COMPLAINT_ACCOUNT).get()
    assert screen_run.call(run.pk) == "already handled"
    assert AuditEvent.objects.filter(action="screening.recorded").count() == 2


def test_a_run_whose_text_is_gone_or_whose_engine_fails_is_marked_failed(tick, personas, default_code, monkeypatch) -> None:
    case = case_with_texts(personas, account=ORDINARY)
    gone = ScreeningRun.objects.create(case=case, source_kind=SourceKind.ALLEGATION, source_id=987654, queued_at=clock.now())
    assert screen_run.call(gone.pk) == "source gone"
    assert ScreeningRun.objects.get(pk=gone.pk).state == ScreeningRun.State.FAILED

    def broken(text: str) -> None:
        raise RuntimeError("model file damaged")

    monkeypatch.setattr("fairhearing.screening.screen", broken)
    tick()
    failed = ScreeningRun.objects.get(case=case, source_kind=SourceKind.COMPLAINT_ACCOUNT)
    assert failed.state == ScreeningRun.State.FAILED and "RuntimeError" in failed.error


def test_the_same_text_in_another_case_is_screened_on_its_own(tick, personas, default_code) -> None:
    case_with_texts(personas, account=HATEFUL)
    other = case_with_texts(personas, account=HATEFUL + " ")
    tick()
    assert ScreeningRun.objects.get(case=other, source_kind=SourceKind.COMPLAINT_ACCOUNT).duplicate_of is None
