"""Retention with a frozen clock: after the period no personal data is left, in the database or
in stored files; the statistics are unchanged and the audit log still verifies."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from fairhearing.core import clock
from fairhearing.core.testing import aware
from fairhearing.intake.files import evidence_storage
from fairhearing.intake.tests.helpers import submit, upload
from fairhearing.privacy.models import Anonymisation
from fairhearing.privacy.retention import case_due_on, retention_run
from fairhearing.privacy.services import legal_hold_lift, legal_hold_place
from fairhearing.reports.exports import to_json
from fairhearing.reports.statistics import build_report
from fairhearing.workflow.services import case_transition, tick_run

pytestmark = pytest.mark.django_db

PERSONAL = ("Sam Complainant", "sam@example.org", "Jo Bloggs", "0207 946 0000", "said something antisemitic", "Conway Hall")


def file_and_close(personas):  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 2, 2)):
        result = submit(files=[upload()], pasted_text="Jo Bloggs posted this at Conway Hall.", complainant_phone="0207 946 0000",
                        where="Conway Hall")
        actor = personas.actor("caseworker")
        case = case_transition(actor=actor, case=result.case, transition_key="acknowledge")
        case = case_transition(actor=actor, case=case, transition_key="close_at_triage",
                               reasons="Not within the code of conduct.", outcome="no_further_action")
    return result.complaint, case


def strings_in_database() -> str:
    """Every text value in every table, as one string to search."""
    chunks = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*names):
            chunks += [str(v) for v in row if isinstance(v, str | list | dict)]
    return "\n".join(chunks)


def columns_containing(value: str) -> list[str]:
    """Every model.column holding ``value`` somewhere, for a failure message that says where."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            for v in model.objects.values_list(f.attname, flat=True):
                if isinstance(v, str | list | dict) and value in str(v):
                    found.append(f"{model._meta.label}.{f.attname}")
                    break
    return found


@pytest.fixture
def audit_key(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.FAIRHEARING_AUDIT_KEY = tmp_path / "audit-key.pem"
    call_command("audit", "keygen", stdout=StringIO())


def verify_output() -> str:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=out)
    except SystemExit as stop:
        assert stop.code in (0, None), out.getvalue()
    return out.getvalue()


def test_after_the_period_no_personal_data_remains_and_figures_and_log_hold(personas, audit_key) -> None:  # type: ignore[no-untyped-def]
    complaint, case = file_and_close(personas)
    stored = list(complaint.evidence.exclude(stored_name="").values_list("stored_name", flat=True))
    assert stored and all(evidence_storage().exists(name) for name in stored)
    assert "Sam Complainant" in strings_in_database()
    before = to_json(build_report(date(2026, 1, 1), date(2026, 3, 31)))
    call_command("audit", "checkpoint", stdout=StringIO())

    with clock.frozen(aware(2028, 2, 1)):  # one day short of 24 months
        tick_run()
    assert not Anonymisation.objects.filter(case=case).exists()

    with clock.frozen(aware(2028, 2, 2)):
        report = tick_run()
    assert "anonymised 1" in str(report.hooks["retention"])
    text = strings_in_database()
    for value in PERSONAL:
        assert value not in text, f"{value!r} is still in the database"
    assert not any(evidence_storage().exists(name) for name in stored)
    assert to_json(build_report(date(2026, 1, 1), date(2026, 3, 31))) == before
    assert verify_output().startswith("OK")


def test_a_second_pass_changes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    file_and_close(personas)
    with clock.frozen(aware(2028, 3, 1)):
        first = retention_run()
        second = retention_run()
    assert len(first.anonymised) == 1 and second.anonymised == []


def test_a_legal_hold_stops_retention_until_it_is_lifted(personas) -> None:  # type: ignore[no-untyped-def]
    _, case = file_and_close(personas)
    with clock.frozen(aware(2027, 6, 1)):
        hold = legal_hold_place(actor=personas.actor("overseer"), case=case, reason="Employment tribunal claim pending.")
    with clock.frozen(aware(2028, 3, 1)):
        report = retention_run()
        assert report.held == [case.reference] and report.anonymised == []
        assert "Sam Complainant" in strings_in_database()
        legal_hold_lift(actor=personas.actor("overseer"), hold=hold)
        assert retention_run().anonymised == [case.reference]


