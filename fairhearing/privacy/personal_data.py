"""Where a case's personal data lives, field by field, across every app.

Each entry names a model (app label and model name), how its rows are found from a case, and the
value each personal field is set to. Rows are never deleted: counts, dates, categories, outcomes
and digests stay, so statistics and the audit chain are unchanged. A model that is not installed
is skipped, so the map can name apps that are optional.

Free text cited by audit events (transition and pause reasons, recusals, postponements, links and
moves, reviews) lives in ``audit.StatedReason`` and is erased by
``fairhearing.audit.reasons.stated_reasons_erase``, which also records when and why; see
``case_anonymise`` and decision 0017.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REMOVED = "[removed under the retention policy]"


@dataclass(frozen=True)
class PersonalFields:
    model: str  # "app_label.ModelName"
    case_lookup: str  # the filter that finds this model's rows for one case
    fields: dict[str, Any]
    note: str = ""


PERSONAL_FIELDS: tuple[PersonalFields, ...] = (
    PersonalFields("cases.Complaint", "case", {
        "complainant_name": "", "complainant_email": "", "complainant_phone": "", "respondent_name": REMOVED,
        "respondent_membership_number": "", "respondent_branch_or_role": "", "respondent_member": None,
        "account": REMOVED, "conduct_dates": "", "conduct_first_date": None, "where": "", "links": "", "receipt_hash": "",
    }, note="receipt_hash is cleared so the status page no longer opens the complaint"),
    PersonalFields("cases.Party", "case", {"name": "", "name_key": "", "email": "", "member": None}),
    PersonalFields("cases.Allegation", "case", {"text": REMOVED, "conduct_date": None}),
    PersonalFields("cases.Note", "case", {"text": REMOVED}),
    PersonalFields("cases.Pause", "case", {"reason": REMOVED}),
    PersonalFields("cases.Notification", "case", {"recipient_email": "", "subject": REMOVED, "body": REMOVED, "last_error": ""}),
    # stored_name is cleared by the file sweep once the file itself is deleted (see privacy.files).
    PersonalFields("intake.Evidence", "case", {"original_name": "", "text": REMOVED, "redacted_text": ""}),
    PersonalFields("intake.Evidence", "complaint__case", {"original_name": "", "text": REMOVED, "redacted_text": ""}),
    PersonalFields("intake.Message", "complaint__case", {"text": REMOVED}),
    PersonalFields("intake.RespondentReply", "case", {"text": REMOVED}),
    PersonalFields("intake.HearingMoveRequest", "case", {"reason": REMOVED}),
    PersonalFields("decisions.Decision", "case", {"reasons": REMOVED, "band_departure_reason": ""}),
    PersonalFields("decisions.Finding", "decision__case", {"text": REMOVED}),
    PersonalFields("decisions.Review", "decision__case", {"reasons": REMOVED}),
    PersonalFields("decisions.Seat", "panel__case", {"recusal_reason": REMOVED}),
    PersonalFields("decisions.Hearing", "case", {"place": "", "postponement_reason": ""}),
    PersonalFields("decisions.Appeal", "case", {"grounds": REMOVED, "reasons": REMOVED}),
    PersonalFields("registry.SanctionEntry", "case", {"name": REMOVED, "membership_number": "", "member": None}),
    PersonalFields("suggestions.Suggestion", "run__case", {"triggers": [], "note": ""}),
    PersonalFields("audit.ExternalContact", "case", {"request": REMOVED},
                   note="who made the contact stays: the register exists to name officials who intervene"),
    PersonalFields("audit.BreakGlassGrant", "case", {"reason": REMOVED},
                   note="who was granted access, when and for how long stays"),
    PersonalFields("intake.SpamHold", "complaint__case", {"review_note": ""}),
    PersonalFields("privacy.LegalHold", "case", {"reason": REMOVED}, note="a hold is always lifted before its case is anonymised"),
)

# Text fields searched for a person's name by the subject-access export.
SEARCHABLE = {
    "cases.Complaint": ("complainant_name", "complainant_email", "respondent_name"),
    "cases.Party": ("name", "email"),
}
