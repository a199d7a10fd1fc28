"""The content of a written decision, built once and rendered as HTML and as PDF, so the two
always say the same thing: findings, clauses and code version, sanction, reasons, how to appeal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairhearing.decisions.catalogue import NO_CASE, get_catalogue
from fairhearing.decisions.models import Decision


@dataclass(frozen=True)
class Letter:
    title: str
    sections: list[tuple[str, list[str]]]


def outcome_label(decision: Decision) -> str:
    if decision.outcome == NO_CASE:
        return "No case to answer"
    label = get_catalogue().sanction(decision.outcome).label
    return f"{label} for {decision.term_months} months" if decision.term_months else label


def build_letter(decision: Decision, appeal_by: date | None) -> Letter:
    """The sections of the written decision on a case."""
    case = decision.case
    body = "hearing" if decision.body == Decision.Body.HEARING else "panel"
    findings = []
    for number, finding in enumerate(decision.findings.select_related("clause__version"), start=1):
        verdict = "Upheld" if finding.upheld else "Not upheld"
        findings.append(f"Allegation {number}: {verdict}, under clause {finding.clause.identifier} ({finding.clause.title}), "
                        f"code of conduct version {finding.clause.version.label}. {finding.text}")
    outcome = [outcome_label(decision) + "."]
    if decision.education_required:
        outcome.append(f"{get_catalogue().education_label} is required.")
    if decision.band_departure_reason:
        outcome.append(f"This sanction departs from the sanctions guidance because: {decision.band_departure_reason}")
    appeal = (f"Either party may appeal until {appeal_by:%d %B %Y}" if appeal_by else "Either party may appeal within the appeal window") + (
        ", giving their grounds of appeal. An appeal is decided by people who had no part in the case so far.")
    return Letter(
        title=f"Decision on case {case.reference}",
        sections=[
            ("Who decided", [f"The {body} decided this case on {decision.determined_on or decision.recorded_at.date():%d %B %Y}."]),
            ("Findings", findings),
            ("Outcome", outcome),
            ("Reasons", [decision.reasons]),
            ("How to appeal", [appeal]),
        ],
    )
