"""Functional tests in the manner of HateCheck (Röttger et al. 2021); cases in data/.

The targets: explicit hatred, including its spelling games, is caught with recall of at least
0.9, with the model and on the lexicon alone; identity-positive and neutral statements about
Jews and criticism of a government's policy are never flagged; counter-speech, quotation and
news reporting are flagged at most 5% of the time.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fairhearing.screening.engine import default_screener, screener_for
from fairhearing.screening.result import ScreeningResult

from .functional import CASES_PATH, Case, load_cases, perturb

CASES = load_cases()
SCREENERS: dict[str, Callable[[], Callable[[str], ScreeningResult]]] = {
    "model": lambda: default_screener().screen,
    "lexicon only": lambda: screener_for(None).screen,
}


def _flags(kind: str, hateful: bool, screener: str) -> list[tuple[Case, ScreeningResult]]:
    screen = SCREENERS[screener]()
    return [(c, screen(c.text)) for c in CASES if c.hateful == hateful and (hateful or c.kind == kind)]


@pytest.mark.parametrize("screener", list(SCREENERS))
def test_explicit_hatred_is_caught_with_recall_of_at_least_0_9(screener: str) -> None:
    results = _flags("hateful", True, screener)
    missed = [c.text for c, r in results if not r.flag]
    assert len(results) > 250
    assert 1 - len(missed) / len(results) >= 0.9, missed


@pytest.mark.parametrize("screener", list(SCREENERS))
def test_flagged_hatred_names_the_expected_clause(screener: str) -> None:
    results = [(c, r) for c, r in _flags("hateful", True, screener) if r.flag]
    wrong = [(c.text, c.clause, [s.clause for s in r.examples]) for c, r in results
             if c.clause not in {s.clause for s in r.examples}]
    assert len(wrong) / len(results) <= 0.1, wrong


@pytest.mark.parametrize("screener", list(SCREENERS))
def test_identity_positive_and_neutral_statements_are_not_flagged(screener: str) -> None:
    results = _flags("identity", False, screener)
    assert len(results) >= 20
    assert [c.text for c, r in results if r.flag] == []


@pytest.mark.parametrize("screener", list(SCREENERS))
def test_criticism_of_a_governments_policy_is_not_flagged(screener: str) -> None:
    results = _flags("policy", False, screener)
    assert len(results) >= 8
    assert [c.text for c, r in results if r.flag] == []


@pytest.mark.parametrize("screener", list(SCREENERS))
def test_counter_speech_quotation_and_news_are_rarely_flagged(screener: str) -> None:
    results = _flags("counter", False, screener)
    flagged = [c.text for c, r in results if r.flag]
    assert len(results) >= 25
    assert len(flagged) / len(results) <= 0.05, flagged


def test_counter_speech_is_framed_as_such() -> None:
    screen = SCREENERS["model"]()
    results = [screen(c.text) for c in CASES if c.kind == "counter"]
    assert sum(r.framing in ("quotes", "condemns", "reports") for r in results) / len(results) >= 0.9


@pytest.mark.parametrize("how", ["swap", "leet", "space", "repeat", "star"])
def test_each_spelling_game_changes_the_text(how: str) -> None:
    assert perturb("Jews are vermin.", how) != "Jews are vermin."


def test_an_unknown_spelling_game_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown spelling game"):
        perturb("Jews are vermin.", "reverse")


@pytest.mark.parametrize("name", ["functional_holdout_2026a.toml", "functional_holdout_2026b.toml",
                                  "functional_holdout_2026c.toml", "functional_holdout_2026d.toml",
                                  "functional_holdout_2026e.toml"])
def test_the_sets_kept_out_of_tuning_load_with_every_kind(name: str) -> None:
    # No target is asserted on these sets (that would invite fitting to them); they must only
    # stay loadable so that benchmarks/screening_quality.py can measure them.
    cases = load_cases(CASES_PATH.with_name(name))
    assert {c.kind for c in cases} == {"hateful", "identity", "counter", "policy"}
    assert sum(c.hateful for c in cases) > 150
