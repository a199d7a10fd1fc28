"""Writes for cases: the only way case state changes. Each appends its audit event in the same
transaction. Stage moves, pauses and fast-tracking live in fairhearing.workflow.services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction

from fairhearing.accounts.models import Role, User
from fairhearing.accounts.permissions import require_manage
from fairhearing.audit.services import audit_append
from fairhearing.cases.models import (
    Allegation,
    Assignment,
    Case,
    Category,
    Channel,
    Complaint,
    Member,
    Note,
    Party,
    StageRecord,
)
from fairhearing.conduct.models import Clause
from fairhearing.core import clock
from fairhearing.core.actors import Actor
from fairhearing.core.errors import DomainError, MissingInformation, NotPermitted
from fairhearing.core.identifiers import new_reference
from fairhearing.workflow.config import get_process
from fairhearing.workflow.deadlines import next_update_on, stage_due_on


def unique_reference(model: type[Case] | type[Complaint], prefix: str) -> str:
    for _ in range(20):
        reference = new_reference(prefix)
        if not model.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not draw a free reference")  # 25^8 space: practically unreachable


def case_subject(case: Case) -> str:
    return f"case:{case.public_id}"


def case_open_for_complaint(*, actor: Actor, complaint: Complaint) -> Case:
    """Open a case for a complaint inside the caller's transaction (the complaint services of
    this app and of intake call it after storing the complaint, so both commit together)."""
    process = get_process()
    today = clock.today()
    case = Case.objects.create(
        reference=unique_reference(Case, "FC"),
        category=complaint.category,
        summary=f"{complaint.get_category_display()} complaint about {complaint.respondent_name}"[:300],
        stage=process.initial_stage,
        stage_entered_on=today,
        opened_at=clock.now(),
        process_version=process.version,
        next_update_on=next_update_on(today),
    )
    case.due_on = stage_due_on(case)
    case.save(update_fields=["due_on"])
    StageRecord.objects.create(case=case, stage=case.stage, entered_on=today, due_on=case.due_on)
    Party.objects.create(
        case=case,
        kind=Party.Kind.COMPLAINANT,
        complaint=complaint,
        name="" if complaint.anonymous else complaint.complainant_name,
        email=complaint.complainant_email,
        anonymous=complaint.anonymous,
    )
    respondent_member = complaint.respondent_member
    Party.objects.create(
        case=case,
        kind=Party.Kind.RESPONDENT,
        member=respondent_member,
        name=respondent_member.name if respondent_member else complaint.respondent_name,
        email=respondent_member.email if respondent_member else "",
    )
    Allegation.objects.create(case=case, text=complaint.account, conduct_date=complaint.conduct_first_date)
    complaint.case = case
    complaint.save(update_fields=["case"])
    audit_append(
        actor=actor,
        action="case.opened",
        subject=case_subject(case),
        payload={
            "case": case.reference,
            "complaint": complaint.reference,
            "category": case.category,
            "stage": case.stage,
            "due_on": case.due_on.isoformat() if case.due_on else None,
        },
    )
    return case


@transaction.atomic
def case_open_from_complaint(*, actor: Actor, complaint: Complaint) -> Case:
    """Open a case for a complaint that has none. The case starts at the process's first stage."""
    if complaint.case_id is not None:
        raise DomainError(f"Complaint {complaint.reference} already belongs to case {complaint.case.reference}.")
    return case_open_for_complaint(actor=actor, complaint=complaint)


def _match_member(membership_number: str) -> Member | None:
    number = membership_number.strip()
    return Member.objects.filter(membership_number=number).first() if number else None


@transaction.atomic
def complaint_record(
    *,
    actor: Actor,
    channel: str,
    category: str,
    respondent_name: str,
    account: str,
    respondent_membership_number: str = "",
    respondent_branch_or_role: str = "",
    complainant_name: str = "",
    complainant_email: str = "",
    anonymous: bool = False,
    conduct_first_date: date | None = None,
    where: str = "",
) -> Complaint:
    """A caseworker records a complaint that arrived by post, email, telephone or in person, and
    the case opens with it. Public web submissions go through the intake app."""
    if actor.user is None or actor.user.role != Role.CASEWORKER:
        raise NotPermitted("Only caseworkers record complaints received by other channels.")
    if channel not in Channel.values:
        raise MissingInformation(f"Choose how the complaint arrived: {', '.join(Channel.values)}.", field="channel")
    if category not in Category.values:
        raise MissingInformation("Choose a category.", field="category")
    if not respondent_name.strip():
        raise MissingInformation("Say who the complaint is about.", field="respondent_name")
    if not account.strip():
        raise MissingInformation("Describe what happened.", field="account")
    if not anonymous and not complainant_name.strip():
        raise MissingInformation("Give the complainant's name, or mark the complaint anonymous.", field="complainant_name")
    complaint = Complaint.objects.create(
        reference=unique_reference(Complaint, "FH"),
        received_at=clock.now(),
        channel=channel,
        category=category,
        anonymous=anonymous,
        complainant_name="" if anonymous else complainant_name.strip(),
        complainant_email=complainant_email.strip(),
        respondent_name=respondent_name.strip(),
        respondent_membership_number=respondent_membership_number.strip(),
        respondent_branch_or_role=respondent_branch_or_role.strip(),
        respondent_member=_match_member(respondent_membership_number),
        account=account.strip(),
        conduct_first_date=conduct_first_date,
        where=where.strip(),
    )
    audit_append(
        actor=actor,
        action="complaint.recorded",
        subject=f"complaint:{complaint.public_id}",
        payload={"complaint": complaint.reference, "channel": channel, "category": category},
    )
    case_open_for_complaint(actor=actor, complaint=complaint)
    return complaint


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, user: User, role: str) -> Assignment:
    """Assign a staff member to a case in a role. A caseworker may take a case from the intake
    pool or hand their own case on; panel and reviewer draws come from the decisions app."""
    require_manage(actor, case)
    if role not in Assignment.Role.values:
        raise DomainError(f"Unknown case role {role!r}.")
    if str(user.role) != role:
        raise DomainError(f"{user} is not a {Assignment.Role(role).label.lower()}.")
    if not user.is_active:
        raise DomainError(f"{user}'s account is not active.")
    if Assignment.objects.filter(case=case, user=user, role=role, active=True).exists():
        raise DomainError(f"{user} is already assigned to this case.")
    now = clock.now()
    ended = []
    if role == Assignment.Role.CASEWORKER:
        for previous in Assignment.objects.filter(case=case, role=role, active=True):
            previous.active = False
            previous.ended_at = now
            previous.save(update_fields=["active", "ended_at"])
            ended.append(str(previous.user.public_id))
    assignment = Assignment.objects.create(case=case, user=user, role=role, assigned_at=now)
    audit_append(
        actor=actor,
        action="case.assigned",
        subject=case_subject(case),
        payload={"user": str(user.public_id), "role": role, "replaced": ended},
    )
    return assignment


