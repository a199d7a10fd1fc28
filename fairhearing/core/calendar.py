"""Working-day calendar: the unit every case deadline is measured in.

A working day is a day that is neither a weekend day nor a public holiday of the configured
country (and subdivision: England and Wales share bank holidays, Scotland and Northern Ireland
have their own). Holidays, including substitute ("observed") days, come from the ``holidays``
package, so no network access is ever needed.

Pure functions over ``datetime.date``; no Django imports, so the calendar can be used from
settings checks, management commands and tests alike.

Day counting follows one convention throughout: a span ``(start, end]`` excludes its first day
and includes its last, so "10 working days after Monday" never counts the Monday itself.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

__all__ = ["WorkingCalendar", "parse_calendar_setting"]

_SETTING_EXAMPLES = "GB-ENG, GB-SCT, IE, DE-BY"


class WorkingCalendar:
    """Working days of one country, optionally narrowed to one subdivision.

    Holiday lookups are cached per calendar year: the first question about a year builds a
    table of cumulative working-day counts for it, and every later question about that year is
    answered by indexing or bisecting the table, so computing due dates for many cases is cheap.
    """

    def __init__(self, country: str = "GB", subdivision: str | None = "ENG") -> None:
        """Create a calendar; raise ``ValueError`` naming the value if the country or
        subdivision is not known to the ``holidays`` package."""
        self.country, self.subdivision = _resolve(country, subdivision)
        probe = holidays.country_holidays(self.country, subdiv=self.subdivision, years=[])
        # Weekend days differ between countries (Friday and Saturday in some), so they come
        # from the holidays package rather than being assumed.
        self._weekend: frozenset[int] = frozenset(probe.weekend)
        # year -> cumulative working days: _cumulative[year][i] counts the working days from
        # 1 January up to and including day i of the year (0-based).
        self._cumulative: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar(country={self.country!r}, subdivision={self.subdivision!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return (self.country, self.subdivision) == (other.country, other.subdivision)

    def __hash__(self) -> int:
        return hash((self.country, self.subdivision))

    @property
    def setting(self) -> str:
        """The calendar as a setting string, e.g. ``"GB-ENG"``; ``parse_calendar_setting``
        turns it back into an equal calendar."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    # -- per-year tables -------------------------------------------------------------------

    def _table(self, year: int) -> list[int]:
        table = self._cumulative.get(year)
        if table is None:
            table = self._build_table(year)
            self._cumulative[year] = table
        return table

    def _build_table(self, year: int) -> list[int]:
        found = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
        closed = {day for day in found if day.year == year}
        table: list[int] = []
        count = 0
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() not in self._weekend and day not in closed:
                count += 1
            table.append(count)
            day += timedelta(days=1)
        return table

    def _count_to(self, day: date) -> int:
        """Working days from 1 January of ``day.year`` up to and including ``day``."""
        return self._table(day.year)[day.timetuple().tm_yday - 1]

    # -- public API ------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is neither a weekend day nor a public holiday."""
        table = self._table(day.year)
        index = day.timetuple().tm_yday - 1
        previous = table[index - 1] if index else 0
        return table[index] > previous

    def add_working_days(self, start: date, days: int) -> date:
        """Return the ``days``-th working day after ``start`` (``start`` itself not counted).

        ``days == 0`` returns ``start`` when it is a working day, else the next working day.
        Negative ``days`` raise ``ValueError``: deadlines only move forward.
        """
        _check_days(days)
        if days == 0:
            return start if self.is_working_day(start) else self.add_working_days(start, 1)
        year = start.year
        table = self._table(year)
        wanted = self._count_to(start) + days
        while wanted > table[-1]:
            wanted -= table[-1]
            year += 1
            table = self._table(year)
        # The first index whose cumulative count reaches `wanted` is that working day.
        index = bisect.bisect_left(table, wanted)
        return date(year, 1, 1) + timedelta(days=index)

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days in ``(start, end]``.

        Mirrored when ``end < start``: the result is minus the count over ``(end, start]``,
        so ``working_days_between(a, b) == -working_days_between(b, a)``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        total = self._count_to(end) - self._count_to(start)
        for year in range(start.year, end.year):
            total += self._table(year)[-1]
        return total

    def due_date(
        self,
        start: date,
        days: int,
        pauses: Iterable[tuple[date, date | None]] = (),
        today: date | None = None,
    ) -> date:
        """Return the date ``days`` working days after ``start``, extended by pauses.

        Each pause ``(paused_on, resumed_on)`` adds the working days in
        ``(paused_on, resumed_on]`` that fall after ``start``; overlapping pauses are merged so
        no day is counted twice. An open pause (``resumed_on`` is ``None``) counts up to
        ``today``, which must then be given: the calendar never reads the clock itself.
        A pause never shortens a due date. ``ValueError`` for negative ``days``, a pause that
        ends before it starts, or an open pause without ``today``.
        """
        _check_days(days)
        spans: list[tuple[date, date]] = []
        for paused_on, resumed_on in pauses:
            if resumed_on is None:
                if today is None:
                    raise ValueError(
                        f"the pause from {paused_on.isoformat()} is still open: pass today= "
                        "so it can be counted up to today"
                    )
                resumed_on = max(today, paused_on)
            if resumed_on < paused_on:
                raise ValueError(
                    f"a pause cannot end ({resumed_on.isoformat()}) before it starts "
                    f"({paused_on.isoformat()}): swap the dates"
                )
            paused_on = max(paused_on, start)
            if resumed_on > paused_on:
                spans.append((paused_on, resumed_on))
        return self.add_working_days(start, days + self._paused_days(spans))

    def _paused_days(self, spans: list[tuple[date, date]]) -> int:
        total = 0
        current: tuple[date, date] | None = None
        for begin, end in sorted(spans):
            if current is not None and begin <= current[1]:
                current = (current[0], max(current[1], end))
                continue
            if current is not None:
                total += self.working_days_between(*current)
            current = (begin, end)
        if current is not None:
            total += self.working_days_between(*current)
        return total


