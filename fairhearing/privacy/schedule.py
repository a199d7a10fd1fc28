"""The retention schedule: read from TOML, checked, and applied to a case's dates (no Django
models here, so it is easy to test and to check at start)."""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("retention.toml")
ANCHORS = ("closure", "lapse")


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    name: str
    after: str
    months: int
    lapse_months: int = 0


@dataclass(frozen=True)
class Schedule:
    default: Rule
    outcomes: dict[str, Rule]

    def rule_for(self, outcome: str) -> Rule:
        return self.outcomes.get(outcome, self.default)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rule(name: str, raw: object) -> Rule:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{name}: expected a table with 'after' and 'months'")
    unknown = set(raw) - {"after", "months", "lapse_months"}
    if unknown:
        raise ScheduleError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}; allowed: after, months, lapse_months")
    after = raw.get("after")
    if after not in ANCHORS:
        raise ScheduleError(f"{name}.after must be one of {', '.join(ANCHORS)}, not {after!r}")
    months = raw.get("months")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ScheduleError(f"{name}.months must be a whole number of months, at least 1 (got {months!r})")
    lapse = raw.get("lapse_months", 0)
    if not isinstance(lapse, int) or isinstance(lapse, bool) or lapse < 0:
        raise ScheduleError(f"{name}.lapse_months must be a whole number of months (got {lapse!r})")
    return Rule(name=name, after=after, months=months, lapse_months=lapse)


def parse_schedule(text: str, source: str = "retention schedule") -> Schedule:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScheduleError(f"{source}: not valid TOML: {error}") from None
    if "default" not in data:
        raise ScheduleError(f"{source}: a [default] rule is required for outcomes not listed")
    outcomes = data.get("outcomes", {})
    return Schedule(default=_rule("default", data["default"]),
                    outcomes={key: _rule(f"outcomes.{key}", value) for key, value in outcomes.items()})


def load_schedule(path: Path | None = None) -> Schedule:
    path = path or DEFAULT_FILE
    return parse_schedule(path.read_text(encoding="utf-8"), str(path))


def due_on(rule: Rule, *, closed_on: date, lapses_on: date | None) -> date:
    """The day the case's personal data is due to be anonymised."""
    if rule.after == "lapse":
        anchor = lapses_on or add_months(closed_on, rule.lapse_months)
        return add_months(max(anchor, closed_on), rule.months)
    return add_months(closed_on, rule.months)
