ACTIONS = {
    "audit.checkpoint_written": "A signed checkpoint of the log was written",
    "audit.verified": "The log was verified",
    "audit.checkpoints_exported": "The signed checkpoints were exported for the overseer to keep",
    "audit.proof_given": "An inclusion proof for one event was produced",
    "audit.log_viewed": "The overseer read events from the audit log",
    "oversight.dashboard_viewed": "The overseer opened the oversight dashboard",
    "access.break_glass_granted": "Someone took time-limited break-glass access to a case, with a reason",
    "access.break_glass_ended": "A break-glass grant was ended before it expired",
    "contact.recorded": "A contact about a case from outside the process was recorded",
    "contact.listed": "The overseer read the external contact register",
}
