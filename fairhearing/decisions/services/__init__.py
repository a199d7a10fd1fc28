"""Writes for panels, decisions, reviews, hearings and appeals. Each is a service: it checks
permission, changes state and appends its audit event in one transaction, and moves the case
through the process with ``fairhearing.workflow.services.case_transition`` so the clock and the
audit chain stay in one place."""

from fairhearing.decisions.services.deciding import FindingInput, decision_record
from fairhearing.decisions.services.hearings import (
    hearing_postpone,
    hearing_record_outcome,
    hearing_schedule,
)
from fairhearing.decisions.services.issuing import appeal_decide, appeal_lodge, decision_issue
from fairhearing.decisions.services.panels import (
    interest_declare,
    panel_draw,
    panel_recuse,
    pool_member_remove,
    pool_member_set,
    reviewer_draw,
)
from fairhearing.decisions.services.review import review_record

__all__ = [
    "FindingInput",
    "appeal_decide",
    "appeal_lodge",
    "decision_issue",
    "decision_record",
    "hearing_postpone",
    "hearing_record_outcome",
    "hearing_schedule",
    "interest_declare",
    "panel_draw",
    "panel_recuse",
    "pool_member_remove",
    "pool_member_set",
    "review_record",
    "reviewer_draw",
]
