"""Framing cues tell expressing apart from quoting, condemning and reporting."""

from __future__ import annotations

import pytest

from fairhearing.screening.framing import FramingError, load_framing, parse_framing
from fairhearing.screening.normalise import fold

RULES = load_framing()


def cue(text: str) -> str | None:
    return RULES.cue(text, fold(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He tweeted "Jews are vermin" and was suspended', "quotes"),
        ("Someone called me a dirty jew on the bus", "quotes"),
        ("Calling Jews rats is disgusting antisemitism", "condemns"),
        ("Dual loyalty smears against Jews are antisemitic", "condemns"),
        ("Jews do not control the media", "condemns"),
        ("'Kike' is a slur and nobody should use it", "condemns"),
        ("Notice how Jews own every major news outlet", None),
        ("Police are investigating graffiti at the synagogue", "reports"),
        ("Jews are disgusting", None),
        ("We must fight the jews", None),
        ("Jews are not human", None),
        ("I say jews are vermin", None),
        ("The antisemitism smear is a weapon, jews control the media", None),
    ],
)
def test_it_reads_the_framing_of_a_text(text: str, expected: str | None) -> None:
    assert cue(text) == expected


def test_it_recognises_policy_criticism_that_names_no_people() -> None:
    assert RULES.is_policy_criticism(fold("The Israeli government's settlement policy is illegal"))
    assert not RULES.is_policy_criticism(fold("The Jews and their government policy"))


def test_it_recognises_speakers_describing_their_own_jewish_identity() -> None:
    assert RULES.is_in_group(fold("As a Jew I find this hard"))
    assert RULES.is_in_group(fold("Honestly, Jews I know are the kindest people"))
    assert not RULES.is_in_group(fold("Jews find this hard"))


def test_it_rejects_a_framing_file_with_a_missing_key() -> None:
    with pytest.raises(FramingError, match="missing own_voice"):
        parse_framing('version = "1"\n')
