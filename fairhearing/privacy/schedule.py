"""The retention schedule: read from TOML, checked, and applied to a case's dates and to the
personal data held outside any case (no Django models here, so it is easy to test and to check
at start)."""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass, field
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
class OutsideKind:
    """A kind of personal data held outside any case: the one day its period counts from, and what
    the shipped file keeps it for (quoted in the error when a file leaves the rule out)."""

    after: str
    shipped_months: int
    what: str


# Each kind has exactly one anchor; ``after`` may be written in the file for the reader, and must
# then name that anchor. The order is the order the tick applies them in.
OUTSIDE_KINDS: dict[str, OutsideKind] = {
    "spam": OutsideKind("confirmation", 6, "a complaint a caseworker confirmed as spam, counted from the confirmation"),
    "subject_requests": OutsideKind("completion", 24, "a data-subject request, counted from its completion or refusal"),
    "address_records": OutsideKind("recorded", 6, "status-page attempts, submission marks and reference locks (keyed address hashes)"),
    "sign_in_records": OutsideKind("attempt", 12, "staff sign-in attempts and the sign-in log (address, user name, browser)"),
    "task_results": OutsideKind("finished", 3, "results of finished background tasks, with any error text"),
}


@dataclass(frozen=True)
class OutsideRule:
    name: str
    after: str
    months: int


@dataclass(frozen=True)
class Schedule:
    default: Rule
    outcomes: dict[str, Rule]
    outside: dict[str, OutsideRule] = field(default_factory=dict)

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
    months = _months(name, raw)
    lapse = raw.get("lapse_months", 0)
    if not isinstance(lapse, int) or isinstance(lapse, bool) or lapse < 0:
        raise ScheduleError(f"{name}.lapse_months must be a whole number of months (got {lapse!r})")
    return Rule(name=name, after=after, months=months, lapse_months=lapse)


def _months(name: str, raw: dict[str, object]) -> int:
    months = raw.get("months")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ScheduleError(f"{name}.months must be a whole number of months, at least 1 (got {months!r})")
    return months


def _outside_rule(name: str, raw: object) -> OutsideRule:
    kind = OUTSIDE_KINDS[name]
    if not isinstance(raw, dict):
        raise ScheduleError(f"{name}: expected a table with 'months' (and optionally after = {kind.after!r})")
    unknown = set(raw) - {"after", "months"}
    if unknown:
        raise ScheduleError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}; allowed: after, months")
    after = raw.get("after", kind.after)
    if after != kind.after:
        raise ScheduleError(f"{name}.after can only be {kind.after!r} ({kind.what}), not {after!r}")
    return OutsideRule(name=name, after=kind.after, months=_months(name, raw))


def parse_schedule(text: str, source: str = "retention schedule") -> Schedule:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScheduleError(f"{source}: not valid TOML: {error}") from None
    if "default" not in data:
        raise ScheduleError(f"{source}: a [default] rule is required for outcomes not listed")
    unknown = set(data) - {"default", "outcomes", *OUTSIDE_KINDS}
    if unknown:
        raise ScheduleError(f"{source}: unknown table(s) {', '.join(sorted(unknown))}; "
                            f"allowed: default, outcomes, {', '.join(OUTSIDE_KINDS)}")
    outcomes = data.get("outcomes", {})
    if not isinstance(outcomes, dict):
        raise ScheduleError(f"{source}: outcomes must be tables such as [outcomes.no_further_action]")
    default = _rule("default", data["default"])
    rules = {key: _rule(f"outcomes.{key}", value) for key, value in outcomes.items()}
    outside = {}
    for name, kind in OUTSIDE_KINDS.items():
        if name not in data:
            raise ScheduleError(f"{source}: a [{name}] rule is required: how many months to keep {kind.what} "
                                f"(the shipped file has [{name}] after = {kind.after!r}, months = {kind.shipped_months})")
        outside[name] = _outside_rule(name, data[name])
    return Schedule(default=default, outcomes=rules, outside=outside)


def load_schedule(path: Path | None = None) -> Schedule:
    path = path or DEFAULT_FILE
    return parse_schedule(path.read_text(encoding="utf-8"), str(path))


def due_on(rule: Rule, *, closed_on: date, lapses_on: date | None) -> date:
    """The day the case's personal data is due to be anonymised."""
    if rule.after == "lapse":
        anchor = lapses_on or add_months(closed_on, rule.lapse_months)
        return add_months(max(anchor, closed_on), rule.months)
    return add_months(closed_on, rule.months)


def outside_due_on(rule: OutsideRule, *, anchored_on: date) -> date:
    """The day data of an outside kind, whose period counts from ``anchored_on``, is due to go."""
    return add_months(anchored_on, rule.months)


def outside_cutoff(rule: OutsideRule, *, today: date) -> date:
    """Every record anchored on or before this day is due today. Months are clamped to the month's
    end, so up to three days after it may be due as well; a pass that deletes in bulk by this day
    is never early and at most three days late."""
    return add_months(today, -rule.months)
