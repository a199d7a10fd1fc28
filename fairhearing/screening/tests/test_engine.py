"""The public API: screen, screen_many and the shape of their results."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from fairhearing.screening import ScreeningResult, Suggestion, screen, screen_many
from fairhearing.screening.engine import reset_default_screener, screener_for
from fairhearing.screening.framing import FRAMINGS
from fairhearing.screening.model import ENV_MODEL


def test_it_flags_an_explicit_call_to_kill_and_names_the_clause_and_words() -> None:
    result = screen("Gas the J3WS")
    assert result.flag
    assert result.framing == "expresses"
    assert result.examples[0].clause == "AS-1"
    assert result.examples[0].triggers == ("gas the jews",)


def test_it_does_not_flag_a_news_report_of_the_same_words() -> None:
    result = screen('A man was jailed for posting "gas the Jews" online, police said.')
    assert not result.flag
    assert result.framing in ("quotes", "reports")
    # The suggestion stays, so a caseworker can see what the quoted words would fall under.
    assert "AS-1" in {s.clause for s in result.examples}


def test_it_does_not_flag_criticism_of_a_governments_policy() -> None:
    result = screen("The Israeli government's settlement expansion violates international law.")
    assert not result.flag
    assert result.policy_criticism


def test_it_returns_a_frozen_result_with_a_score_in_range() -> None:
    result = screen("hello")
    assert isinstance(result, ScreeningResult)
    assert 0.0 <= result.score <= 1.0
    assert result.framing in FRAMINGS
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flag = True  # type: ignore[misc]


def test_it_serialises_every_field_to_json() -> None:
    data = json.loads(json.dumps(screen("Jews are vermin").to_dict()))
    assert set(data) >= {"score", "flag", "examples", "framing", "model"}
    assert data["examples"][0] == {"clause": "AS-2", "confidence": 0.93,
                                   "triggers": ["jews are vermin"]}


def test_screen_many_keeps_the_order_of_its_inputs() -> None:
    texts = ["I love my Jewish neighbours", "Jews are vermin", "Gas the jews"]
    assert [r.flag for r in screen_many(texts)] == [screen(t).flag for t in texts]
    assert [r.flag for r in screen_many(iter(texts))] == [False, True, True]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "(((", "🙂" * 500, "a" * 20000, "\x00\x01"])
def test_it_never_raises_on_odd_strings(text: str) -> None:
    assert 0.0 <= screen(text).score <= 1.0


def test_it_rejects_a_non_string_clearly() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        screen(b"bytes")  # type: ignore[arg-type]


def test_it_works_on_the_lexicon_alone_and_says_so() -> None:
    screener = screener_for(None)
    hateful, neutral = screener.screen("Jews are vermin"), screener.screen("Shabbat shalom")
    assert (hateful.flag, hateful.model) == (True, False)
    assert (neutral.flag, neutral.model) == (False, False)


def test_a_missing_model_file_falls_back_to_the_lexicon(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_MODEL, str(tmp_path / "absent.bin.gz"))
    reset_default_screener()
    try:
        result = screen("Kill all the jews")
        assert (result.flag, result.model) == (True, False)
    finally:
        monkeypatch.delenv(ENV_MODEL)
        reset_default_screener()


def test_the_packaged_model_is_used_by_default() -> None:
    assert screen("anything").model


def test_suggestions_are_ordered_strongest_first() -> None:
    result = screen("ZioNazi scum, the jews control the media and should be gassed")
    confidences = [s.confidence for s in result.examples]
    assert confidences == sorted(confidences, reverse=True)
    assert all(isinstance(s, Suggestion) and s.triggers for s in result.examples)


def test_a_result_names_the_lexicon_and_model_that_produced_it() -> None:
    from fairhearing.screening.model import MODEL_PATH

    digest = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    assert screen("anything").version.endswith(f"model {digest[:12]}")
    assert screener_for(None).screen("anything").version.endswith("model none")
    assert "lexicon " in screen("anything").to_dict()["version"]
