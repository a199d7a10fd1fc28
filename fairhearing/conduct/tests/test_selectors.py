from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairhearing.cases.services import allegation_add
from fairhearing.conduct.selectors import (
    clauses_for_allegation,
    version_for_allegation,
    version_in_force,
)
from fairhearing.conduct.services import code_version_load
from fairhearing.conduct.tests.helpers import write_code
from fairhearing.core import clock
from fairhearing.core.actors import system_actor
from fairhearing.core.testing import aware, open_case

SYSTEM = system_actor("test")


def _two_versions(tmp_path: Path):  # type: ignore[no-untyped-def]
    old = code_version_load(actor=SYSTEM, path=write_code(tmp_path, label="1", in_force="2024-01-01", adopted="2023-12-01"))
    new = code_version_load(actor=SYSTEM, path=write_code(tmp_path, label="2", in_force="2025-07-01", adopted="2025-06-01",
                                                          child_text="Do not insult or threaten people.", name="two.toml"))
    return old, new


@pytest.mark.django_db
def test_the_version_in_force_is_the_latest_adopted_one_already_in_effect(tmp_path: Path) -> None:
    old, new = _two_versions(tmp_path)
    code_version_load(actor=SYSTEM, path=write_code(tmp_path, label="3", in_force="2025-08-01", adopted="2025-07-01", name="draft.toml"), adopt=False)
    assert version_in_force(date(2023, 12, 31), "union") is None
    assert version_in_force(date(2024, 1, 1), "union") == old
    assert version_in_force(date(2025, 6, 30), "union") == old
    assert version_in_force(date(2025, 7, 1), "union") == new
    assert version_in_force(date(2030, 1, 1), "union") == new  # the draft never counts


@pytest.mark.django_db
def test_an_allegation_is_judged_under_the_version_in_force_when_the_conduct_happened(tmp_path: Path, personas) -> None:
    old, new = _two_versions(tmp_path)
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        before = allegation_add(actor=personas.actor("caseworker"), case=case, text="Said it in 2024.", conduct_date=date(2024, 5, 1), clause_ids=[])
        undated = allegation_add(actor=personas.actor("caseworker"), case=case, text="Said it recently.", conduct_date=None, clause_ids=[])
    assert version_for_allegation(before, "union") == old
    assert set(clauses_for_allegation(before, "union")) == set(old.clauses.all())
    assert version_for_allegation(undated, "union") == new  # falls back to the opening date, 2 March 2026
    assert [c.identifier for c in clauses_for_allegation(undated, "union")] == ["A", "A-1"]


@pytest.mark.django_db
def test_an_undated_allegation_falls_back_to_the_complaints_conduct_date(tmp_path: Path, personas) -> None:
    old, _ = _two_versions(tmp_path)
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas, conduct_first_date=date(2024, 2, 1))
        undated = allegation_add(actor=personas.actor("caseworker"), case=case, text="Undated.", conduct_date=None, clause_ids=[])
    assert version_for_allegation(undated, "union") == old


@pytest.mark.django_db
def test_no_clauses_are_offered_before_any_version_was_in_force(tmp_path: Path, personas) -> None:
    _two_versions(tmp_path)
    with clock.frozen(aware(2026, 3, 2)):
        case = open_case(personas)
        early = allegation_add(actor=personas.actor("caseworker"), case=case, text="Long ago.", conduct_date=date(2020, 1, 1), clause_ids=[])
    assert not clauses_for_allegation(early, "union").exists()
