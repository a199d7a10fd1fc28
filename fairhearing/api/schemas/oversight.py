"""Shapes of the privacy endpoints (data-subject requests, legal holds) and of the oversight
endpoints (outside contacts, break-glass access, audit verification)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from fairhearing.api.schemas.cases import LONG_TEXT
from fairhearing.api.schemas.common import InputSchema, check_email, check_moment
from fairhearing.audit.models import ContactChannel
from fairhearing.audit.services import BREAK_GLASS_HOURS, BREAK_GLASS_MAX_HOURS
from fairhearing.privacy.models import SubjectRequest

RequestKind = Literal[tuple(SubjectRequest.Kind.values)]  # type: ignore[valid-type]
ContactChannelName = Literal[tuple(ContactChannel.values)]  # type: ignore[valid-type]


class SubjectRequestIn(InputSchema):
    kind: RequestKind  # type: ignore[valid-type]
    subject_name: str = Field("", max_length=200)
    subject_email: str = Field("", max_length=254)
    membership_number: str = Field("", max_length=40)
    received_on: date | None = Field(None, description="Leave out for today")
    details: str = Field("", max_length=LONG_TEXT, description="What was asked (for rectification: what is wrong and what it should be)")

    @field_validator("subject_email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value)


class SubjectRequestOut(Schema):
    public_id: UUID
    kind: str
    subject_name: str
    subject_email: str
    membership_number: str
    details: str
    received_on: date
    due_on: date
    days_left: int
    status: str
    outcome: str
    completed_at: datetime | None


class CompleteIn(InputSchema):
    outcome: str = Field(min_length=1, max_length=LONG_TEXT, description="What was done, or why the request is refused")
    refused: bool = False


class HoldIn(InputSchema):
    reason: str = Field("", max_length=LONG_TEXT)


class ContactIn(InputSchema):
    contact_name: str = Field(min_length=1, max_length=200)
    contact_position: str = Field("", max_length=200)
    occurred_at: datetime
    channel: ContactChannelName  # type: ignore[valid-type]
    request: str = Field(min_length=1, max_length=LONG_TEXT, description="What they asked or said about the case")

    @field_validator("occurred_at")
    @classmethod
    def _moment(cls, value: datetime) -> datetime:
        return check_moment(value)


class ContactOut(Schema):
    public_id: UUID
    case: UUID
    recorded_at: datetime


class BreakGlassIn(InputSchema):
    reference: str = Field(min_length=1, max_length=20, description="The case reference")
    reason: str = Field("", max_length=LONG_TEXT)
    hours: int = Field(BREAK_GLASS_HOURS, ge=1, le=BREAK_GLASS_MAX_HOURS)


class GrantOut(Schema):
    public_id: UUID
    case: UUID
    case_reference: str
    granted_at: datetime
    expires_at: datetime
    ended_at: datetime | None


class VerificationOut(Schema):
    ok: bool
    message: str
    events_checked: int
    checkpoints_checked: int
    first_bad_seq: int | None
    damage: str
    signatures_checked: bool
    note: str
