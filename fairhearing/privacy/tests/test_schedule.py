from __future__ import annotations

from datetime import date

import pytest

from fairhearing.privacy.schedule import ScheduleError, add_months, load_schedule, parse_schedule


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
