"""Shapes of the staff endpoints for cases, caseworker actions, intake, statistics and the
platform check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from fairhearing.api.schemas.common import InputSchema, check_email
from fairhearing.api.schemas.public import CategoryName, EvidenceOut, MessageOut
from fairhearing.cases.models import Channel

# The channels a caseworker records (the web form offers the same): web and API complaints arrive by themselves.
RecordChannel = Literal[tuple(c for c in Channel.values if c not in (Channel.WEB, Channel.API))]  # type: ignore[valid-type]
LONG_TEXT = 50000


class NameIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    membership_number: str | None = Field(None, max_length=40)


class CheckIn(InputSchema):
    names: list[NameIn] = Field(min_length=1, max_length=500)


class CheckOut(Schema):
    name: str
    membership_number: str | None
    verdict: Literal["match", "possible_match", "no_match"]
    score: float


class TransitionOut(Schema):
    key: str
    label: str
    requires: list[str]
    outcomes: list[str]


class CaseOut(Schema):
    public_id: UUID
    reference: str
    category: str
    stage: str
    stage_label: str
    due_on: date | None
    paused: bool
    fast_tracked: bool
    closed: bool
    outcome: str
    opened_at: datetime
    closed_at: datetime | None


class PersonOut(Schema):
    public_id: UUID
    name: str


class AssignmentOut(PersonOut):
    role: str


class PartyOut(Schema):
    public_id: UUID
    kind: str
    name: str
    anonymous: bool
    active: bool


class AllegationOut(Schema):
    public_id: UUID
    text: str
    conduct_date: date | None
    clauses: list[str] = Field(description="Clause identifiers cited, e.g. AS-4")


class CaseComplaintOut(Schema):
    public_id: UUID
    reference: str
    received_at: datetime
    channel: str


class PauseOut(Schema):
    kind: str
    reason: str
    started_on: date
    limit_on: date


class HoldOut(Schema):
    public_id: UUID
    case: UUID
    reason: str
    placed_at: datetime
    lifted_at: datetime | None


class NoteOut(Schema):
    author: str
    text: str
    created_at: datetime


class CaseDetailOut(CaseOut):
    transitions: list[TransitionOut]
    can_manage: bool = Field(description="Whether the user may take the caseworker's actions (pause, notes, assignment, …)")
    pause_kinds: list[str] = Field(description="Kinds of wait that may pause the case at its stage (for a caseworker who may manage it)")
    pause: PauseOut | None
    parties: list[PartyOut]
    allegations: list[AllegationOut]
    complaints: list[CaseComplaintOut]
    assignments: list[AssignmentOut]
    notes: list[NoteOut]
    legal_hold: HoldOut | None
    caseworkers: list[PersonOut] = Field(description="Caseworkers the case may be handed to (for a caseworker who may manage it)")


class CaseListOut(Schema):
    items: list[CaseOut]
    page: int
    pages: int
    total: int


class TransitionIn(InputSchema):
    transition: str = Field(min_length=1, max_length=60)
    reasons: str = Field("", max_length=20000)
    clauses: list[str] = Field(default_factory=list, max_length=50, description="Clause identifiers, e.g. AS-4")
    outcome: str = Field("", max_length=60)


class PauseIn(InputSchema):
    kind: str = Field(min_length=1, max_length=60, description="A kind of wait from the process, e.g. awaiting_respondent")
    reason: str = Field("", max_length=LONG_TEXT)


class ReasonIn(InputSchema):
    reason: str = Field("", max_length=LONG_TEXT)


class ReasonsIn(InputSchema):
    reasons: str = Field("", max_length=LONG_TEXT)


class NoteIn(InputSchema):
    text: str = Field(min_length=1, max_length=LONG_TEXT)


class AssignIn(InputSchema):
    user: UUID = Field(description="public_id of an active caseworker (listed in the case's 'caseworkers')")


class RecordIn(InputSchema):
    """A complaint that arrived by post, email, telephone or in person, recorded by a caseworker."""

    channel: RecordChannel  # type: ignore[valid-type]
    category: CategoryName  # type: ignore[valid-type]
    respondent_name: str = Field(min_length=1, max_length=200)
    account: str = Field(min_length=1, max_length=LONG_TEXT)
    respondent_membership_number: str = Field("", max_length=40)
    respondent_branch_or_role: str = Field("", max_length=200)
    complainant_name: str = Field("", max_length=200)
    complainant_email: str = Field("", max_length=254)
    anonymous: bool = False
    conduct_first_date: date | None = None
    where: str = Field("", max_length=300)

    @field_validator("complainant_email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value)


class RecordedOut(Schema):
    complaint: UUID
    complaint_reference: str
    case: UUID
    case_reference: str


class StaffComplaintOut(CaseComplaintOut):
    case: UUID | None
    case_reference: str | None
    category: str
    anonymous: bool
    complainant_name: str
    respondent_name: str


class StaffComplaintDetailOut(StaffComplaintOut):
    account: str
    messages: list[MessageOut]
    evidence: list[EvidenceOut]
    evidence_files: list[UUID] = Field(description="public_ids of the stored files, in the order of 'evidence' files")
    linked_on: str | None = Field(description="How the complaint was joined to its case, when it was linked to an open one")


class TextIn(InputSchema):
    text: str = Field(min_length=1, max_length=LONG_TEXT)


class LinkCaseIn(InputSchema):
    case_reference: str = Field(min_length=1, max_length=20, description="Reference of the open case to join")
    reason: str = Field("", max_length=LONG_TEXT)


class ComplaintCaseOut(Schema):
    complaint: UUID
    complaint_reference: str
    case: UUID
    case_reference: str


class SpamOut(Schema):
    complaint: UUID
    complaint_reference: str
    held_at: datetime
    reasons: list[str]
    status: str
    case: UUID | None


class SpamIn(InputSchema):
    decision: Literal["release", "reject"] = Field(description="release: not spam, the case opens; reject: confirmed as spam")
    note: str = Field("", max_length=LONG_TEXT)


class SuggestionOut(Schema):
    public_id: UUID
    clause: str
    title: str
    confidence: float
    status: str
    triggers: list[str]
    note: str
    decided_at: datetime | None


class ScreeningOut(Schema):
    run: UUID
    label: str = Field(description="Which text of the case was screened")
    text: str
    state: str
    framing: str
    duplicate: bool = Field(description="The same text was screened earlier in the case; its suggestions stand")
    suggestions: list[SuggestionOut]


class SuggestionDecisionIn(InputSchema):
    decision: Literal["accept", "reject"]
    note: str = Field("", max_length=2000)


class SummaryIn(InputSchema):
    text: str = Field(min_length=1, max_length=LONG_TEXT)


class SummaryOut(Schema):
    public_id: UUID
    case: UUID
    category: str
    outcome: str
    text: str
    published_at: datetime


class TableOut(Schema):
    key: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | str]]


class StageTimeOut(Schema):
    stage: str
    label: str
    target_days: int
    stays: int | str
    median: float | None
    p90: float | None
    deadlines_met: float | None


class ReportOut(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    tables: list[TableOut]
    stage_times: list[StageTimeOut]
    members: int
    complaints_per_1000_members: float | None


class PublishedSummaryOut(Schema):
    category: str
    outcome: str
    text: str
    published_at: datetime


class StatisticsOut(ReportOut):
    summaries: list[PublishedSummaryOut] = Field(description="Anonymised decision summaries published by caseworkers, newest first")
