from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fairhearing.audit.models import AuditEvent
from fairhearing.audit.services import event_payload
from fairhearing.conduct.codefile import CodeFileError
from fairhearing.conduct.models import AdoptedVersionImmutable, Clause, CodeVersion
from fairhearing.conduct.services import code_version_adopt, code_version_load
from fairhearing.conduct.tests.helpers import write_code
from fairhearing.core import clock
from fairhearing.core.actors import system_actor
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import aware

SYSTEM = system_actor("test")


@pytest.mark.django_db
def test_loading_adopts_the_version_and_audits_both_steps(tmp_path: Path) -> None:
    with clock.frozen(aware(2026, 3, 2)):
        version = code_version_load(actor=SYSTEM, path=write_code(tmp_path))
    assert version.is_adopted
    assert (version.adopted_by, version.adopted_on, version.vote) == ("Executive committee", date(2023, 12, 1), "12 for, 1 against")
    assert version.recorded_by == "system:test" and version.recorded_at == aware(2026, 3, 2)
    assert [c.identifier for c in version.clauses.order_by("order")] == ["A", "A-1"]
    assert Clause.objects.get(version=version, identifier="A-1").parent.identifier == "A"
    events = list(AuditEvent.objects.filter(subject=f"code-version:{version.public_id}").order_by("seq"))
    assert [e.action for e in events] == ["conduct.version_loaded", "conduct.version_adopted"]
    assert event_payload(events[1])["adopted_by"] == "Executive committee"


@pytest.mark.django_db
def test_a_draft_is_adopted_later_with_its_record(tmp_path: Path, personas) -> None:
    draft = code_version_load(actor=SYSTEM, path=write_code(tmp_path), adopt=False)
    assert draft.status == CodeVersion.Status.DRAFT
    adopted = code_version_adopt(actor=personas.actor("admin"), version=draft, adopted_by="Annual conference",
                                 adopted_on=date(2025, 5, 1), in_force_from=date(2025, 6, 1), vote="carried")
    assert adopted.is_adopted and adopted.adopted_by == "Annual conference"
    event = AuditEvent.objects.filter(action="conduct.version_adopted").get()
    assert event.actor == f"user:{personas.admin.public_id}"
    assert event_payload(event)["in_force_from"] == "2025-06-01"
    with pytest.raises(DomainError, match="cannot be adopted again"):
        code_version_adopt(actor=SYSTEM, version=adopted, adopted_by="X", adopted_on=date(2025, 5, 1), in_force_from=date(2025, 6, 1))


@pytest.mark.django_db
def test_adoption_needs_a_body_and_sensible_dates(tmp_path: Path) -> None:
    draft = code_version_load(actor=SYSTEM, path=write_code(tmp_path), adopt=False)
    with pytest.raises(DomainError, match="Name the body"):
        code_version_adopt(actor=SYSTEM, version=draft, adopted_by=" ", adopted_on=date(2025, 5, 1), in_force_from=date(2025, 6, 1))
    with pytest.raises(DomainError, match="before the day it was adopted"):
        code_version_adopt(actor=SYSTEM, version=draft, adopted_by="Body", adopted_on=date(2025, 5, 1), in_force_from=date(2025, 4, 1))
    assert CodeVersion.objects.get(pk=draft.pk).status == CodeVersion.Status.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["caseworker", "overseer", "panel"])
def test_only_an_administrator_loads_or_adopts(tmp_path: Path, personas, persona) -> None:
    with pytest.raises(NotPermitted):
        code_version_load(actor=personas.actor(persona), path=write_code(tmp_path))
    draft = code_version_load(actor=SYSTEM, path=write_code(tmp_path), adopt=False)
    with pytest.raises(NotPermitted):
        code_version_adopt(actor=personas.actor(persona), version=draft, adopted_by="B", adopted_on=date(2025, 1, 1), in_force_from=date(2025, 1, 1))


@pytest.mark.django_db
def test_it_refuses_to_reload_an_existing_label_and_stores_nothing_from_a_bad_file(tmp_path: Path) -> None:
    code_version_load(actor=SYSTEM, path=write_code(tmp_path))
    with pytest.raises(DomainError, match=r"new \[version\]\.label"):
        code_version_load(actor=SYSTEM, path=write_code(tmp_path, child_text="Changed."))
    bad = tmp_path / "bad.toml"
    bad.write_text('[code]\nslug = "other"\nname = "Other"\n[version]\nlabel = "1"\n', encoding="utf-8")
    with pytest.raises(CodeFileError):
        code_version_load(actor=SYSTEM, path=bad)
    assert CodeVersion.objects.count() == 1 and not CodeVersion.objects.filter(code__slug="other").exists()


@pytest.mark.django_db
def test_an_adopted_version_and_its_clauses_never_change(default_code) -> None:
    version = CodeVersion.objects.get(pk=default_code.pk)
    clause = version.clauses.get(identifier="AS-4")
    version.label = "changed"
    mutations = [
        version.save,
        version.delete,
        lambda: CodeVersion.objects.filter(pk=version.pk).update(vote="changed"),
        lambda: CodeVersion.objects.filter(pk=version.pk).delete(),
        lambda: (setattr(clause, "text", "changed"), clause.save()),
        clause.delete,
        lambda: Clause.objects.filter(pk=clause.pk).update(text="changed"),
        lambda: Clause.objects.filter(pk=clause.pk).delete(),
        lambda: Clause.objects.create(version=version, identifier="NEW", title="New", text="New clause."),
    ]
    for mutate in mutations:
        with pytest.raises(AdoptedVersionImmutable, match="adopted code of conduct version"):
            mutate()
    fresh = CodeVersion.objects.get(pk=version.pk)
    assert fresh.label == default_code.label and fresh.clauses.count() == 19
    assert Clause.objects.get(pk=clause.pk).text != "changed"


@pytest.mark.django_db
def test_a_draft_can_still_be_corrected(tmp_path: Path) -> None:
    draft = code_version_load(actor=SYSTEM, path=write_code(tmp_path), adopt=False)
    clause = draft.clauses.get(identifier="A-1")
    clause.text = "Corrected."
    clause.save()
    assert Clause.objects.get(pk=clause.pk).text == "Corrected."


@pytest.mark.django_db
def test_the_command_loads_lists_and_reports_every_problem(tmp_path: Path, capsys) -> None:
    call_command("conduct", "load", str(write_code(tmp_path)), "--draft")
    call_command("conduct", "load", str(write_code(tmp_path, label="2", name="two.toml")))
    call_command("conduct", "list")
    out = capsys.readouterr().out
    assert "Union code" in out and "draft" in out and "adopted 2023-12-01 by Executive committee, vote: 12 for, 1 against" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[code]\nslug = "x"\n[version]\nlabel = "1"\n[[clauses]]\nid = "A"\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"problems in .*nothing was loaded"):
        call_command("conduct", "load", str(bad))
    err = capsys.readouterr().err
    for location in ("[code].name", "clauses[0] (id A).title", "clauses[0] (id A).text", "[version].adopted_by"):
        assert location in err
