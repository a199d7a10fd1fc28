ACTIONS = {
    "registry.entry_created": "A sanction entered the sanctions registry",
    "registry.entry_ended": "A sanction in the registry ended (lapsed, or lifted on appeal)",
    "registry.checked": "An organiser checked a list of names against the registry (counts only)",
    "registry.viewed": "Someone opened the sanctions registry",
}