@transaction.atomic
def case_add_note(*, actor: Actor, case: Case, text: str) -> Note:
    require_manage(actor, case)
    if not text.strip():
        raise MissingInformation("Write the note before saving it.", field="text")
    assert actor.user is not None
    note = Note.objects.create(case=case, author=actor.user, text=text.strip(), created_at=clock.now())
    audit_append(actor=actor, action="case.note_added", subject=case_subject(case), payload={"note": note.pk, "length": len(note.text)})
    return note


@transaction.atomic
def allegation_add(*, actor: Actor, case: Case, text: str, conduct_date: date | None, clause_ids: Iterable[int]) -> Allegation:
    require_manage(actor, case)
    if not text.strip():
        raise MissingInformation("Describe the allegation.", field="text")
    clauses = list(Clause.objects.filter(pk__in=list(clause_ids)))
    allegation = Allegation.objects.create(case=case, text=text.strip(), conduct_date=conduct_date)
    allegation.clauses.set(clauses)
    audit_append(
        actor=actor,
        action="case.allegation_added",
        subject=case_subject(case),
        payload={"allegation": str(allegation.public_id), "clauses": [c.identifier for c in clauses]},
    )
    return allegation


class MemberImportError(DomainError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"The file was not imported: {len(problems)} problem(s).")
        self.problems = problems


MEMBER_COLUMNS = ("membership_number", "name", "email", "branch", "region", "role", "joined_on", "status")


@transaction.atomic
def members_import(*, actor: Actor, rows: Iterable[dict[str, str]], header: list[str]) -> dict[str, int]:
    """Import or update members, all or nothing. Every bad row is reported with its line number."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    problems: list[str] = []
    missing = [c for c in ("membership_number", "name") if c not in header]
    unknown = [c for c in header if c not in MEMBER_COLUMNS]
    if missing or unknown:
        if missing:
            problems.append(f"line 1: missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"line 1: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(MEMBER_COLUMNS)}")
        raise MemberImportError(problems)
    parsed: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        number = (row.get("membership_number") or "").strip()
        name = (row.get("name") or "").strip()
        if not number:
            problems.append(f"line {line}: membership_number is empty")
        elif number in seen:
            problems.append(f"line {line}: membership_number {number} repeats line {seen[number]}")
        else:
            seen[number] = line
        if not name:
            problems.append(f"line {line}: name is empty")
        email = (row.get("email") or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"line {line}: email {email!r} is not an email address")
        joined: date | None = None
        joined_raw = (row.get("joined_on") or "").strip()
        if joined_raw:
            try:
                joined = date.fromisoformat(joined_raw)
            except ValueError:
                problems.append(f"line {line}: joined_on {joined_raw!r} is not a date like 2021-03-31")
        status = (row.get("status") or "active").strip().lower()
        if status not in Member.Status.values:
            problems.append(f"line {line}: status {status!r} is not one of {', '.join(Member.Status.values)}")
        parsed.append({"membership_number": number, "name": name, "email": email, "branch": (row.get("branch") or "").strip(),
                       "region": (row.get("region") or "").strip(), "role": (row.get("role") or "").strip(), "joined_on": joined, "status": status})
    if not parsed and not problems:
        problems.append("the file has a header but no rows")
    if problems:
        raise MemberImportError(problems)
    existing = {m.membership_number: m for m in Member.objects.filter(membership_number__in=list(seen))}
    new_members: list[Member] = []
    changed: list[Member] = []
    for item in parsed:
        member = existing.get(str(item["membership_number"]))
        if member is None:
            new_members.append(Member(**item))
        else:
            for key, value in item.items():
                setattr(member, key, value)
            changed.append(member)
    created, updated = len(new_members), len(changed)
    try:
        Member.objects.bulk_update(changed, [c for c in MEMBER_COLUMNS if c != "membership_number"], batch_size=1000)
        Member.objects.bulk_create(new_members, batch_size=1000)
    except IntegrityError as error:
        raise MemberImportError([f"the database refused the import: {error}"]) from None
    audit_append(actor=actor, action="members.imported", subject="members", payload={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