def parse_calendar_setting(value: str) -> WorkingCalendar:
    """Build a calendar from a setting such as ``"GB-ENG"``, ``"GB-SCT"``, ``"IE"`` or
    ``"DE-BY"``: an ISO 3166 country code, optionally followed by ``-`` and a subdivision code.

    Raise ``ValueError`` naming the value and saying how to fix it when it is empty or names a
    country or subdivision the ``holidays`` package does not know.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(
            f"working-day calendar setting {value!r} is empty: give a country code, optionally "
            f"with a subdivision, e.g. {_SETTING_EXAMPLES}"
        )
    country, _, subdivision = text.partition("-")
    try:
        return WorkingCalendar(country, subdivision or None)
    except ValueError as error:
        raise ValueError(f"working-day calendar setting {value!r}: {error}") from None


def _resolve(country: str, subdivision: str | None) -> tuple[str, str | None]:
    """Normalise case and check both codes against the holidays package."""
    supported = holidays.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise ValueError(
            f"unknown country {country!r}: use an ISO 3166-1 alpha-2 code that the holidays "
            f"package supports, e.g. {_SETTING_EXAMPLES}"
        )
    if subdivision is None or not subdivision.strip():
        return code, None
    entity = holidays.country_holidays(code, years=[])
    known: dict[str, str] = {name.upper(): name for name in entity.subdivisions}
    aliases = getattr(entity, "subdivisions_aliases", {}) or {}
    for alias, name in aliases.items():
        known.setdefault(alias.upper(), name)
    resolved = known.get(subdivision.strip().upper())
    if resolved is None:
        choices = ", ".join(entity.subdivisions) or "none (use the country code alone)"
        raise ValueError(
            f"unknown subdivision {subdivision!r} of {code}: use one of {choices}, "
            f"or the country code alone"
        )
    return code, resolved


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be a whole number of working days, got {days!r}")
    if days < 0:
        raise ValueError(
            f"days must be zero or more, got {days}: a deadline cannot be before its start; "
            "to count backwards use working_days_between"
        )
