"""Shapes of the public endpoints: complaints, follow-up, messages and evidence, and the
respondent's link. Their limits are the web forms' limits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from fairhearing.api.schemas.common import InputSchema, check_email, check_links
from fairhearing.cases.models import Category

CategoryName = Literal[tuple(Category.values)]  # type: ignore[valid-type]


class ComplaintIn(InputSchema):
    category: CategoryName  # type: ignore[valid-type]
    respondent_name: str = Field(min_length=1, max_length=200)
    account: str = Field(min_length=1, max_length=20000, description="What happened, in the complainant's words")
    anonymous: bool = False
    complainant_name: str = Field("", max_length=200)
    complainant_email: str = Field("", max_length=254)
    complainant_phone: str = Field("", max_length=40)
    respondent_membership_number: str = Field("", max_length=40)
    respondent_branch_or_role: str = Field("", max_length=200)
    conduct_dates: str = Field("", max_length=200)
    conduct_first_date: date | None = None
    where: str = Field("", max_length=300)
    links: str = Field("", max_length=5000, description="Web links (http or https), one per line")
    pasted_text: str = Field("", max_length=50000)

    @field_validator("links")
    @classmethod
    def _links(cls, value: str) -> str:
        return check_links(value)

    @field_validator("complainant_email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value)


class ReceiptOut(Schema):
    reference: str
    receipt_code: str = Field(description="Shown once: needed with the reference to follow the complaint up")
    stage: str
    evidence: int = Field(0, description="Pieces of evidence stored with the complaint (files, pasted text, links)")


class LookupIn(InputSchema):
    reference: str = Field(min_length=1, max_length=40)
    receipt_code: str = Field(min_length=1, max_length=100)


class MessageIn(LookupIn):
    text: str = Field(min_length=1, max_length=10000)


class EvidenceIn(LookupIn):
    pasted_text: str = Field("", max_length=50000)
    links: str = Field("", max_length=5000, description="Links, one per line")


class MessageOut(Schema):
    direction: str
    sent_at: datetime
    text: str


class EvidenceOut(Schema):
    kind: str
    name: str = Field(description="The file's name, the link, or empty for pasted text")
    size: int
    sha256: str
    added_at: datetime


class MessageSentOut(MessageOut):
    evidence: list[EvidenceOut] = Field(default_factory=list, description="Files sent with the message")


class StatusOut(Schema):
    reference: str
    stage: str
    explanation: str
    next_deadline: date | None
    paused: bool
    closed: bool
    messages: list[MessageOut]
    evidence: list[EvidenceOut] = Field(default_factory=list)


class LinkIn(InputSchema):
    token: str = Field(min_length=1, max_length=200, description="The token at the end of the respondent's link")


class ReplyIn(LinkIn):
    text: str = Field(min_length=1, max_length=50000)


class MoveIn(LinkIn):
    reason: str = Field(min_length=1, max_length=5000, description="Why the hearing should move, and when you could attend")


class PackFileIn(LinkIn):
    evidence: UUID = Field(description="public_id of a file in the pack")


class PackClauseOut(Schema):
    identifier: str
    title: str


class PackAllegationOut(Schema):
    text: str
    conduct_date: date | None
    clauses: list[PackClauseOut]


class PackEvidenceOut(Schema):
    public_id: UUID
    kind: str
    name: str
    text: str
    redacted: bool
    size: int
    content_type: str


class PackReplyOut(Schema):
    sent_at: datetime
    text: str


class PackOut(Schema):
    case_reference: str
    reply_due_on: date
    link_expires_at: datetime
    allegations: list[PackAllegationOut]
    evidence: list[PackEvidenceOut]
    replies: list[PackReplyOut]
    hearing_move_requested: bool


class ReplyOut(Schema):
    case_reference: str
    sent_at: datetime
    files: int
    late: bool


class MoveOut(Schema):
    case_reference: str
    requested_at: datetime
