"""Subject-access export: everything held about one person, as a ZIP of JSON and files: the cases
where they are a party, and the complaints they sent that never became part of a case (held as spam).

Other people's names and email addresses (the other parties of each case) are replaced by
"[third party]" in every text. Every JSON document and the README carry a watermark naming the
exporting user, the request and the time, and the export is recorded in the audit log.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from typing import Any

from django.db import transaction

from fairhearing.audit.services import audit_append
from fairhearing.cases.models import Case, Party
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError
from fairhearing.privacy.models import SubjectRequest
from fairhearing.privacy.selectors import parties_of_person
from fairhearing.privacy.services import REQUEST_ROLES, _require_role

THIRD_PARTY = "[third party]"


def _redactor(others: list[str]):  # type: ignore[no-untyped-def]
    words = sorted({w for w in others if len(w.strip()) > 2}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None

    def redact(text: str) -> str:
        return pattern.sub(THIRD_PARTY, text) if pattern and text else text

    return redact


def _others(case: Case, mine: set[int]) -> list[str]:
    names: list[str] = []
    for party in case.parties.exclude(pk__in=mine):
        names += [party.name, party.email, *party.name.split()]
    for complaint in case.complaints.all():
        names += [complaint.respondent_name, complaint.complainant_name, complaint.complainant_email]
    return names


def _case_document(case: Case, parties: list[Party], redact: Any, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    kinds = sorted({p.kind for p in parties})
    doc: dict[str, Any] = {
        "case": case.reference, "category": case.get_category_display(), "stage": case.stage, "outcome": case.outcome,
        "opened_at": case.opened_at.isoformat(), "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "your_role": kinds, "allegations": [redact(a.text) for a in case.allegations.all()],
    }
    if "complainant" in kinds:
        doc["complaints"] = []
        for party in parties:
            complaint = party.complaint
            if complaint is None:
                continue
            doc["complaints"].append({
                "reference": complaint.reference, "received_at": complaint.received_at.isoformat(), "channel": complaint.channel,
                "your_name": complaint.complainant_name, "your_email": complaint.complainant_email,
                "account": redact(complaint.account), "where": redact(complaint.where), "links": redact(complaint.links),
                "messages": _messages(complaint, redact), "evidence": _evidence(complaint, "complainant", redact, files),
            })
    if "respondent" in kinds:
        doc["decisions_about_you"] = _decisions(case, redact)
        doc["your_replies"] = _replies(case, parties, redact)
    return doc


def _messages(complaint: Any, redact: Any) -> list[dict[str, Any]]:
    try:
        from fairhearing.intake.models import Message
    except ImportError:
        return []
    return [{"direction": m.direction, "sent_at": m.created_at.isoformat(), "text": redact(m.text)}
            for m in Message.objects.filter(complaint=complaint)]


def _evidence(complaint: Any, supplied_by: str, redact: Any, files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    try:
        from fairhearing.intake.files import evidence_storage
        from fairhearing.intake.models import Evidence
    except ImportError:
        return []
    storage = evidence_storage()
    items = []
    for item in Evidence.objects.filter(complaint=complaint, supplied_by=supplied_by):
        entry: dict[str, Any] = {"kind": item.kind, "added_at": item.created_at.isoformat(), "sha256": item.sha256}
        if item.kind == "file" and item.stored_name and storage.exists(item.stored_name):
            with storage.open(item.stored_name, "rb") as handle:
                data = handle.read()
            entry["file"] = f"files/{item.public_id}-{re.sub(r'[^A-Za-z0-9._-]', '_', item.original_name or 'evidence')}"
            files.append((entry["file"], data))
        else:
            entry["text"] = redact(item.text)
        items.append(entry)
    return items


def _decisions(case: Case, redact: Any) -> list[dict[str, Any]]:
    try:
        from fairhearing.decisions.models import Decision
    except ImportError:
        return []
    return [{"outcome": d.outcome, "status": d.status, "recorded_at": d.recorded_at.isoformat(), "reasons": redact(d.reasons),
             "findings": [{"clause": f.clause.identifier, "upheld": f.upheld, "text": redact(f.text)} for f in d.findings.all()]}
            for d in Decision.objects.filter(case=case)]


def _replies(case: Case, parties: list[Party], redact: Any) -> list[dict[str, Any]]:
    try:
        from fairhearing.intake.models import RespondentReply
    except ImportError:
        return []
    return [{"sent_at": r.created_at.isoformat(), "text": redact(r.text)}
            for r in RespondentReply.objects.filter(case=case, party__in=parties)]


def _held_complaint_document(complaint: Any, files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """A complaint of the person's that never became part of a case (held as spam): what they sent,
    with the person it was about shown as a third party."""
    hold = getattr(complaint, "spam_hold", None)
    redact = _redactor([complaint.respondent_name, *complaint.respondent_name.split()])
    return {
        "reference": complaint.reference, "received_at": complaint.received_at.isoformat(), "channel": complaint.channel,
        "status": hold.get_status_display() if hold is not None else "not part of a case",
        "your_name": complaint.complainant_name, "your_email": complaint.complainant_email,
        "account": redact(complaint.account), "where": redact(complaint.where), "links": redact(complaint.links),
        "messages": _messages(complaint, redact), "evidence": _evidence(complaint, "complainant", redact, files),
    }


def _held_complaints(request: SubjectRequest) -> list[Any]:
    from django.db.models import Q

    from fairhearing.cases.models import Complaint

    query = Q(pk__in=[])
    if request.subject_name.strip():
        query |= Q(complainant_name__iexact=request.subject_name.strip())
    if request.subject_email.strip():
        query |= Q(complainant_email__iexact=request.subject_email.strip())
    return list(Complaint.objects.filter(query, case__isnull=True).order_by("received_at"))


@transaction.atomic
def subject_access_export(*, actor: Actor, request: SubjectRequest) -> tuple[str, bytes]:
    """Build the ZIP for an access request. Returns (file name, bytes); the export is audited."""
    _require_role(actor, REQUEST_ROLES, "export personal data")
    if request.kind != SubjectRequest.Kind.ACCESS:
        raise DomainError("Only an access request is answered with an export.")
    assert actor.user is not None
    now = clock.now()
    watermark = (f"Subject access export for {request.subject_name or request.subject_email}, request {request.public_id}, "
                 f"made by {actor.user} ({actor.user.public_id}) at {now.isoformat(timespec='seconds')}. Not for onward disclosure.")
    parties = list(parties_of_person(name=request.subject_name, email=request.subject_email,
                                     membership_number=request.membership_number))
    by_case: dict[int, list[Party]] = {}
    for party in parties:
        by_case.setdefault(party.case_id, []).append(party)
    buffer = io.BytesIO()
    files: list[tuple[str, bytes]] = []
    manifest: dict[str, Any] = {"watermark": watermark, "exported_by": str(actor.user), "exported_by_id": str(actor.user.public_id),
                                "exported_at": now.isoformat(), "request": str(request.public_id), "cases": [], "files": []}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for case in Case.objects.filter(pk__in=list(by_case)).order_by("opened_at"):
            mine = by_case[case.pk]
            redact = _redactor(_others(case, {p.pk for p in mine}))
            doc = {"watermark": watermark, **_case_document(case, mine, redact, files)}
            archive.writestr(f"cases/{case.reference}.json", json.dumps(doc, indent=2, ensure_ascii=False))
            manifest["cases"].append(case.reference)
        manifest["complaints_outside_cases"] = []
        for complaint in _held_complaints(request):
            doc = {"watermark": watermark, **_held_complaint_document(complaint, files)}
            archive.writestr(f"complaints/{complaint.reference}.json", json.dumps(doc, indent=2, ensure_ascii=False))
            manifest["complaints_outside_cases"].append(complaint.reference)
        for name, data in files:
            archive.writestr(name, data)
            manifest["files"].append({"name": name, "sha256": hashlib.sha256(data).hexdigest()})
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("README.txt", watermark + "\n\nOther people's names are shown as [third party].\n")
        archive.comment = watermark.encode("utf-8")[:65535]
    audit_append(actor=actor, action="subject_access.exported", subject=f"subject_request:{request.public_id}",
                 payload={"cases": len(manifest["cases"]), "complaints_outside_cases": len(manifest["complaints_outside_cases"]), "files": len(files), "sha256": hashlib.sha256(buffer.getvalue()).hexdigest()})
    return f"subject-access-{request.public_id}.zip", buffer.getvalue()
