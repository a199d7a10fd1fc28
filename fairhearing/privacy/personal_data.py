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


COMPLAINT_FIELDS: dict[str, Any] = {
    "complainant_name": "", "complainant_email": "", "complainant_phone": "", "respondent_name": REMOVED,
    "respondent_membership_number": "", "respondent_branch_or_role": "", "respondent_member": None,
    "account": REMOVED, "conduct_dates": "", "conduct_first_date": None, "where": "", "links": "", "receipt_hash": "",
}
EVIDENCE_FIELDS: dict[str, Any] = {"original_name": "", "text": REMOVED, "redacted_text": ""}

PERSONAL_FIELDS: tuple[PersonalFields, ...] = (
    PersonalFields("cases.Complaint", "case", COMPLAINT_FIELDS,
                   note="receipt_hash is cleared so the status page no longer opens the complaint"),
    PersonalFields("cases.Party", "case", {"name": "", "name_key": "", "email": "", "member": None}),
    PersonalFields("cases.Allegation", "case", {"text": REMOVED, "conduct_date": None}),
    PersonalFields("cases.Note", "case", {"text": REMOVED}),
    PersonalFields("cases.Pause", "case", {"reason": REMOVED}),
    PersonalFields("cases.Notification", "case", {"recipient_email": "", "subject": REMOVED, "body": REMOVED, "last_error": ""}),
    # stored_name is cleared by the file sweep once the file itself is deleted (see privacy.files).
    PersonalFields("intake.Evidence", "case", EVIDENCE_FIELDS),
    PersonalFields("intake.Evidence", "complaint__case", EVIDENCE_FIELDS),
    PersonalFields("intake.Message", "complaint__case", {"text": REMOVED}),
    PersonalFields("intake.RespondentReply", "case", {"text": REMOVED}),
    PersonalFields("intake.HearingMoveRequest", "case", {"reason": REMOVED}),
    PersonalFields("decisions.Decision", "case", {"reasons": REMOVED, "band_departure_reason": ""}),
    PersonalFields("decisions.Finding", "decision__case", {"text": REMOVED}),
    PersonalFields("decisions.Review", "decision__case", {"reasons": REMOVED}),
    PersonalFields("decisions.Seat", "panel__case", {"recusal_reason": REMOVED}),
    PersonalFields("decisions.Hearing", "case", {"place": "", "video_link": "", "postponement_reason": ""}),
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

# A complaint confirmed as spam never becomes part of a case: the [spam] rule clears these, found
# from the complaint (``spam_complaint_anonymise``). The reviewer's note cited by the audit event
# is erased from ``audit.StatedReason`` beside them, and the stored files are deleted after commit.
SPAM_FIELDS: tuple[PersonalFields, ...] = (
    PersonalFields("cases.Complaint", "pk", COMPLAINT_FIELDS),
    PersonalFields("intake.Evidence", "complaint", EVIDENCE_FIELDS),
    PersonalFields("intake.Message", "complaint", {"text": REMOVED}),
    PersonalFields("intake.SpamHold", "complaint", {"review_note": ""}),
)

# A data-subject request once its [subject_requests] period is over: the kind, the dates, the
# status and who recorded it stay (they show whether requests were answered in time).
SUBJECT_REQUEST_FIELDS: dict[str, Any] = {
    "subject_name": REMOVED, "subject_email": "", "membership_number": "", "details": "", "outcome": REMOVED,
}


@dataclass(frozen=True)
class Records:
    """Rows whose only use is short-lived (rate limits, sign-in lockouts, task bookkeeping), deleted
    whole once their period is over: ``at`` is the timestamp the period counts from."""

    model: str
    at: str


RECORDS: dict[str, tuple[Records, ...]] = {
    "address_records": (Records("intake.LookupAttempt", "at"), Records("intake.SubmissionMark", "at"),
                        Records("intake.ReferenceLock", "until")),
    "sign_in_records": (Records("axes.AccessAttempt", "attempt_time"), Records("axes.AccessFailureLog", "attempt_time"),
                        Records("axes.AccessLog", "attempt_time")),
    "task_results": (Records("django_tasks_database.DBTaskResult", "finished_at"),),
}
# Expired sessions have no use at all: they are deleted the day after they expire, with no period to choose.
EXPIRED_SESSIONS = Records("sessions.Session", "expire_date")

# Every installed model, and what keeps its personal data from being held for ever. A test fails
# when a model is added that is not listed here, so each new table gets a decision.
CASE = "about a case: cleared with the case by its outcome's rule (PERSONAL_FIELDS)"
NONE = "no personal data"
SURVEY: dict[str, str] = {
    "auth.Permission": NONE, "auth.Group": NONE, "contenttypes.ContentType": NONE,
    "sessions.Session": "expired sessions deleted the day after expiry (EXPIRED_SESSIONS)",
    "otp_totp.TOTPDevice": "staff account data: a staff member's second factor, deleted when it is reset; kept with the account",
    "axes.AccessAttempt": "[sign_in_records]", "axes.AccessFailureLog": "[sign_in_records]", "axes.AccessLog": "[sign_in_records]",
    "axes.AccessAttemptExpiration": "[sign_in_records]: deleted with its attempt",
    "django_tasks_database.DBTaskResult": "[task_results]",
    "accounts.User": "staff account data: kept while the audit log names its holder as an actor (decision 0020)",
    "audit.AuditEvent": "no personal data in payloads (decisions 0014, 0017); actors are staff public ids or references",
    "audit.AuditHead": NONE, "audit.Checkpoint": NONE,
    "audit.VerificationRun": "no personal data: an actor reference and a verification message",
    "audit.BreakGlassGrant": CASE, "audit.ExternalContact": CASE,
    "audit.StatedReason": "about a case: erased with the case; a spam reviewer's note (no case): erased by [spam]",
    "conduct.Code": NONE, "conduct.CodeVersion": "no personal data: who adopted a code is a body, recorded as public record",
    "conduct.Clause": NONE,
    "cases.Member": "the organisation's membership list, kept current by its import; not a record of complaints (decision 0020)",
    "cases.Case": "about a case: its summary is replaced by the category when the case is anonymised",
    "cases.Complaint": "about a case: with the case; confirmed spam (no case): [spam]; held and not yet reviewed: kept",
    "cases.Party": CASE, "cases.Allegation": CASE, "cases.Note": CASE, "cases.Assignment": NONE, "cases.StageRecord": NONE,
    "cases.Pause": CASE, "cases.Notification": CASE,
    "intake.Evidence": "about a case: with the case; of confirmed spam: [spam]; the stored files are deleted after commit",
    "intake.Message": "about a case: with the case; of confirmed spam: [spam]",
    "intake.LookupAttempt": "[address_records]", "intake.ReferenceLock": "[address_records]", "intake.SubmissionMark": "[address_records]",
    "intake.SpamHold": "released: with its case; confirmed: [spam]",
    "intake.ComplaintLink": NONE, "intake.RespondentLink": "no personal data: a token hash, tied to a case",
    "intake.RespondentReply": CASE, "intake.HearingMoveRequest": CASE,
    "decisions.PoolMember": "staff account data: kept with the account",
    "decisions.Interest": "a pool member's declared interests: kept while declared; no retention yet (decision 0020)",
    "decisions.Panel": NONE, "decisions.Seat": CASE, "decisions.Decision": CASE, "decisions.Finding": CASE,
    "decisions.Review": CASE, "decisions.Hearing": CASE, "decisions.Appeal": CASE,
    "registry.SanctionEntry": CASE,
    "suggestions.ScreeningRun": NONE, "suggestions.Suggestion": CASE,
    "reports.PublishedSummary": "published anonymised text, checked before publication",
    "privacy.LegalHold": CASE, "privacy.Anonymisation": NONE, "privacy.SpamAnonymisation": NONE,
    "privacy.SubjectRequest": "[subject_requests]",
    "api.ApiToken": "staff account data: a label, a prefix and a hash; refused once the user is deactivated (decision 0020)",
    "api.RateCounter": "deleted a day after its window by the api_rate_counters tick hook",
}

# Text fields searched for a person's name by the subject-access export.
SEARCHABLE = {
    "cases.Complaint": ("complainant_name", "complainant_email", "respondent_name"),
    "cases.Party": ("name", "email"),
}
