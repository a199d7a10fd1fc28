ACTIONS = {
    "registry.entry_created": "A sanction entered the sanctions registry",
    "registry.entry_ended": "A sanction in the registry ended (lapsed, or lifted on appeal)",
    "registry.member_status_changed": "A member's status followed the sanctions in force for them (suspended, expelled, or restored)",
    "registry.checked": "An organiser checked a list of names against the registry (counts only)",
    "registry.viewed": "Someone opened the sanctions registry",
}
