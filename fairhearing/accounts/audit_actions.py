ACTIONS = {
    "two_factor.enrolment_started": "A staff member was given a new two-factor secret to add to an authenticator app",
    "two_factor.enrolled": "A staff member confirmed a two-factor device with its first code",
    "two_factor.verified": "A staff member passed the two-factor check in a new session",
    "two_factor.failed": "A two-factor code was refused as wrong",
    "two_factor.reset": "A staff member's two-factor devices were removed so that they set up a new one",
}
