ACTIONS = {
    "case.opened": "A case was opened from a complaint",
    "case.viewed": "Someone opened a case page",
    "case.assigned": "Someone was assigned to a case",
    "case.unassigned": "An assignment to a case ended",
    "case.note_added": "A caseworker added a note",
    "case.allegation_added": "An allegation was added to a case",
    "case.listed": "A queue or search returned case data",
    "complaint.recorded": "A complaint received by post, email or telephone was recorded by staff",
    "members.imported": "The membership list was imported",
}
