"""The texts of a case that are screened, found by kind: complaint accounts, allegations and
pasted-text evidence. One place knows where each kind lives, so the tick, the task and the page
agree on what a source is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from fairhearing.suggestions.models import ScreeningRun, SourceKind

if TYPE_CHECKING:
    from fairhearing.cases.models import Case


@dataclass(frozen=True)
class SourceText:
    """A source's current text and the case it belongs to (None if it no longer has one)."""

    kind: str
    source_id: int
    case: Case | None
    text: str
    label: str


def _unscreened(queryset: QuerySet, kind: str) -> QuerySet:  # type: ignore[type-arg]
    claimed = ScreeningRun.objects.filter(source_kind=kind, source_id=OuterRef("pk"))
    return queryset.filter(~Exists(claimed))


def _evidence_model():  # type: ignore[no-untyped-def]
    """The intake evidence model, when the intake app provides one with pasted text."""
    try:
        from fairhearing.intake.models import Evidence
    except ImportError:
        return None
    return Evidence if hasattr(Evidence, "Kind") and hasattr(Evidence.Kind, "TEXT") else None


def unscreened(limit: int) -> list[tuple[str, int, int]]:
    """Up to ``limit`` texts with no screening run yet, as (kind, source id, case id), oldest first
    within each kind. Empty texts are skipped: there is nothing to screen."""
    from fairhearing.cases.models import Allegation, Complaint

    found: list[tuple[str, int, int]] = []
    complaints = _unscreened(Complaint.objects.filter(case__isnull=False).exclude(account=""), SourceKind.COMPLAINT_ACCOUNT)
    found += [(SourceKind.COMPLAINT_ACCOUNT, pk, case) for pk, case in complaints.order_by("pk").values_list("pk", "case_id")[:limit]]
    allegations = _unscreened(Allegation.objects.exclude(text=""), SourceKind.ALLEGATION)
    found += [(SourceKind.ALLEGATION, pk, case) for pk, case in allegations.order_by("pk").values_list("pk", "case_id")[: max(0, limit - len(found))]]
    evidence_model = _evidence_model()
    if evidence_model is not None and len(found) < limit:
        items = _unscreened(evidence_model.objects.filter(kind=evidence_model.Kind.TEXT).exclude(text=""), SourceKind.EVIDENCE)
        for pk, case_id, complaint_case_id in items.order_by("pk").values_list("pk", "case_id", "complaint__case_id")[: limit - len(found)]:
            if case_id or complaint_case_id:
                found.append((SourceKind.EVIDENCE, pk, case_id or complaint_case_id))
    return found


def source_text(kind: str, source_id: int) -> SourceText | None:
    """The current text of a source, or None if the source no longer exists."""
    from fairhearing.cases.models import Allegation, Complaint

    if kind == SourceKind.COMPLAINT_ACCOUNT:
        complaint = Complaint.objects.select_related("case").filter(pk=source_id).first()
        if complaint is None:
            return None
        return SourceText(kind, source_id, complaint.case, complaint.account, f"Complaint {complaint.reference}: account")
    if kind == SourceKind.ALLEGATION:
        allegation = Allegation.objects.select_related("case").filter(pk=source_id).first()
        if allegation is None:
            return None
        return SourceText(kind, source_id, allegation.case, allegation.text, "Allegation")
    if kind == SourceKind.EVIDENCE:
        model = _evidence_model()
        item = model.objects.select_related("case", "complaint__case").filter(pk=source_id).first() if model else None
        if item is None:
            return None
        case = item.case or (item.complaint.case if item.complaint else None)
        supplied = item.get_supplied_by_display().lower() if hasattr(item, "get_supplied_by_display") else ""
        return SourceText(kind, source_id, case, item.text, f"Pasted evidence{f' from the {supplied}' if supplied else ''}")
    return None
