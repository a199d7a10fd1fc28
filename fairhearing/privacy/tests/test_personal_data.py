"""The map of personal data is complete and names only fields that exist: a new table must get a
retention decision, and a renamed field must not silently stop being cleared."""

from __future__ import annotations

import pytest
from django.apps import apps

from fairhearing.privacy.personal_data import (
    EXPIRED_SESSIONS,
    PERSONAL_FIELDS,
    RECORDS,
    SPAM_FIELDS,
    SURVEY,
)
from fairhearing.privacy.schedule import OUTSIDE_KINDS


def test_every_installed_model_has_a_retention_decision() -> None:
    missing = sorted(m._meta.label for m in apps.get_models() if m._meta.label not in SURVEY)
    assert missing == [], f"add these models to SURVEY in fairhearing/privacy/personal_data.py, saying how their personal data goes: {missing}"


def test_the_survey_names_no_model_that_is_gone() -> None:
    installed = {m._meta.label for m in apps.get_models()}
    assert sorted(set(SURVEY) - installed) == []


def test_every_rule_the_survey_cites_is_in_the_schedule() -> None:
    cited = {text.split("]")[0].split("[")[-1] for text in SURVEY.values() if "[" in text}
    assert cited <= set(OUTSIDE_KINDS), cited - set(OUTSIDE_KINDS)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", [*PERSONAL_FIELDS, *SPAM_FIELDS], ids=lambda e: f"{e.model}:{e.case_lookup}")
def test_every_field_to_clear_exists(entry) -> None:  # type: ignore[no-untyped-def]
    model = apps.get_model(entry.model)
    for name in entry.fields:
        model._meta.get_field(name)
    model.objects.filter(**{entry.case_lookup: 1}).exists()  # the lookup resolves, or raises FieldError


@pytest.mark.parametrize("records", [*(r for rs in RECORDS.values() for r in rs), EXPIRED_SESSIONS], ids=lambda r: r.model)
def test_every_record_kind_names_a_timestamp_that_exists(records) -> None:  # type: ignore[no-untyped-def]
    model = apps.get_model(records.model)
    assert model._meta.get_field(records.at).get_internal_type() == "DateTimeField"
