"""Tests for the working-day calendar: explicit bank-holiday cases and properties."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairhearing.core.calendar import WorkingCalendar, parse_calendar_setting

ENGLAND = WorkingCalendar("GB", "ENG")
SCOTLAND = WorkingCalendar("GB", "SCT")
ENGLISH_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
working_days = st.integers(min_value=0, max_value=400)


# -- explicit cases ----------------------------------------------------------------------------


def test_it_treats_weekends_as_non_working() -> None:
    assert ENGLAND.is_working_day(date(2025, 3, 14))  # Friday
    assert not ENGLAND.is_working_day(date(2025, 3, 15))  # Saturday
    assert not ENGLAND.is_working_day(date(2025, 3, 16))  # Sunday
    assert ENGLAND.is_working_day(date(2025, 3, 17))  # Monday


def test_it_closes_on_christmas_and_boxing_day_when_they_fall_on_weekdays() -> None:
    assert not ENGLAND.is_working_day(date(2025, 12, 25))  # Thursday
    assert not ENGLAND.is_working_day(date(2025, 12, 26))  # Friday
    assert ENGLAND.is_working_day(date(2025, 12, 29))


def test_it_closes_on_substitute_days_when_christmas_falls_on_a_weekend_in_2021() -> None:
    # 25 and 26 December 2021 were Saturday and Sunday; 27 and 28 were the substitute days.
    assert not ENGLAND.is_working_day(date(2021, 12, 27))
    assert not ENGLAND.is_working_day(date(2021, 12, 28))
    assert ENGLAND.is_working_day(date(2021, 12, 29))
    assert ENGLAND.add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_it_closes_on_the_substitute_day_for_christmas_on_a_sunday_in_2022() -> None:
    # 25 December 2022 was a Sunday: Boxing Day stayed on Monday 26, Christmas moved to 27.
    assert not ENGLAND.is_working_day(date(2022, 12, 26))
    assert not ENGLAND.is_working_day(date(2022, 12, 27))
    assert ENGLAND.add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_it_counts_across_the_new_year_substitute_day_in_2022() -> None:
    # 1 January 2022 was a Saturday; Monday 3 January was the bank holiday.
    assert ENGLAND.add_working_days(date(2021, 12, 31), 1) == date(2022, 1, 4)
    assert ENGLAND.working_days_between(date(2021, 12, 24), date(2022, 1, 4)) == 4


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [(date(2025, 4, 18), date(2025, 4, 21)), (date(2026, 4, 3), date(2026, 4, 6))],
)
def test_it_skips_good_friday_and_easter_monday(good_friday: date, easter_monday: date) -> None:
    thursday = good_friday - timedelta(days=1)
    assert not ENGLAND.is_working_day(good_friday)
    assert not ENGLAND.is_working_day(easter_monday)
    assert ENGLAND.add_working_days(thursday, 1) == easter_monday + timedelta(days=1)
    assert ENGLAND.working_days_between(thursday, easter_monday + timedelta(days=1)) == 1


def test_it_skips_the_early_may_bank_holiday() -> None:
    assert not ENGLAND.is_working_day(date(2025, 5, 5))
    assert not ENGLAND.is_working_day(date(2026, 5, 4))
    assert ENGLAND.add_working_days(date(2025, 5, 2), 1) == date(2025, 5, 6)


def test_a_scottish_calendar_closes_on_the_second_of_january_and_england_does_not() -> None:
    second = date(2025, 1, 2)
    assert not SCOTLAND.is_working_day(second)
    assert ENGLAND.is_working_day(second)
    assert SCOTLAND.add_working_days(date(2025, 1, 1), 1) == date(2025, 1, 3)
    assert ENGLAND.add_working_days(date(2025, 1, 1), 1) == date(2025, 1, 2)


def test_it_counts_ten_working_days_over_easter_2025() -> None:
    # Monday 14 April 2025 + 10 WD: Tue 15 to Thu 17 (3), Good Friday, the weekend and Easter
    # Monday skipped, Tue 22 to Fri 25 (7), Mon 28 to Wed 30 (10).
    assert ENGLAND.add_working_days(date(2025, 4, 14), 10) == date(2025, 4, 30)
    assert ENGLAND.working_days_between(date(2025, 4, 14), date(2025, 4, 30)) == 10


def test_adding_zero_days_keeps_a_working_day_and_moves_a_holiday_forward() -> None:
    assert ENGLAND.add_working_days(date(2025, 3, 14), 0) == date(2025, 3, 14)
    assert ENGLAND.add_working_days(date(2025, 12, 25), 0) == date(2025, 12, 29)


def test_it_rejects_negative_days_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        ENGLAND.add_working_days(date(2025, 3, 14), -1)
    with pytest.raises(ValueError, match="zero or more"):
        ENGLAND.due_date(date(2025, 3, 14), -5)


def test_it_rejects_days_that_are_not_whole_numbers() -> None:
    with pytest.raises(TypeError, match="whole number"):
        ENGLAND.add_working_days(date(2025, 3, 14), 1.5)  # type: ignore[arg-type]


def test_counting_backwards_mirrors_counting_forwards() -> None:
    a, b = date(2025, 4, 1), date(2025, 4, 30)
    assert ENGLAND.working_days_between(b, a) == -ENGLAND.working_days_between(a, b)
    assert ENGLAND.working_days_between(a, a) == 0


def test_a_closed_pause_extends_the_due_date_by_its_working_days() -> None:
    start = date(2025, 3, 3)  # Monday
    plain = ENGLAND.due_date(start, 10)
    # Paused Tuesday 4th, resumed Thursday 6th: Wednesday and Thursday lost.
    paused = ENGLAND.due_date(start, 10, pauses=[(date(2025, 3, 4), date(2025, 3, 6))])
    assert plain == date(2025, 3, 17)
    assert paused == ENGLAND.add_working_days(plain, 2)


def test_an_open_pause_counts_up_to_today() -> None:
    start = date(2025, 3, 3)
    due = ENGLAND.due_date(start, 10, pauses=[(date(2025, 3, 4), None)], today=date(2025, 3, 11))
    assert due == ENGLAND.add_working_days(start, 10 + 5)


def test_an_open_pause_without_today_is_refused() -> None:
    with pytest.raises(ValueError, match="today="):
        ENGLAND.due_date(date(2025, 3, 3), 10, pauses=[(date(2025, 3, 4), None)])


def test_a_pause_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        ENGLAND.due_date(date(2025, 3, 3), 10, pauses=[(date(2025, 3, 6), date(2025, 3, 4))])


def test_overlapping_pauses_are_not_counted_twice() -> None:
    start = date(2025, 3, 3)
    one = ENGLAND.due_date(start, 10, pauses=[(date(2025, 3, 4), date(2025, 3, 7))])
    two = ENGLAND.due_date(
        start,
        10,
        pauses=[(date(2025, 3, 4), date(2025, 3, 6)), (date(2025, 3, 5), date(2025, 3, 7))],
    )
    assert one == two


def test_a_pause_before_the_start_does_not_count() -> None:
    start = date(2025, 3, 10)
    assert ENGLAND.due_date(start, 5, pauses=[(date(2025, 3, 3), date(2025, 3, 7))]) == (
        ENGLAND.due_date(start, 5)
    )


# -- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "country", "subdivision"),
    [
        ("GB-ENG", "GB", "ENG"),
        ("GB-SCT", "GB", "SCT"),
        ("IE", "IE", None),
        ("DE-BY", "DE", "BY"),
        (" gb-eng ", "GB", "ENG"),
    ],
)
def test_it_parses_calendar_settings(setting: str, country: str, subdivision: str | None) -> None:
    calendar = parse_calendar_setting(setting)
    assert (calendar.country, calendar.subdivision) == (country, subdivision)
    assert parse_calendar_setting(calendar.setting) == calendar


def test_a_bavarian_calendar_closes_on_epiphany_and_an_english_one_does_not() -> None:
    epiphany = date(2025, 1, 6)
    assert not parse_calendar_setting("DE-BY").is_working_day(epiphany)
    assert ENGLAND.is_working_day(epiphany)


def test_it_rejects_an_unknown_country_naming_the_value() -> None:
    with pytest.raises(ValueError, match=r"'XX-YY'.*unknown country 'XX'.*GB-ENG"):
        parse_calendar_setting("XX-YY")


def test_it_rejects_an_unknown_subdivision_listing_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'GB-XYZ'.*unknown subdivision 'XYZ'.*ENG, NIR, SCT"):
        parse_calendar_setting("GB-XYZ")


def test_it_rejects_an_empty_setting() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_calendar_setting("  ")


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=300)
@given(start=dates, days=st.integers(min_value=1, max_value=400))
def test_counting_the_days_to_a_due_date_gives_back_the_days_added(start: date, days: int) -> None:
    assert ENGLAND.working_days_between(start, ENGLAND.add_working_days(start, days)) == days


@given(start=dates, days=working_days)
def test_a_due_date_is_always_a_working_day(start: date, days: int) -> None:
    due = ENGLAND.add_working_days(start, days)
    assert due.weekday() < 5
    assert ENGLAND.is_working_day(due)
    assert due >= start


def _reference_due_date(start: date, days: int) -> date:
    """Step one day at a time against the holidays package directly."""

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in ENGLISH_HOLIDAYS

    day = start
    if days == 0:
        while not working(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        counted += working(day)
    return day


@given(start=dates, days=st.integers(min_value=0, max_value=60))
def test_the_due_date_matches_counting_day_by_day(start: date, days: int) -> None:
    assert ENGLAND.add_working_days(start, days) == _reference_due_date(start, days)


@given(start=dates, days=working_days, more=st.integers(min_value=1, max_value=50))
def test_more_days_never_give_an_earlier_due_date(start: date, days: int, more: int) -> None:
    earlier = ENGLAND.add_working_days(start, days)
    later = ENGLAND.add_working_days(start, days + more)
    # From a holiday, 0 and 1 days both land on the next working day; otherwise strictly later.
    assert earlier <= later
    if days >= 1 or ENGLAND.is_working_day(start):
        assert earlier < later


@given(a=dates, b=dates, c=dates)
def test_counts_over_adjacent_spans_add_up(a: date, b: date, c: date) -> None:
    total = ENGLAND.working_days_between(a, b) + ENGLAND.working_days_between(b, c)
    assert total == ENGLAND.working_days_between(a, c)


@given(
    start=dates,
    days=st.integers(min_value=0, max_value=60),
    pauses=st.lists(
        st.tuples(dates, st.integers(min_value=0, max_value=40)), min_size=0, max_size=4
    ),
)
def test_pauses_never_shorten_a_due_date(
    start: date, days: int, pauses: list[tuple[date, int]]
) -> None:
    spans = [(begin, begin + timedelta(days=length)) for begin, length in pauses]
    paused = ENGLAND.due_date(start, days, pauses=spans)
    assert paused >= ENGLAND.due_date(start, days)
    assert ENGLAND.is_working_day(paused)
