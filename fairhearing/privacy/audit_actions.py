ACTIONS = {
    "case.anonymised": "A case's personal data was removed (retention schedule or erasure request)",
    "complaint.anonymised": "A complaint confirmed as spam had its personal data removed under the spam rule",
    "subject_request.anonymised": "A completed data-subject request had the person's details removed under the retention schedule",
    "retention.records_deleted": "Short-lived records (address hashes, sign-in records, task results, expired sessions) past their period were deleted",
    "legal_hold.placed": "A legal hold stopped retention for a case",
    "legal_hold.lifted": "A legal hold on a case was lifted",
    "subject_request.recorded": "A data-subject request (access, erasure or rectification) was recorded",
    "subject_request.completed": "A data-subject request was completed or refused with reasons",
    "subject_access.exported": "Everything held about one person was exported, watermarked with the exporting user",
}
