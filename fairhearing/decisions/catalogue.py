"""The sanctions catalogue, the sanctions guidance (bands per clause) and the panel size, read
from ``sanctions.toml``. Pure Python: no Django imports, so the rules can be checked on their own.

``DECISION_OUTCOMES`` matches the outcomes of the default process's ``determine`` and
``send_for_review`` transitions, plus ``expulsion``, which only a hearing may decide.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).resolve().parent / "sanctions.toml"

NO_CASE = "no_case_to_answer"
DECISION_OUTCOMES: tuple[str, ...] = (
    NO_CASE,
    "reminder_of_conduct",
    "formal_warning",
    "suspension",
    "referral_for_expulsion",
    "expulsion",
)
PANEL_OUTCOMES: tuple[str, ...] = DECISION_OUTCOMES[:-1]
HEARING_OUTCOMES: tuple[str, ...] = ("expulsion", "suspension", "formal_warning", "reminder_of_conduct", NO_CASE)
APPEAL_OUTCOMES: tuple[str, ...] = ("dismissed", "allowed", "sanction_substituted")


class CatalogueError(ValueError):
    """The sanctions file is not valid; the message lists every problem and where it is."""


@dataclass(frozen=True)
class Sanction:
    key: str
    label: str
    severity: int
    registry: bool
    hearing_only: bool = False
    lapses_after_months: int | None = None
    min_months: int | None = None
    max_months: int | None = None

    @property
    def needs_term(self) -> bool:
        return self.min_months is not None


@dataclass(frozen=True)
class Band:
    lowest: str
    highest: str


@dataclass(frozen=True)
class Catalogue:
    panel_size: int
    sanctions: dict[str, Sanction]
    bands: dict[str, Band]
    education_prefixes: tuple[str, ...]
    education_label: str

    def sanction(self, key: str) -> Sanction:
        try:
            return self.sanctions[key]
        except KeyError:
            raise CatalogueError(f"unknown sanction {key!r}; the catalogue has {', '.join(self.sanctions)}") from None

    def band_for(self, clause_identifier: str) -> tuple[str, Band]:
        """The band that applies to a clause: its own, its prefix's ("AS-5" → "AS"), or the default.
        Returns the key the band was found under and the band."""
        for key in (clause_identifier, clause_identifier.split("-", 1)[0], "default"):
            if key in self.bands:
                return key, self.bands[key]
        raise CatalogueError("the sanctions file has no [bands.default]")  # validated at load

    def departures(self, sanction_key: str, clause_identifiers: Iterable[str]) -> list[tuple[str, Band]]:
        """Clauses whose band the sanction falls outside of (empty when it is within every band)."""
        severity = self.sanction(sanction_key).severity
        out = []
        for identifier in sorted(set(clause_identifiers)):
            _, band = self.band_for(identifier)
            highest = self.sanctions[band.highest].severity
            if band.highest == "referral_for_expulsion" and "expulsion" in self.sanctions:
                # A band that allows a referral allows what the hearing on that referral decides.
                highest = self.sanctions["expulsion"].severity
            if not self.sanctions[band.lowest].severity <= severity <= highest:
                out.append((identifier, band))
        return out

    def education_required(self, upheld_clause_identifiers: Iterable[str]) -> bool:
        """Whether any upheld clause is a discrimination clause (by prefix)."""
        return any(i.split("-", 1)[0] in self.education_prefixes for i in upheld_clause_identifiers)


def _int(value: Any, where: str, problems: list[str], minimum: int = 1) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        problems.append(f"{where} must be a whole number of at least {minimum}")
        return None
    return value


def parse_catalogue(data: dict[str, Any], name: str = "sanctions.toml") -> Catalogue:
    """Validate parsed TOML and build a :class:`Catalogue`; ``CatalogueError`` lists all problems."""
    problems: list[str] = []
    size = _int(data.get("panel", {}).get("size"), f"{name}: [panel].size", problems) or 3
    sanctions: dict[str, Sanction] = {}
    for index, item in enumerate(data.get("sanctions", [])):
        where = f"{name}: sanctions[{index + 1}]"
        key, label = item.get("key"), item.get("label")
        if not isinstance(key, str) or not isinstance(label, str) or not key or not label:
            problems.append(f"{where} needs a key and a label")
            continue
        if key in sanctions:
            problems.append(f"{where}: sanction {key!r} is listed twice")
            continue
        unknown = set(item) - {"key", "label", "registry", "hearing_only", "lapses_after_months", "min_months", "max_months"}
        if unknown:
            problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        minimum = _int(item.get("min_months"), f"{where}.min_months", problems)
        maximum = _int(item.get("max_months"), f"{where}.max_months", problems)
        if (minimum is None) != (maximum is None) or (minimum and maximum and minimum > maximum):
            problems.append(f"{where}: give both min_months and max_months, with min_months <= max_months")
        sanctions[key] = Sanction(
            key=key,
            label=label,
            severity=len(sanctions) + 1,
            registry=bool(item.get("registry", False)),
            hearing_only=bool(item.get("hearing_only", False)),
            lapses_after_months=_int(item.get("lapses_after_months"), f"{where}.lapses_after_months", problems),
            min_months=minimum,
            max_months=maximum,
        )
    missing = [o for o in DECISION_OUTCOMES if o != NO_CASE and o not in sanctions]
    if missing:
        problems.append(f"{name}: [[sanctions]] must include {', '.join(missing)} (the process's outcomes)")
    bands: dict[str, Band] = {}
    for clause, band in data.get("bands", {}).items():
        lowest, highest = band.get("lowest"), band.get("highest")
        if lowest not in sanctions or highest not in sanctions:
            problems.append(f"{name}: [bands.{clause}] lowest and highest must be sanction keys ({', '.join(sanctions)})")
        elif sanctions[lowest].severity > sanctions[highest].severity:
            problems.append(f"{name}: [bands.{clause}] lowest {lowest!r} is more severe than highest {highest!r}")
        else:
            bands[clause] = Band(lowest=lowest, highest=highest)
    if "default" not in data.get("bands", {}):
        problems.append(f"{name}: [bands.default] is required; it applies to clauses without a band")
    education = data.get("education", {})
    prefixes = education.get("clause_prefixes", [])
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        problems.append(f"{name}: [education].clause_prefixes must be a list of clause prefixes such as \"AS\"")
        prefixes = []
    if problems:
        raise CatalogueError("; ".join(problems))
    return Catalogue(
        panel_size=size,
        sanctions=sanctions,
        bands=bands,
        education_prefixes=tuple(prefixes),
        education_label=str(education.get("label", "Mandatory education")),
    )


def load_catalogue(path: Path = DEFAULT_FILE) -> Catalogue:
    """Read and validate a sanctions file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path.name}: not valid TOML: {error}") from None
    return parse_catalogue(data, path.name)


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    """The catalogue in force (the shipped ``sanctions.toml``)."""
    return load_catalogue()
