"""Shapes of the decision workspace endpoints: panel, decision, review, hearing, issue, appeal,
and a pool member's declared interests. The limits are the workspace forms' limits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import field_validator

from fairhearing.api.schemas.cases import LONG_TEXT, CaseOut
from fairhearing.api.schemas.common import InputSchema, check_moment
from fairhearing.decisions.models import Interest, Review

Verdict = Literal[tuple(Review.Verdict.values)]  # type: ignore[valid-type]
# A case interest is declared by the draw itself, never on the register page.
InterestKind = Literal[tuple(k for k in Interest.Kind.values if k != Interest.Kind.CASE)]  # type: ignore[valid-type]


class RecuseIn(InputSchema):
    reason: str = Field("", max_length=LONG_TEXT)


class FindingIn(InputSchema):
    allegation: UUID = Field(description="public_id of the allegation (see the case's 'allegations')")
    clause: str = Field(min_length=1, max_length=40, description="Identifier of the clause applied, e.g. BUL-1, in the code in force for the case")
    upheld: bool
    text: str = Field(min_length=1, max_length=LONG_TEXT, description="The panel's findings on this allegation")


class SanctionIn(InputSchema):
    outcome: str = Field(min_length=1, max_length=40)
    reasons: str = Field("", max_length=LONG_TEXT)
    term_months: int | None = Field(None, ge=1, le=1200, description="Suspension only")
    band_departure_reason: str = Field("", max_length=LONG_TEXT, description="Only when the sanction departs from the guidance")


class DecisionIn(SanctionIn):
    findings: list[FindingIn] = Field(min_length=1, max_length=200, description="One finding per allegation")


class ReviewIn(InputSchema):
    verdict: Verdict  # type: ignore[valid-type]
    reasons: str = Field("", max_length=LONG_TEXT)


class ScheduleIn(InputSchema):
    starts_at: datetime
    place: str = Field("", max_length=300)
    video_link: str = Field("", max_length=200)

    @field_validator("starts_at")
    @classmethod
    def _moment(cls, value: datetime) -> datetime:
        return check_moment(value)

    @field_validator("video_link")
    @classmethod
    def _link(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        if "://" not in value:
            value = "https://" + value
        try:
            URLValidator()(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid video link, e.g. https://meet.example.org/room.") from None
        if len(value) > 200:
            raise ValueError("Keep the video link to 200 characters; use the meeting's short link.")
        return value


class PostponeIn(InputSchema):
    starts_at: datetime
    reason: str = Field("", max_length=LONG_TEXT, description="Why the respondent asked to move it")

    @field_validator("starts_at")
    @classmethod
    def _moment(cls, value: datetime) -> datetime:
        return check_moment(value)


class AppealIn(InputSchema):
    appellant: Literal["respondent", "complainant"]
    grounds: str = Field("", max_length=LONG_TEXT)


class AppealDecisionIn(InputSchema):
    outcome: str = Field(min_length=1, max_length=30)
    reasons: str = Field("", max_length=LONG_TEXT)
    substituted_outcome: Literal["", "reminder_of_conduct", "formal_warning", "suspension"] = ""
    term_months: int | None = Field(None, ge=1, le=1200)


class InterestIn(InputSchema):
    kind: InterestKind  # type: ignore[valid-type]
    value: str = Field(min_length=1, max_length=300, description="A name, membership number, branch, region, group or a description")


class InterestOut(Schema):
    kind: str
    value: str
    declared_at: datetime


class SeatOut(Schema):
    public_id: UUID
    name: str
    recused: bool


class PanelOut(Schema):
    public_id: UUID
    purpose: str
    size: int
    drawn_at: datetime
    ended_at: datetime | None
    members: list[SeatOut]


class FindingOut(Schema):
    allegation: UUID
    clause: str
    code_version: str
    upheld: bool
    text: str


class DecisionOut(Schema):
    public_id: UUID
    body: str
    outcome: str
    status: str
    term_months: int | None
    education_required: bool
    reasons: str
    recorded_at: datetime
    determined_on: date | None
    issued_at: datetime | None
    findings: list[FindingOut]


class HearingOut(Schema):
    public_id: UUID
    starts_at: datetime
    original_starts_at: datetime | None
    place: str
    video_link: str
    outcome: str
    held_at: datetime | None


class AppealOut(Schema):
    public_id: UUID
    appellant: str
    grounds: str
    lodged_at: datetime
    outcome: str
    substituted_outcome: str
    decided_at: datetime | None


class WorkspaceOut(Schema):
    case: CaseOut
    panels: list[PanelOut]
    decision: DecisionOut | None = Field(description="The latest decision on the case")
    hearing: HearingOut | None
    appeals: list[AppealOut]


class ActionOut(Schema):
    done: str = Field(description="What happened, as the workspace page says it")
    case: UUID
    workspace: WorkspaceOut | None = Field(description="The workspace after the step; null when you may no longer see the case")
