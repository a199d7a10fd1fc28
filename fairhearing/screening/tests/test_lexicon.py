"""The lexicon file is valid, and every entry matches its examples and none of its counter-examples.

These are the golden tests that pin data/lexicon.toml: a change to a pattern that breaks a case
that motivated it fails here, naming the entry.
"""

from __future__ import annotations

import pytest

from fairhearing.screening.lexicon import CLAUSES, LexiconError, load_lexicon, parse_lexicon

LEXICON = load_lexicon()
EXAMPLES = [(e.id, text) for e in LEXICON.entries for text in e.examples]
COUNTERS = [(e.id, text) for e in LEXICON.entries for text in e.counter_examples]


@pytest.mark.parametrize(("entry_id", "text"), EXAMPLES)
def test_each_entry_matches_its_examples(entry_id: str, text: str) -> None:
    assert entry_id in {h.entry.id for h in LEXICON.match(text)}


@pytest.mark.parametrize(("entry_id", "text"), COUNTERS)
def test_each_entry_ignores_its_counter_examples(entry_id: str, text: str) -> None:
    assert entry_id not in {h.entry.id for h in LEXICON.match(text)}


def test_every_entry_has_an_example_and_a_counter_example() -> None:
    assert all(e.examples and e.counter_examples for e in LEXICON.entries)


def test_every_ihra_example_and_the_core_definition_is_covered() -> None:
    covered = {e.clause for e in LEXICON.entries}
    assert {"AS-0", *(f"AS-{n}" for n in range(1, 12))} <= covered


def test_the_clause_list_matches_the_default_code_of_conduct() -> None:
    assert CLAUSES == ("AS-0", "AS-1", "AS-2", "AS-3", "AS-4", "AS-5", "AS-6", "AS-7", "AS-8",
                       "AS-9", "AS-10", "AS-11", "RAC-1", "DIS-1", "HAR-1", "BUL-1", "ONL-1")


def test_a_hit_reports_the_words_that_triggered_it() -> None:
    hits = LEXICON.match("honestly the J3WS control the media, wake up")
    assert {h.entry.clause for h in hits} == {"AS-2"}
    assert ("as2-power", "the jews control the media") in {(h.entry.id, h.trigger) for h in hits}


ENTRY = """
[[entry]]
id = "x"
clause = "{clause}"
kind = "{kind}"
confidence = {confidence}
pattern = "{pattern}"
examples = ["a"]
counter_examples = ["b"]
"""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"clause": "AS-12"}, "clause 'AS-12' is not one of"),
        ({"kind": "maybe"}, "kind 'maybe' must be"),
        ({"confidence": "1.5"}, "confidence must be a number in (0, 1]"),
        ({"pattern": "(unclosed"}, "pattern does not compile"),
        ({"pattern": "<NOPE>"}, "unknown macro <NOPE>"),
    ],
)
def test_it_rejects_a_malformed_entry_naming_the_problem(fields: dict[str, str], message: str) -> None:
    values = {"clause": "AS-1", "kind": "explicit", "confidence": "0.9", "pattern": "a", **fields}
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_lexicon(ENTRY.format(**values))


def test_it_rejects_duplicate_ids() -> None:
    entry = ENTRY.format(clause="AS-1", kind="hint", confidence="0.5", pattern="a")
    with pytest.raises(LexiconError, match="duplicate entry ids"):
        parse_lexicon(entry + entry)


def test_it_rejects_a_file_without_entries() -> None:
    with pytest.raises(LexiconError, match="no \\[\\[entry\\]\\] tables"):
        parse_lexicon('version = "1"\n')


def _texts_for_precheck() -> list[str]:
    from fairhearing.screening.dataset import default_data_dir, read_rows

    from .functional import load_cases

    texts = [t for e in LEXICON.entries for t in (*e.examples, *e.counter_examples)]
    texts += [c.text for c in load_cases()]
    data = default_data_dir()
    for name in ("isca_train.csv", "hatexplain_jewish_proxy_train.csv"):
        if (data / name).is_file():
            texts += [r.text for r in read_rows(data / name)]
    return texts


def test_the_word_precheck_never_changes_a_match() -> None:
    from fairhearing.screening.normalise import fold

    for text in _texts_for_precheck():
        folded = fold(text)
        full = {e.id for e in LEXICON.entries
                if e.regex.search(text.lower() if e.on_raw else folded)}
        assert {h.entry.id for h in LEXICON.match(text, folded)} == full, text


def test_every_clause_the_engine_can_suggest_is_in_the_default_code_of_conduct() -> None:
    import tomllib
    from pathlib import Path

    code = Path(__file__).resolve().parents[2] / "conduct" / "codes" / "default.toml"
    if not code.is_file():
        pytest.skip("the default code of conduct is not in this checkout")
    ids = {c["id"] for c in tomllib.loads(code.read_text(encoding="utf-8"))["clauses"]}
    assert set(CLAUSES) <= ids
    assert {e.clause for e in LEXICON.entries} <= ids
