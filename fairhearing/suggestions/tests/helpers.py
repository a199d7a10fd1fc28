"""Cases with texts to screen, built through the real services."""

from __future__ import annotations

from django.db import transaction

from fairhearing.core.testing import open_case

HATEFUL = "The Jews control the media and the banks."
ORDINARY = "The council should publish its budget before the vote."


def case_with_texts(personas, *, account: str = HATEFUL, pasted: str = ""):  # type: ignore[no-untyped-def]
    """A case assigned to the persona caseworker whose complaint account is ``account`` (copied
    into its first allegation), with pasted-text evidence when ``pasted`` is given."""
    from fairhearing.intake.services import complaint_evidence_add

    case = open_case(personas, account=account)
    if pasted:
        with transaction.atomic():
            complaint_evidence_add(complaint=case.complaints.get(), files=[], pasted_text=pasted)
    return case
