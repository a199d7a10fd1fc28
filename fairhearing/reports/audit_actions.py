ACTIONS = {
    "summary.published": "A caseworker published an anonymised summary of a decided case",
    "summary.withdrawn": "A published decision summary was withdrawn",
    "report.exported": "Statistics were exported by a signed-in user or through the API",
}
