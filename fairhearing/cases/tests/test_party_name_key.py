"""Party.name_key: the folded respondent name a new complaint is matched on, kept by save(), filled
for older rows by the migration, and erased with the name."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fairhearing.cases.models import Party, fold_name
from fairhearing.core.actors import system_actor
from fairhearing.intake.tests.helpers import submit
from fairhearing.privacy.services import case_anonymise
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db


def test_fold_name_ignores_accents_case_punctuation_and_spacing():
    assert fold_name("José  O'Brien") == fold_name("jose obrien") == "jose obrien"
    assert fold_name("Zoë Brontë-Kovač") == "zoe brontekovac"
    assert fold_name("Jo Bloggs") != fold_name("Jo Blogs")


def test_saving_a_party_keeps_its_folded_name():
    case = submit(respondent_name="Siobhán  Ó Súilleabháin").case
    respondent = Party.objects.get(case=case, kind="respondent")
    assert respondent.name_key == "siobhan o suilleabhain"
    respondent.name = "Mairéad Quinn"
    respondent.save(update_fields=["name"])
    assert Party.objects.get(pk=respondent.pk).name_key == "mairead quinn"


def test_a_complaint_is_matched_to_the_open_case_by_the_stored_key_in_one_query():
    first = submit(respondent_name="Jürgen Smith-Jones")
    for number in range(5):
        submit(respondent_name=f"Other Person {number}", ip=f"192.0.2.{10 + number}")
    with CaptureQueriesContext(connection) as queries:
        second = submit(respondent_name="jurgen  smithjones", ip="192.0.2.99")
    assert second.linked and second.case == first.case
    party_queries = [q["sql"] for q in queries.captured_queries if 'FROM "cases_party"' in q["sql"]]
    assert len(party_queries) == 1 and "name_key" in party_queries[0]


def test_the_migration_fills_the_key_for_rows_stored_before_it():
    case = submit(respondent_name="Ngozi Mensah").case
    Party.objects.filter(case=case).update(name_key="")
    migration = importlib.import_module("fairhearing.cases.migrations.0003_party_name_key")
    migration.fill_name_keys(apps, None)
    assert Party.objects.get(case=case, kind="respondent").name_key == "ngozi mensah"
    assert Party.objects.get(case=case, kind="complainant").name_key == "sam complainant"


def test_anonymising_a_case_erases_the_key_with_the_name(personas):
    case = submit(respondent_name="Rhys Vaughan").case
    actor = personas.actor("caseworker")
    case = case_transition(actor=actor, case=case, transition_key="acknowledge")
    case = case_transition(actor=actor, case=case, transition_key="close_at_triage",
                           reasons="Not within the code of conduct.", outcome="no_further_action")
    assert case_anonymise(actor=system_actor("retention"), case=case, rule="test", due=date(2026, 1, 1)) is not None
    assert list(Party.objects.filter(case=case).values_list("name", "name_key")) == [("", ""), ("", "")]


def test_a_complaint_joins_the_latest_of_several_open_cases_about_the_same_name(personas):
    from fairhearing.core import clock
    from fairhearing.core.testing import aware, open_case

    with clock.frozen(aware(2026, 3, 2)):
        older = open_case(personas, respondent="Jo Bloggs", assign=False)
    with clock.frozen(aware(2026, 3, 9)):
        newer = open_case(personas, respondent="JO  BLOGGS", assign=False)
    with clock.frozen(aware(2026, 3, 4)):
        newest_id_middle_date = open_case(personas, respondent="jo bloggs", assign=False)
    assert len({older.pk, newer.pk, newest_id_middle_date.pk}) == 3
    with clock.frozen(aware(2026, 3, 10)):
        result = submit(respondent_name="Jo Bloggs", ip="192.0.2.50")
    assert result.linked and result.case == newer