def test_the_due_date_follows_the_outcome_in_the_schedule(personas) -> None:  # type: ignore[no-untyped-def]
    _, case = file_and_close(personas)
    assert case_due_on(case) == ("outcomes.no_further_action", date(2028, 2, 2))
    case.outcome = "expulsion"
    assert case_due_on(case) == ("outcomes.expulsion", date(2036, 2, 2))
    case.outcome = "formal_warning"  # lapses 12 months after closure, then 18 months
    assert case_due_on(case) == ("outcomes.formal_warning", date(2028, 8, 2))


def test_an_open_case_is_never_due(personas) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(aware(2026, 2, 2)):
        result = submit()
    assert case_due_on(result.case) is None


def test_only_the_assigned_caseworker_or_the_overseer_may_hold_a_case(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.core.errors import NotPermitted
    from fairhearing.core.testing import open_case

    with clock.frozen(aware(2026, 2, 2)):
        case = open_case(personas)
        with pytest.raises(NotPermitted, match="assigned to this case"):
            legal_hold_place(actor=personas.actor("caseworker2"), case=case, reason="Tribunal claim pending here.")
        with pytest.raises(NotPermitted):
            legal_hold_place(actor=personas.actor("panel"), case=case, reason="Tribunal claim pending here.")
        hold = legal_hold_place(actor=personas.actor("caseworker"), case=case, reason="Tribunal claim pending here.")
    assert hold.placed_by == personas.caseworker


def test_reasons_that_name_someone_never_enter_the_chain_and_are_erased_with_the_case(personas, default_code, audit_key) -> None:  # type: ignore[no-untyped-def]
    """Every service that records typed text beside an audit event, each text naming one person:
    the name is in the domain tables but in no audit payload; after the retention period it is
    nowhere in the database, the figures are unchanged and the log verifies."""
    from fairhearing.audit.models import AuditEvent, StatedReason
    from fairhearing.audit.reasons import shown_reasons
    from fairhearing.privacy.tests.named_reasons import ALL_DUE, NAME, build

    built = build(personas)
    assert NAME in strings_in_database()
    leaked = [e.action for e in AuditEvent.objects.all() if NAME in e.payload]
    assert leaked == [], f"these events put the name in the hashed payload: {sorted(set(leaked))}"
    cited = StatedReason.objects.filter(text__contains=NAME)
    assert {r.action for r in cited} >= {
        "case.transitioned", "case.paused", "case.resumed", "case.fast_tracked", "panel.recused", "decision.recorded",
        "review.vetoed", "review.verified", "hearing.postponed", "complaint.unlinked", "complaint.moved", "suggestion.accepted", "suggestion.rejected",
    }
    timeline = list(AuditEvent.objects.filter(subject=f"case:{built.cases[0].public_id}"))
    shown = [r for reasons in shown_reasons(timeline).values() for r in reasons]
    assert shown and all(r.state == "intact" for r in shown)
    assert any(NAME in r.text for r in shown)
    before = to_json(build_report(date(2026, 1, 1), date(2026, 3, 31)))
    call_command("audit", "checkpoint", stdout=StringIO())

    with clock.frozen(ALL_DUE):
        report = tick_run()
    assert f"anonymised {len(built.cases)}," in str(report.hooks["retention"])
    assert Anonymisation.objects.filter(case__in=built.cases).count() == len(built.cases)
    assert NAME not in strings_in_database(), f"the name is still in {columns_containing(NAME)}"
    assert not StatedReason.objects.filter(erased_at__isnull=True, case__in=built.cases).exists()
    shown = [r for reasons in shown_reasons(timeline).values() for r in reasons]
    assert shown and {r.status for r in shown} == {"erased under the retention schedule on 1 June 2033"}
    assert to_json(build_report(date(2026, 1, 1), date(2026, 3, 31))) == before
    assert verify_output().startswith("OK")
