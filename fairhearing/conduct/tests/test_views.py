from __future__ import annotations

from pathlib import Path

import pytest

from fairhearing.conduct.services import code_version_load
from fairhearing.conduct.tests.helpers import write_code
from fairhearing.core.actors import system_actor

SYSTEM = system_actor("test")


@pytest.fixture
def versions(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    old = code_version_load(actor=SYSTEM, path=write_code(tmp_path, label="1"))
    new = code_version_load(actor=SYSTEM, path=write_code(tmp_path, label="2", in_force="2025-07-01", adopted="2025-06-01",
                                                          child_text="Do not insult or threaten people.", name="two.toml"))
    return old, new


@pytest.mark.parametrize("persona", ["caseworker", "panel", "reviewer", "overseer", "organiser", "admin"])
def test_every_staff_role_may_read_the_code(client, personas, versions, persona) -> None:
    old, new = versions
    client.force_login(getattr(personas, persona))
    assert client.get("/conduct/").status_code == 200
    assert client.get(f"/conduct/versions/{old.public_id}/").status_code == 200
    assert client.get(f"/conduct/versions/{old.public_id}/clauses/A-1/").status_code == 200
    assert client.get(f"/conduct/compare/?a={old.public_id}&b={new.public_id}").status_code == 200


def test_the_list_shows_who_adopted_each_version_and_when(client, personas, versions) -> None:
    client.force_login(personas.caseworker)
    page = client.get("/conduct/").content.decode()
    assert "Executive committee" in page and "1 Dec 2023" in page and "12 for, 1 against" in page


def test_the_comparison_page_shows_the_reworded_words(client, personas, versions) -> None:
    old, new = versions
    client.force_login(personas.panel)
    page = client.get(f"/conduct/compare/?a={old.public_id}&b={new.public_id}").content.decode()
    assert "0 added, 0 removed, 1 reworded, 0 moved, 1 unchanged." in page
    assert "<ins>or threaten</ins>" in page


def test_the_comparison_page_explains_a_bad_choice(client, personas, versions) -> None:
    client.force_login(personas.caseworker)
    response = client.get("/conduct/compare/?a=not-a-version&b=")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the older version" in page and 'href="#compare-a"' in page and "Choose the newer version" in page


def test_a_clause_page_lists_the_clause_in_every_version_and_an_unknown_clause_is_404(client, personas, versions) -> None:
    old, new = versions
    client.force_login(personas.caseworker)
    page = client.get(f"/conduct/versions/{new.public_id}/clauses/A-1/").content.decode()
    assert "or threaten" in page and f"/conduct/versions/{old.public_id}/clauses/A-1/" in page
    assert client.get(f"/conduct/versions/{new.public_id}/clauses/NOPE/").status_code == 404


def test_the_default_code_page_shows_every_clause(client, personas, default_code) -> None:
    client.force_login(personas.caseworker)
    page = client.get(f"/conduct/versions/{default_code.public_id}/").content.decode()
    for number in range(0, 12):
        assert f'id="clause-AS-{number}"' in page
