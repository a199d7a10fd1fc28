"""The file-completeness check run before a case closes after a decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairhearing.audit.models import AuditEvent

if TYPE_CHECKING:
    from fairhearing.cases.models import Case


def missing_items(case: Case) -> list[str]:
    """What a complete file still lacks: complaint, triage reasons, notices, decision, reasons."""
    missing: list[str] = []
    if not case.complaints.exists():
        missing.append("no complaint is linked to the case")
    actions = set(
        AuditEvent.objects.filter(subject=f"case:{case.public_id}").values_list("action", flat=True)
    )
    stages = set(case.stage_records.values_list("stage", flat=True))
    if "triage" in stages and "case.transitioned" not in actions:
        missing.append("no triage decision with reasons is recorded")
    if (
        "investigation" in stages
        and not case.notifications.filter(kind="respondent_notice").exists()
    ):
        missing.append("the respondent was never sent notice of the allegations")
    if (
        "written_decision" in stages
        and not case.notifications.filter(kind="decision_issued").exists()
    ):
        missing.append("the written decision was never sent to the parties")
    if not case.outcome:
        missing.append("no outcome is recorded")
    return missing
