from __future__ import annotations

from datetime import date, timedelta

import pytest

from fairhearing.privacy.schedule import (
    OUTSIDE_KINDS,
    OutsideRule,
    ScheduleError,
    add_months,
    load_schedule,
    outside_cutoff,
    outside_due_on,
    parse_schedule,
)


def test_the_shipped_schedule_loads_with_the_documented_periods() -> None:
    schedule = load_schedule()
    assert schedule.rule_for("no_further_action").months == 24
    assert schedule.rule_for("formal_warning").after == "lapse"
    assert schedule.rule_for("expulsion").months == 120
    assert schedule.rule_for("something_new") is schedule.default


def test_months_are_calendar_months_clamped_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


@pytest.mark.parametrize(("text", "message"), [
    ("[outcomes.x]\nafter='closure'\nmonths=1", "a \\[default\\] rule is required"),
    ("[default]\nafter='never'\nmonths=1", "default.after must be one of closure, lapse"),
    ("[default]\nafter='closure'\nmonths=0", "default.months must be a whole number"),
    ("[default]\nafter='closure'\nmonths=3\nyears=2", "unknown key\\(s\\) years"),
    ("[default\n", "not valid TOML"),
])
def test_it_rejects_a_broken_schedule_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


OUTSIDE = "".join(f"[{name}]\nmonths = {kind.shipped_months}\n" for name, kind in OUTSIDE_KINDS.items())
BASE = "[default]\nafter = 'closure'\nmonths = 72\n"


def test_the_shipped_schedule_keeps_data_outside_cases_for_the_documented_periods() -> None:
    outside = load_schedule().outside
    assert {name: (rule.after, rule.months) for name, rule in outside.items()} == {
        "spam": ("confirmation", 6), "subject_requests": ("completion", 24), "address_records": ("recorded", 6),
        "sign_in_records": ("attempt", 12), "task_results": ("finished", 3),
    }
    assert all(rule.months == OUTSIDE_KINDS[name].shipped_months for name, rule in outside.items())


def test_a_rule_outside_cases_may_leave_out_its_anchor() -> None:
    assert parse_schedule(BASE + OUTSIDE).outside["spam"] == OutsideRule(name="spam", after="confirmation", months=6)


def test_the_cutoff_is_never_early_and_at_most_three_days_late_at_month_ends() -> None:
    rule = OutsideRule(name="spam", after="confirmation", months=6)
    for today in (date(2026, 8, 31), date(2027, 2, 28), date(2028, 2, 29), date(2026, 3, 1), date(2026, 9, 30)):
        cutoff = outside_cutoff(rule, today=today)
        assert outside_due_on(rule, anchored_on=cutoff) <= today
        late = [cutoff + timedelta(days=n) for n in range(1, 5) if outside_due_on(rule, anchored_on=cutoff + timedelta(days=n)) <= today]
        assert len(late) <= 3


@pytest.mark.parametrize(("text", "message"), [
    (BASE + OUTSIDE.replace("[spam]\nmonths = 6\n", ""),
     "a \\[spam\\] rule is required: how many months to keep a complaint a caseworker confirmed as spam.*months = 6"),
    (BASE + OUTSIDE.replace("[spam]\n", "[spam]\nafter = 'closure'\n"), "spam.after can only be 'confirmation'"),
    (BASE + OUTSIDE.replace("[subject_requests]\nmonths = 24", "[subject_requests]\nmonths = 0"),
     "subject_requests.months must be a whole number of months, at least 1"),
    (BASE + OUTSIDE.replace("[task_results]\nmonths = 3", "[task_results]\nmonths = 3\ndays = 2"),
     "task_results: unknown key\\(s\\) days; allowed: after, months"),
    (BASE + OUTSIDE + "[receipts]\nmonths = 1\n", "unknown table\\(s\\) receipts; allowed: default, outcomes, spam"),
    ("address_records = 6\n" + BASE + OUTSIDE.replace("[address_records]\nmonths = 6\n", ""), "address_records: expected a table"),
])
def test_it_rejects_a_broken_rule_outside_cases_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


def test_the_schedule_file_is_read_from_the_environment_and_a_missing_one_stops_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fairhearing.settings", "DEBUG": "true", "SECRET_KEY": "k" * 50,
           "FAIRHEARING_VAR_DIR": str(tmp_path), "FAIRHEARING_RETENTION_FILE": str(tmp_path / "missing.toml")}
    checked = subprocess.run([sys.executable, "-m", "fairhearing", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode != 0 and "fairhearing.privacy.E001" in checked.stderr and "missing.toml" in checked.stderr
