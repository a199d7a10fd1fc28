ACTIONS = {
    "audit.checkpoint_written": "A signed checkpoint of the log was written",
    "audit.verified": "The log was verified",
}
