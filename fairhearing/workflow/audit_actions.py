ACTIONS = {
    "case.transitioned": "A case moved from one stage to another under the process",
    "case.paused": "A case's clock was paused while it waits on a party",
    "case.resumed": "A case's clock started again",
    "case.fast_tracked": "A case was put on the fast track (half the timetable)",
    "case.deadline_breached": "A stage deadline passed: escalation notices were queued",
    "case.update_due": "Progress updates to the parties were queued",
    "tick.ran": "The periodic tick ran",
}
