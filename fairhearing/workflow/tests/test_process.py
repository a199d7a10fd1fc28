"""Tests for process definitions: the default process (golden), the loader and every rule of
the validator, each broken on purpose by a file under tests/data/."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import fairhearing
from fairhearing.workflow.process import (
    DEFAULT_PROCESS_PATH,
    KNOWN_GUARDS,
    KNOWN_ROLES,
    Problem,
    ProcessError,
    ProcessFileNotFound,
    check_process_file,
    check_process_text,
    load_process,
    load_process_text,
)

DATA = Path(__file__).parent / "data"
MINIMAL = (DATA / "minimal.toml").read_text(encoding="utf-8")
DECISION_OUTCOMES = (
    "no_case_to_answer",
    "reminder_of_conduct",
    "formal_warning",
    "suspension",
)  # a referral for expulsion is its own transition, refer_to_hearing, so it always reaches a hearing


# -- the default process, pinned -----------------------------------------------------------


def test_the_default_process_loads_without_problems() -> None:
    assert check_process_file(DEFAULT_PROCESS_PATH) == []
    process = load_process(DEFAULT_PROCESS_PATH)
    assert (process.name, process.version, process.initial_stage) == ("default", 1, "received")


def test_the_default_process_keeps_the_published_timetable() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    timetable = {
        key: (s.days, s.terminal, s.notifies_respondent) for key, s in process.stages.items()
    }
    assert timetable == {
        "received": (2, False, False),
        "triage": (10, False, False),
        "investigation": (30, False, True),
        "decision": (10, False, False),
        "review": (5, False, False),
        "hearing": (30, False, False),
        "written_decision": (5, False, False),
        "appeal_window": (15, False, False),
        "appeal": (20, False, False),
        "closed": (0, True, False),
    }
    assert list(process.stages) == list(timetable)  # file order is kept


def test_the_default_process_keeps_its_settings() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    assert process.fast_track_factor == 0.5
    assert process.update_interval_days == 20
    assert process.acknowledge_within_days == 2
    assert process.respondent_reply_days == 10
    assert process.review_categories == ("antisemitism", "other_racism", "other_discrimination")
    assert process.escalation_roles == ("caseworker", "overseer")


def test_the_default_process_keeps_its_transitions() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    rows = {
        t.key: (t.sources, t.target, t.roles, t.requires, t.outcomes, t.guard)
        for t in process.transitions.values()
    }
    r, rc, rco = (
        frozenset({"reasons"}),
        frozenset({"reasons", "clauses"}),
        frozenset({"reasons", "clauses", "outcome"}),
    )
    ro = frozenset({"reasons", "outcome"})
    assert rows == {
        "acknowledge": (("received",), "triage", ("system", "caseworker"), frozenset(), (), None),
        "close_at_triage": (
            ("triage",),
            "closed",
            ("caseworker",),
            ro,
            ("out_of_scope", "no_further_action"),
            None,
        ),
        "investigate": (("triage",), "investigation", ("caseworker",), rc, (), None),
        "close_no_case": (("investigation",), "closed", ("caseworker",), r, (), None),
        "refer_to_panel": (("investigation",), "decision", ("caseworker",), r, (), None),
        "send_for_review": (
            ("decision",),
            "review",
            ("panel",),
            rco,
            DECISION_OUTCOMES,
            "review_required",
        ),
        "determine": (
            ("decision",),
            "written_decision",
            ("panel",),
            rco,
            DECISION_OUTCOMES,
            "review_not_required",
        ),
        "refer_to_hearing": (("decision",), "hearing", ("panel",), rc, (), "expulsion_referral"),
        "verify": (("review",), "written_decision", ("reviewer",), r, (), None),
        "veto": (("review",), "decision", ("reviewer",), r, (), None),
        "record_hearing_outcome": (
            ("hearing",),
            "written_decision",
            ("panel",),
            ro,
            (
                "expulsion",
                "suspension",
                "formal_warning",
                "reminder_of_conduct",
                "no_case_to_answer",
            ),
            None,
        ),
        "issue_decision": (("written_decision",), "appeal_window", ("caseworker",), r, (), None),
        "lodge_appeal": (
            ("appeal_window",),
            "appeal",
            ("caseworker", "respondent", "complainant"),
            r,
            (),
            "appeal_window_open",
        ),
        "close_after_window": (
            ("appeal_window",),
            "closed",
            ("system", "caseworker"),
            frozenset(),
            (),
            "file_complete",
        ),
        "decide_appeal": (
            ("appeal",),
            "closed",
            ("panel",),
            ro,
            ("dismissed", "allowed", "sanction_substituted"),
            None,
        ),
        "reopen": (("closed",), "triage", ("caseworker",), r, (), None),
    }


def test_the_default_process_keeps_its_pauses() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    pauses = {p.key: (p.max_days, p.stages) for p in process.pauses.values()}
    assert pauses == {
        "awaiting_complainant": (20, ("triage", "investigation")),
        "awaiting_respondent": (10, ("investigation",)),
        "awaiting_third_party": (15, ("investigation",)),
    }


def test_every_default_stage_has_labels_a_complainant_can_read() -> None:
    for stage in load_process(DEFAULT_PROCESS_PATH).stages.values():
        assert stage.label.strip() and stage.public_label.strip() and stage.description.strip()


# -- the Process API ---------------------------------------------------------------------------


def test_transitions_from_a_stage_come_in_file_order() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    keys = [t.key for t in process.transitions_from("decision")]
    assert keys == ["send_for_review", "determine", "refer_to_hearing"]
    assert [t.key for t in process.transitions_from("closed")] == ["reopen"]


def test_asking_for_an_unknown_stage_names_the_known_ones() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    with pytest.raises(KeyError, match=r"no stage 'trage'.*triage"):
        process.stage("trage")
    with pytest.raises(KeyError, match="trage"):
        process.transitions_from("trage")


def test_fast_tracking_halves_the_stage_rounding_up() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    assert process.stage_days("investigation", fast_tracked=False) == 30
    assert process.stage_days("investigation", fast_tracked=True) == 15
    assert process.stage_days("appeal_window", fast_tracked=True) == 8  # 7.5 rounded up
    assert process.stage_days("closed", fast_tracked=True) == 0


def test_fast_tracking_never_leaves_a_stage_with_no_time() -> None:
    text = MINIMAL.replace("fast_track_factor = 0.5", "fast_track_factor = 0.01")
    process = load_process_text(text)
    assert process.stage_days("decided", fast_tracked=True) == 1
    assert process.stage_days("closed", fast_tracked=True) == 0


def test_fast_tracking_uses_the_factor_as_written_without_binary_rounding() -> None:
    # 30 * 0.1 is 3.0000000000000004 in binary floating point; ceil of that would be 4.
    text = MINIMAL.replace("fast_track_factor = 0.5", "fast_track_factor = 0.1").replace(
        'label = "Open"\ndays = 10', 'label = "Open"\ndays = 30'
    )
    assert load_process_text(text).stage_days("open", fast_tracked=True) == 3


def test_a_loaded_process_cannot_be_changed() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        process.version = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        process.stages["triage"] = process.stages["received"]  # type: ignore[index]


def test_two_loads_of_the_same_file_are_equal_and_hashable() -> None:
    first, second = load_process(DEFAULT_PROCESS_PATH), load_process(DEFAULT_PROCESS_PATH)
    assert first == second
    assert hash(first) == hash(second)


def test_pauses_for_a_stage_come_in_file_order() -> None:
    process = load_process(DEFAULT_PROCESS_PATH)
    assert [p.key for p in process.pauses_for("investigation")] == [
        "awaiting_complainant",
        "awaiting_respondent",
        "awaiting_third_party",
    ]
    assert process.pauses_for("decision") == []
    assert process.terminal_stages() == ("closed",)


def test_optional_stage_keys_take_their_defaults() -> None:
    stage = load_process_text(MINIMAL).stage("open")
    assert stage.public_label == "Open"  # defaults to the label
    assert stage.description == ""
    assert (stage.terminal, stage.notifies_respondent) == (False, False)


def test_a_single_source_may_be_written_as_a_string() -> None:
    process = load_process_text(MINIMAL.replace('from = ["open"]', 'from = "open"'))
    assert process.transitions["decide"].sources == ("open",)


def test_the_vocabularies_match_the_documented_lists() -> None:
    assert set(KNOWN_ROLES) == {
        "system",
        "caseworker",
        "panel",
        "reviewer",
        "overseer",
        "complainant",
        "respondent",
    }
    assert "file_complete" in KNOWN_GUARDS and "review_required" in KNOWN_GUARDS


# -- each validation rule, broken on purpose ---------------------------------------------------

# file -> every expected problem as (location after "FILE: ", words the message must contain)
BAD_FILES: dict[str, list[tuple[str, str]]] = {
    "bad_missing_keys": [
        ("process.name", "missing required key 'name'"),
        ("stages[2] 'decided'.days", "missing required key 'days'"),
    ],
    "bad_missing_process": [("process", "missing the [process] table")],
    "bad_unknown_keys": [
        ("stages[2] 'decided'.colour", "unknown key 'colour'"),
        ("extras", "unknown top-level key 'extras'"),
    ],
    "bad_wrong_types": [
        ("stages[1] 'open'.label", "must be a string, got an integer (3)"),
        ("stages[3] 'closed'.terminal", "must be true or false, got a string ('yes')"),
        ("transitions[1] 'decide'.roles", "must be an array, got a string ('panel')"),
    ],
    "bad_unknown_source": [("transitions[2] 'close'.from", "unknown stage 'decidd'")],
    "bad_unknown_target": [
        ("transitions[3] 'reconsider'.to", "unknown stage 'opne' (did you mean 'open'?)")
    ],
    "bad_unreachable_stage": [("stages[3] 'limbo'", "unreachable")],
    "bad_dead_end": [("stages[3] 'stuck'", "dead end")],
    "bad_no_way_to_close": [
        ("stages[3] 'ping'", "can never reach a terminal stage"),
        ("stages[4] 'pong'", "can never reach a terminal stage"),
    ],
    "bad_no_terminal_stage": [
        ("stages", "no stage is terminal"),
        ("stages[3] 'closed'", "dead end"),
    ],
    "bad_terminal_days": [("stages[3] 'closed'.days", "terminal stage has no clock")],
    "bad_negative_days": [("stages[1] 'open'.days", "0 or more working days, got -3")],
    "bad_fractional_days": [("stages[1] 'open'.days", "whole number of working days")],
    "bad_factor_zero": [("process.fast_track_factor", "must be greater than 0 and at most 1")],
    "bad_factor_above_one": [("process.fast_track_factor", "at most 1 (0.5 runs")],
    "bad_unknown_role": [("transitions[1] 'decide'.roles", "unknown role 'chair'")],
    "bad_unknown_guard": [
        ("transitions[2] 'close'.guard", "unknown guard 'file_completed' (did you mean")
    ],
    "bad_unknown_requirement": [
        ("transitions[1] 'decide'.requires", "unknown required field 'evidence'")
    ],
    "bad_outcomes_without_requirement": [
        ("transitions[1] 'decide'.outcomes", 'requires does not include "outcome"')
    ],
    "bad_requirement_without_outcomes": [
        ("transitions[1] 'decide'.outcomes", "no outcomes are listed")
    ],
    "bad_duplicate_keys": [
        ("stages[3] 'decided'.key", "duplicate stage key 'decided' (first used by stages[2])"),
        ("transitions[3] 'decide'.key", "duplicate transition key 'decide'"),
    ],
    "bad_pause_unknown_stage": [("pauses[1] 'waiting'.stages", "unknown stage 'triage'")],
    "bad_pause_terminal_stage": [("pauses[1] 'waiting'.stages", "'closed' is a terminal stage")],
    "bad_unknown_escalation_role": [("process.escalation_roles", "unknown role 'leader'")],
    "bad_review_without_guard": [("process.review_categories", "no transition has guard")],
    "bad_key_format": [("transitions[2] 'Close Case'.key", "'Close Case' is not a valid key")],
    "bad_initial_stage": [("process.initial_stage", "unknown stage 'start'")],
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_broken_rule_is_reported_where_it_is_broken(name: str) -> None:
    problems = check_process_file(DATA / f"{name}.toml")
    expected = BAD_FILES[name]
    assert len(problems) == len(expected), "\n".join(map(str, problems))
    for location, words in expected:
        matching = [p for p in problems if p.location == f"{name}.toml: {location}"]
        assert matching, f"no problem at {location}; got:\n" + "\n".join(map(str, problems))
        assert any(words in p.message for p in matching), "\n".join(map(str, matching))


def test_every_bad_file_in_the_data_directory_is_covered() -> None:
    files = {path.stem for path in DATA.glob("bad_*.toml")}
    assert files == set(BAD_FILES) | {"bad_syntax"}


def test_the_minimal_file_that_the_bad_files_break_is_itself_valid() -> None:
    assert check_process_file(DATA / "minimal.toml") == []


def test_a_syntax_error_is_reported_with_its_line_and_column() -> None:
    path = DATA / "bad_syntax.toml"
    line = next(
        number
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if "= =" in text
    )
    [problem] = check_process_file(path)
    assert problem.location.startswith(f"bad_syntax.toml: line {line}, column ")
    assert problem.message.startswith("TOML syntax error")


def test_a_file_with_several_problems_reports_all_of_them_in_file_order() -> None:
    problems = check_process_file(DATA / "several_problems.toml")
    locations = [p.location.removeprefix("several_problems.toml: ") for p in problems]
    for expected in [
        "process.fast_track_factor",
        "stages[1] 'open'.days",
        "transitions[1] 'decide'.roles",
        "transitions[2] 'close'.to",
        "transitions[2] 'close'.guard",
        "pauses[1] 'waiting'.max_days",
    ]:
        assert expected in locations
    assert locations.index("process.fast_track_factor") < locations.index("stages[1] 'open'.days")
    assert locations.index("stages[1] 'open'.days") < locations.index(
        "transitions[1] 'decide'.roles"
    )
    assert locations[-1] == "pauses[1] 'waiting'.max_days"


def test_loading_a_bad_file_raises_with_every_problem() -> None:
    path = DATA / "several_problems.toml"
    with pytest.raises(ProcessError) as caught:
        load_process(path)
    assert caught.value.problems == check_process_file(path)
    assert "pauses[1] 'waiting'.max_days" in str(caught.value)


# -- inline cases: shapes a file cannot easily show one at a time ------------------------------


@pytest.mark.parametrize(
    ("old", "new", "location", "words"),
    [
        ("version = 1", "version = 0", "process.version", "1 or more"),
        ("version = 1", "version = true", "process.version", "got a boolean"),
        ('"Open"\ndays = 10', '"Open"\ndays = true', "stages[1] 'open'.days", "got a boolean"),
        (
            'roles = ["panel"]',
            'roles = ["panel", "panel"]',
            "transitions[1] 'decide'.roles",
            "listed twice",
        ),
        ('roles = ["panel"]', "roles = []", "transitions[1] 'decide'.roles", "at least one"),
        ('label = "Open"', 'label = "  "', "stages[1] 'open'.label", "must not be empty"),
        (
            "update_interval_days = 20",
            "update_interval_days = 0",
            "process.update_interval_days",
            "1 or more",
        ),
    ],
)
def test_it_rejects_values_of_the_wrong_shape(
    old: str, new: str, location: str, words: str
) -> None:
    assert MINIMAL.count(old) >= 1
    problems = check_process_text(MINIMAL.replace(old, new, 1), source="x.toml")
    assert [(p.location, words in p.message) for p in problems] == [(f"x.toml: {location}", True)]


def test_it_rejects_stages_that_are_not_an_array_of_tables() -> None:
    header = MINIMAL[: MINIMAL.index("[[stages]]")]
    problems = check_process_text('stages = "open"\n' + header, source="x.toml")
    locations = {p.location: p.message for p in problems}
    assert "array of tables" in locations["x.toml: stages"]
    assert "missing" in locations["x.toml: transitions"]


def test_it_reports_an_empty_file_as_missing_everything() -> None:
    locations = {p.location for p in check_process_text("", source="x.toml")}
    assert locations == {"x.toml: process", "x.toml: stages", "x.toml: transitions"}


# -- reading files -----------------------------------------------------------------------------


def test_a_missing_file_is_a_problem_and_loading_it_raises_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    [problem] = check_process_file(path)
    assert problem == Problem("absent.toml", f"no such file: {path}; check the path")
    with pytest.raises(FileNotFoundError):
        load_process(path)
    with pytest.raises(ProcessFileNotFound) as caught:
        load_process(path)
    assert caught.value.problems == [problem]


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(MINIMAL.replace("Open", "Ouvert\xe9").encode("latin-1"))
    [problem] = check_process_file(path)
    assert "not UTF-8" in problem.message


def test_a_directory_is_a_problem(tmp_path: Path) -> None:
    [problem] = check_process_file(tmp_path)
    assert "is a directory" in problem.message


# -- the check-process command -----------------------------------------------------------------

HAS_PROJECT = (Path(fairhearing.__file__).parent / "settings.py").exists()
needs_project = pytest.mark.skipif(not HAS_PROJECT, reason="the Django project is not set up")


def _call_check_process(*args: str, out: io.StringIO) -> None:
    import django
    from django.apps import apps
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    if not apps.ready:
        django.setup()
    call_command("check_process", *args, stdout=out)


@needs_project
def test_the_command_says_ok_with_the_size_of_a_good_process() -> None:
    out = io.StringIO()
    _call_check_process(str(DEFAULT_PROCESS_PATH), out=out)
    assert "OK: default v1, 10 stages, 16 transitions" in out.getvalue()


@needs_project
def test_the_command_prints_every_problem_and_fails() -> None:
    from django.core.management import CommandError

    path = DATA / "several_problems.toml"
    problems = check_process_file(path)
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"{len(problems)} problems in "):
        _call_check_process(str(path), out=out)
    assert out.getvalue().splitlines() == [f"{p.location}: {p.message}" for p in problems]


@needs_project
def test_the_command_line_exits_with_status_one_and_one_line_per_problem() -> None:
    path = DATA / "several_problems.toml"
    result = subprocess.run(
        [sys.executable, "-m", "fairhearing", "check-process", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [str(p) for p in check_process_file(path)]


def test_the_example_in_the_documentation_is_a_valid_process() -> None:
    guide = Path(fairhearing.__file__).resolve().parents[1] / "docs" / "process-files.md"
    if not guide.exists():
        pytest.skip("the documentation is not shipped with an installed package")
    text = guide.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    process = load_process_text(example, source="process-files.md")
    assert (process.name, len(process.stages), len(process.transitions)) == ("small_club", 3, 2)
