"""Behaviour of the platform-check name matching engine (pure Python, no database)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.registry.matching import (
    MATCH_THRESHOLD,
    MAX_NAME_LENGTH,
    MAX_SPEAKERS,
    POSSIBLE_CEILING,
    POSSIBLE_THRESHOLD,
    InvalidNameError,
    MatchIndex,
    MatchResult,
    RegistryName,
    Verdict,
    load_name_groups,
    normalise_membership_number,
    normalise_name,
    parse_speaker_lines,
    phonetic_key,
)
from fairhearing.registry.matching_names import NameKnowledge, _parse_groups
from fairhearing.registry.matching_normalise import postnominals, titles

REGISTRY = [
    RegistryName("e-jacqueline", "Jacqueline Smith", "M-1001"),
    RegistryName("e-kenneth", "Kenneth O'Neill-Brown"),
    RegistryName("e-alexander", "Alexander Harrison"),
    RegistryName("e-priya", "Priya Patel", "2002"),
    RegistryName("e-mohammed", "Mohammed al-Hassan"),
    RegistryName("e-sergei", "Sergei Ivanov"),
    RegistryName("e-daniel", "Daniel Cohen"),
    RegistryName("e-mary", "Mary Anne Louise Thompson"),
    RegistryName("e-robert", "Robert Williams"),
    RegistryName("e-william", "William Okafor"),
    RegistryName("e-elizabeth", "Elizabeth Goldberg"),
    RegistryName("e-james", "James Kowalski"),
    RegistryName("e-richard", "Richard Mensah"),
    RegistryName("e-margaret", "Margaret Doherty"),
    RegistryName("e-siobhan", "Siobhán Ó Briain"),
    RegistryName("e-paul", "John Paul Featherstone"),
    RegistryName("e-rees", "Jacob Rees-Mogg"),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(REGISTRY)


def check(index: MatchIndex, name: str, number: str | None = None) -> MatchResult:
    return index.match(name, number)


# --- reading names -----------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Dame Jacqueline Smith DBE",
        "Cllr Jacqueline Smith MP",
        "The Rt Hon Dr Jacqueline Smith KC MP",
        "Prof. Jacqueline Smith, PhD",
        "Ms Jacqueline Smith OBE, MEP",
        "Smith, Dr Jacqueline",
    ],
)
def test_it_strips_titles_and_post_nominals(raw: str) -> None:
    name = normalise_name(raw)
    assert name.given_names == ("jacqueline",)
    assert name.surname == "smith"


def test_it_reads_surname_comma_forename() -> None:
    name = normalise_name("Smith, Jacqueline Mary")
    assert (name.given_names, name.surname) == (("jacqueline", "mary"), "smith")


def test_it_drops_a_territorial_designation_after_a_peerage_title() -> None:
    name = normalise_name("Lord Smith of Finsbury")
    assert (name.given_names, name.surname) == ((), "smith")


def test_it_keeps_a_short_surname_that_looks_like_a_degree() -> None:
    assert normalise_name("Jack Ma").surname == "ma"


def test_it_removes_capitalised_post_nominals_even_from_a_two_word_name() -> None:
    assert normalise_name("Smith MP").surname == "smith"


@pytest.mark.parametrize(
    ("raw", "given", "surname"),
    [
        ("Siobhán Ó Briain", ("siobhan",), "obriain"),
        ("Сергей Иванов", ("sergei",), "ivanov"),
        ("Łukasz Wiśniewski", ("lukasz",), "wisniewski"),
        ("Zoë Müller", ("zoe",), "muller"),
    ],
)
def test_it_folds_diacritics_and_transliterates_other_scripts(
    raw: str, given: tuple[str, ...], surname: str
) -> None:
    name = normalise_name(raw)
    assert (name.given_names, name.surname) == (given, surname)


def test_it_joins_apostrophes_and_hyphens_in_a_surname_and_keeps_its_parts() -> None:
    name = normalise_name("Kenneth O'Neill-Brown")
    assert name.surname == "oneillbrown"
    assert name.surname_parts == ("oneill", "brown")


def test_it_splits_a_hyphenated_forename_into_given_names() -> None:
    assert normalise_name("Jean-Paul Sartre").given_names == ("jean", "paul")


@pytest.mark.parametrize("raw", ["J.R.R. Tolkien", "JRR Tolkien", "J R R Tolkien", "Tolkien, JRR"])
def test_it_exposes_initials_however_they_are_written(raw: str) -> None:
    name = normalise_name(raw)
    assert name.initials == ("j", "r", "r")
    assert name.surname == "tolkien"


def test_it_reads_a_capitalised_surname_written_first() -> None:
    name = normalise_name("SMITH Jacqueline Mary")
    assert (name.given_names, name.surname) == (("jacqueline", "mary"), "smith")


def test_it_joins_surname_particles_but_not_a_leading_forename() -> None:
    beethoven = normalise_name("Ludwig van Beethoven")
    assert (beethoven.surname, beethoven.surname_core) == ("vanbeethoven", "beethoven")
    assert normalise_name("Al Smith").given_names == ("al",)


def test_it_ignores_text_in_brackets() -> None:
    assert normalise_name("Priya Patel (Chair)").full == "priya patel"


@pytest.mark.parametrize("raw", ["", "   ", "123", "!!!", "Dr", "Mr OBE"])
def test_it_rejects_text_that_holds_no_name(raw: str) -> None:
    with pytest.raises(InvalidNameError, match="name"):
        normalise_name(raw)


def test_it_rejects_a_name_over_the_length_limit() -> None:
    with pytest.raises(InvalidNameError, match=str(MAX_NAME_LENGTH)):
        normalise_name("a" * (MAX_NAME_LENGTH + 1))


def test_it_rejects_a_name_that_is_not_text() -> None:
    with pytest.raises(InvalidNameError, match="text"):
        normalise_name(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "second"), [("smith", "smyth"), ("cohen", "kohen"), ("mcdonald", "macdonald")]
)
def test_sound_alike_surnames_share_a_phonetic_key(first: str, second: str) -> None:
    assert phonetic_key(first) == phonetic_key(second)


def test_different_sounding_surnames_have_different_phonetic_keys() -> None:
    assert phonetic_key("smith") != phonetic_key("jones")


# --- the data files ------------------------------------------------------------


def test_the_nickname_file_holds_at_least_150_groups() -> None:
    assert len(load_name_groups().groups) >= 150


@pytest.mark.parametrize(
    ("short", "formal"),
    [
        ("ken", "kenneth"),
        ("jackie", "jacqueline"),
        ("bob", "robert"),
        ("rob", "robert"),
        ("bill", "william"),
        ("will", "william"),
        ("liz", "elizabeth"),
        ("beth", "elizabeth"),
        ("jim", "james"),
        ("dick", "richard"),
        ("peggy", "margaret"),
        ("sandy", "alexander"),
        ("sandy", "alexandra"),
        ("muhammad", "mohammed"),
        ("iurii", "yuri"),
    ],
)
def test_required_nicknames_are_equivalent_both_ways(short: str, formal: str) -> None:
    knowledge = NameKnowledge()
    assert knowledge.equivalence(short, formal) > 0
    assert knowledge.equivalence(formal, short) > 0


def test_two_names_sharing_only_a_nickname_are_not_equivalent() -> None:
    assert NameKnowledge().equivalence("alexander", "alexandra") == 0


def test_a_nickname_shared_by_two_names_is_weaker_than_a_single_one() -> None:
    knowledge = NameKnowledge()
    assert knowledge.equivalence("alex", "alexander") == 1
    assert knowledge.equivalence("ken", "kenneth") == 2


def test_foreign_forms_link_to_the_english_name_but_not_to_each_other() -> None:
    knowledge = NameKnowledge()
    assert knowledge.equivalence("piotr", "peter") == 2
    assert knowledge.equivalence("petr", "peter") == 2
    assert knowledge.equivalence("piotr", "petr") == 0


def test_a_malformed_nickname_line_is_rejected_with_its_line_number() -> None:
    with pytest.raises(ValueError, match="line 2"):
        _parse_groups(["# comment", "Kenneth,Ken"], "nicknames.csv")


def test_the_word_lists_hold_the_required_titles_and_post_nominals() -> None:
    required_titles = {"dame", "lord", "lady", "sir", "baroness", "cllr", "councillor", "dr",
                       "prof", "rev", "mr", "mrs", "ms", "miss", "mx"}  # fmt: skip
    required_letters = {"mp", "msp", "ms", "am", "mep", "obe", "mbe", "cbe", "kc", "qc", "phd"}
    assert required_titles <= titles()
    assert required_letters <= postnominals()


def test_every_data_file_is_lower_case_ascii() -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    for name in ("nicknames.csv", "titles.txt", "postnominals.txt", "particles.txt"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                assert line.isascii() and line == line.lower(), f"{name}: {line!r}"


# --- matching --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Jacqueline Smith", "Dame Jacqueline Smith DBE", "SMITH, Jacqueline", "jacqueline smith"],
)
def test_the_same_name_however_written_is_a_match(index: MatchIndex, query: str) -> None:
    result = check(index, query)
    assert result.verdict is Verdict.MATCH
    assert result.entry_id == "e-jacqueline"
    assert result.score >= MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("Jackie Smith", "e-jacqueline"),
        ("Ken O'Neill-Brown", "e-kenneth"),
        ("Bob Williams", "e-robert"),
        ("Bill Okafor", "e-william"),
        ("Liz Goldberg", "e-elizabeth"),
        ("Jim Kowalski", "e-james"),
        ("Dick Mensah", "e-richard"),
        ("Peggy Doherty", "e-margaret"),
        ("Muhammad al-Hassan", "e-mohammed"),
    ],
)
def test_a_nickname_matches_the_formal_name(index: MatchIndex, query: str, entry_id: str) -> None:
    result = check(index, query)
    assert (result.verdict, result.entry_id) == (Verdict.MATCH, entry_id)


def test_a_formal_name_matches_a_nickname_in_the_registry() -> None:
    result = MatchIndex([RegistryName("e1", "Ken Clarke")]).match("Kenneth Clarke")
    assert (result.verdict, result.entry_id) == (Verdict.MATCH, "e1")


@pytest.mark.parametrize("query", ["J. Smith", "J Smith", "Smith, J."])
def test_initials_give_at_most_a_possible_match(index: MatchIndex, query: str) -> None:
    result = check(index, query)
    assert (result.verdict, result.entry_id) == (Verdict.POSSIBLE, "e-jacqueline")
    assert POSSIBLE_THRESHOLD <= result.score <= POSSIBLE_CEILING


def test_a_registry_entry_written_with_initials_gives_at_most_a_possible_match() -> None:
    result = MatchIndex([RegistryName("e1", "J. Smith")]).match("Jacqueline Smith")
    assert result.verdict is Verdict.POSSIBLE


def test_a_typo_in_a_long_forename_still_matches(index: MatchIndex) -> None:
    assert check(index, "Jacqeline Smith").verdict is Verdict.MATCH


@pytest.mark.parametrize("query", ["Jacqueline Smtih", "Jacqueline Smyth", "Priya Patil"])
def test_a_misspelt_surname_is_sent_for_review(index: MatchIndex, query: str) -> None:
    assert check(index, query).verdict is Verdict.POSSIBLE


def test_a_typo_at_the_start_of_a_word_is_still_found(index: MatchIndex) -> None:
    assert check(index, "Hacqueline Smith").entry_id == "e-jacqueline"
    assert check(index, "Jacqueline Amith").entry_id == "e-jacqueline"


@pytest.mark.parametrize("query", ["Peter Smith", "Jennifer Smith", "Jack Smith"])
def test_a_different_forename_with_the_same_surname_is_no_match(
    index: MatchIndex, query: str
) -> None:
    result = check(index, query)
    assert result.verdict is Verdict.NONE
    assert result.entry_id is None
    assert result.score < POSSIBLE_THRESHOLD


@pytest.mark.parametrize("query", ["Alexandra Harrison", "Danielle Cohen"])
def test_another_form_of_a_forename_for_the_other_sex_is_no_match(
    index: MatchIndex, query: str
) -> None:
    assert check(index, query).verdict is Verdict.NONE


def test_a_different_surname_with_the_same_forename_is_no_match(index: MatchIndex) -> None:
    assert check(index, "Jacqueline Jones").verdict is Verdict.NONE


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [("Siobhan O Briain", "e-siobhan"), ("Сергей Иванов", "e-sergei"), ("SIOBHÁN Ó BRIAIN", "e-siobhan")],
)
def test_diacritics_and_other_scripts_match(index: MatchIndex, query: str, entry_id: str) -> None:
    result = check(index, query)
    assert (result.verdict, result.entry_id) == (Verdict.MATCH, entry_id)


def test_a_surname_particle_may_be_left_out(index: MatchIndex) -> None:
    assert check(index, "Mohammed Hassan").verdict is Verdict.MATCH


@pytest.mark.parametrize(
    "query", ["Mary Thompson", "Mary Louise Anne Thompson", "Mary Anne Thompson"]
)
def test_middle_names_may_be_left_out_or_reordered(index: MatchIndex, query: str) -> None:
    assert check(index, query).verdict is Verdict.MATCH


def test_a_name_matched_only_through_a_middle_name_is_only_possible(index: MatchIndex) -> None:
    assert check(index, "Paul Featherstone").verdict is Verdict.POSSIBLE


def test_a_conflicting_middle_name_is_only_possible(index: MatchIndex) -> None:
    assert check(index, "Mary Margaret Thompson").verdict is Verdict.POSSIBLE


def test_a_surname_alone_is_at_most_possible(index: MatchIndex) -> None:
    result = check(index, "Lord Featherstone")
    assert (result.verdict, result.entry_id) == (Verdict.POSSIBLE, "e-paul")


def test_a_double_barrelled_surname_without_its_hyphen_matches(index: MatchIndex) -> None:
    assert check(index, "Jacob Rees Mogg").verdict is Verdict.MATCH


def test_half_of_a_double_barrelled_surname_is_only_possible(index: MatchIndex) -> None:
    assert check(index, "Jacob Mogg").verdict is Verdict.POSSIBLE


def test_a_membership_number_hit_is_a_match_scoring_100(index: MatchIndex) -> None:
    result = check(index, "J. Smith", "M-1001")
    assert (result.verdict, result.score, result.entry_id) == (Verdict.MATCH, 100.0, "e-jacqueline")


def test_membership_numbers_compare_without_case_spaces_or_hyphens(index: MatchIndex) -> None:
    assert normalise_membership_number(" m 10-01 ") == normalise_membership_number("M1001")
    assert check(index, "Jacqueline Smith", "m1001").score == 100.0


def test_a_membership_number_under_a_clearly_different_name_is_only_possible(
    index: MatchIndex,
) -> None:
    result = check(index, "Oliver Twist", "M-1001")
    assert (result.verdict, result.entry_id) == (Verdict.POSSIBLE, "e-jacqueline")


def test_a_name_match_with_a_different_membership_number_is_only_possible(
    index: MatchIndex,
) -> None:
    assert check(index, "Priya Patel", "9999").verdict is Verdict.POSSIBLE


def test_an_unknown_membership_number_leaves_the_name_to_decide(index: MatchIndex) -> None:
    assert check(index, "Kenneth O'Neill-Brown", "5555").verdict is Verdict.MATCH


def test_the_result_says_nothing_about_why(index: MatchIndex) -> None:
    fields = {field.name for field in dataclasses.fields(check(index, "Jackie Smith"))}
    assert fields == {"query", "membership_number", "verdict", "score", "entry_id"}


def test_match_many_answers_every_item_in_order(index: MatchIndex) -> None:
    results = index.match_many([("Peter Smith", None), ("Jackie Smith", None), ("Priya Patel", "2002")])
    assert [r.verdict for r in results] == [Verdict.NONE, Verdict.MATCH, Verdict.MATCH]
    assert [r.query for r in results] == ["Peter Smith", "Jackie Smith", "Priya Patel"]


def test_an_empty_registry_answers_no_match() -> None:
    result = MatchIndex([]).match("Jacqueline Smith", "M-1001")
    assert (result.verdict, result.entry_id) == (Verdict.NONE, None)


def test_it_rejects_a_registry_entry_without_a_usable_name() -> None:
    with pytest.raises(ValueError, match="e-blank"):
        MatchIndex([RegistryName("e-blank", "  ")])


def test_it_rejects_a_query_without_a_usable_name(index: MatchIndex) -> None:
    with pytest.raises(InvalidNameError):
        check(index, "---")


def test_the_thresholds_are_ordered() -> None:
    assert 0 < POSSIBLE_THRESHOLD < POSSIBLE_CEILING < MATCH_THRESHOLD <= 100


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdeijklmnoprsty -,.'ÉéöЖж", min_size=1, max_size=40),
    st.one_of(st.none(), st.sampled_from(["M-1001", "2002", "7"])),
)
def test_the_score_always_agrees_with_the_verdict(text: str, number: str | None) -> None:
    index = MatchIndex(REGISTRY)
    try:
        result = index.match(text, number)
    except InvalidNameError:
        return
    if result.verdict is Verdict.MATCH:
        assert result.score >= MATCH_THRESHOLD and result.entry_id
    elif result.verdict is Verdict.POSSIBLE:
        assert POSSIBLE_THRESHOLD <= result.score <= POSSIBLE_CEILING and result.entry_id
    else:
        assert result.score < POSSIBLE_THRESHOLD and result.entry_id is None


# --- reading speaker lists ---------------------------------------------------------


def test_it_reads_names_with_and_without_membership_numbers() -> None:
    items, errors = parse_speaker_lines("Jacqueline Smith\nPriya Patel, 2002\n")
    assert items == [("Jacqueline Smith", None), ("Priya Patel", "2002")]
    assert errors == []


def test_it_keeps_surname_comma_forename_as_one_name() -> None:
    items, _ = parse_speaker_lines("Smith, Jacqueline\nSmith, Jacqueline, M-1001")
    assert items == [("Smith, Jacqueline", None), ("Smith, Jacqueline", "M-1001")]


def test_it_reads_quoted_csv_and_tab_separated_lines() -> None:
    items, errors = parse_speaker_lines('"Smith, Jacqueline",1001\nPriya Patel\t2002')
    assert items == [("Smith, Jacqueline", "1001"), ("Priya Patel", "2002")]
    assert errors == []


def test_it_skips_blank_lines_comments_and_a_header() -> None:
    items, errors = parse_speaker_lines("name,membership_number\n\n# speakers\nPriya Patel,2002\n")
    assert items == [("Priya Patel", "2002")]
    assert errors == []


def test_it_reports_an_empty_name_with_its_line_number() -> None:
    items, errors = parse_speaker_lines("Priya Patel\n, 12345")
    assert items == [("Priya Patel", None)]
    assert len(errors) == 1 and errors[0].startswith("line 2:") and "empty" in errors[0]


def test_it_reports_a_name_that_is_too_long() -> None:
    _, errors = parse_speaker_lines("x" * (MAX_NAME_LENGTH + 1))
    assert errors and errors[0].startswith("line 1:") and "characters" in errors[0]


@pytest.mark.parametrize("number", ["12#45", "1" * 40, "12;34"])
def test_it_reports_a_bad_membership_number(number: str) -> None:
    _, errors = parse_speaker_lines(f"Priya Patel, {number}")
    assert errors and errors[0].startswith("line 1:") and "membership number" in errors[0]


def test_it_reports_digits_in_a_name_and_says_where_the_number_goes() -> None:
    _, errors = parse_speaker_lines("Priya Patel 2002")
    assert errors and "after a comma" in errors[0]


def test_it_reports_a_line_holding_only_a_title() -> None:
    _, errors = parse_speaker_lines("Dr")
    assert errors and errors[0].startswith("line 1:")


def test_it_stops_at_the_speaker_limit_and_says_so() -> None:
    items, errors = parse_speaker_lines("\n".join(["Priya Patel"] * (MAX_SPEAKERS + 3)))
    assert len(items) == MAX_SPEAKERS
    assert len(errors) == 1 and str(MAX_SPEAKERS) in errors[0]


def test_it_rejects_a_speaker_list_that_is_not_text() -> None:
    with pytest.raises(TypeError, match="text"):
        parse_speaker_lines(None)  # type: ignore[arg-type]
