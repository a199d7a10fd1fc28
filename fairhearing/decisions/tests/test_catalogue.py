"""The sanctions catalogue is reviewable data: pinned by a golden file, and every rule of the
loader is checked against a file that breaks it."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from fairhearing.decisions.catalogue import (
    DECISION_OUTCOMES,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)
from fairhearing.decisions.dates import add_months

GOLDEN = Path(__file__).parent / "data" / "catalogue.golden.json"


def _snapshot() -> str:
    catalogue = load_catalogue()
    return json.dumps(asdict(catalogue), indent=2, sort_keys=True) + "\n"


def test_the_shipped_catalogue_matches_its_golden_file():
    """A deliberate change to sanctions.toml: regenerate with FAIRHEARING_UPDATE_GOLDEN=1 and
    review the diff of the golden file with the change."""
    if os.environ.get("FAIRHEARING_UPDATE_GOLDEN"):
        GOLDEN.write_text(_snapshot(), encoding="utf-8")
    assert _snapshot() == GOLDEN.read_text(encoding="utf-8")


def test_the_catalogue_offers_every_outcome_the_process_can_record():
    catalogue = load_catalogue()
    assert [o for o in DECISION_OUTCOMES if o != "no_case_to_answer"] == [k for k in catalogue.sanctions if k in DECISION_OUTCOMES]
    assert catalogue.panel_size == 3


def test_a_clause_falls_back_to_its_prefix_band_then_the_default():
    catalogue = load_catalogue()
    assert catalogue.band_for("AS-5")[0] == "AS-5"
    assert catalogue.band_for("AS-2")[0] == "AS"
    assert catalogue.band_for("XYZ-9")[0] == "default"


def test_departures_name_each_clause_whose_band_the_sanction_leaves():
    catalogue = load_catalogue()
    assert [c for c, _ in catalogue.departures("formal_warning", ["AS-5", "AS-2", "BUL-1"])] == ["AS-5"]
    assert catalogue.departures("suspension", ["AS-5", "AS-2", "BUL-1"]) == []
    assert catalogue.departures("expulsion", ["AS-5"]) == []  # a referral band admits the hearing's expulsion


def test_education_follows_upheld_discrimination_clauses_only():
    catalogue = load_catalogue()
    assert catalogue.education_required(["BUL-1", "AS-4"])
    assert not catalogue.education_required(["BUL-1", "HAR-1"])


BASE = {
    "panel": {"size": 3},
    "sanctions": [{"key": k, "label": k} for k in DECISION_OUTCOMES if k != "no_case_to_answer"],
    "bands": {"default": {"lowest": "reminder_of_conduct", "highest": "suspension"}},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["panel"].update(size=0), "[panel].size must be a whole number"),
        (lambda d: d["sanctions"].pop(), "must include expulsion"),
        (lambda d: d["sanctions"].append({"key": "formal_warning", "label": "x"}), "listed twice"),
        (lambda d: d["sanctions"][2].update(min_months=6), "give both min_months and max_months"),
        (lambda d: d["sanctions"][0].update(colour="red"), "unknown keys colour"),
        (lambda d: d["bands"].update({"AS": {"lowest": "expulsion", "highest": "reminder_of_conduct"}}), "more severe than highest"),
        (lambda d: d["bands"].update({"AS": {"lowest": "caution", "highest": "suspension"}}), "must be sanction keys"),
        (lambda d: d["bands"].pop("default"), "[bands.default] is required"),
    ],
)
def test_it_refuses_a_broken_catalogue_saying_what_is_wrong(change, message):
    data = json.loads(json.dumps(BASE))
    change(data)
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(data)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [("2026-01-31", 1, "2026-02-28"), ("2028-01-31", 1, "2028-02-29"), ("2026-11-15", 3, "2027-02-15"), ("2026-03-02", 18, "2027-09-02")],
)
def test_terms_are_counted_in_calendar_months(start, months, expected):
    from datetime import date

    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)
