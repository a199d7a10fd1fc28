ACTIONS = {
    "conduct.version_loaded": "A code of conduct version was loaded from a data file",
    "conduct.version_adopted": "A code of conduct version was adopted",
}
