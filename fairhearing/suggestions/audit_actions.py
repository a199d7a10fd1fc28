ACTIONS = {
    "screening.recorded": "A case text was screened and the suggestions stored (the text is not in the event)",
    "suggestion.accepted": "A caseworker accepted a screening suggestion as worth pursuing",
    "suggestion.rejected": "A caseworker rejected a screening suggestion",
    "suggestion.viewed": "A staff member opened the screening suggestions of a case",
}
