"""Request and response shapes of the API (they become the OpenAPI schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from fairhearing.cases.models import Category

CategoryName = Literal[tuple(Category.values)]  # type: ignore[valid-type]



def _no_nul(value: Any, where: str) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(f"{where or 'a field'} contains a NUL character (\\u0000); remove it and send the text again")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_nul(item, f"{where}[{index}]")


class InputSchema(Schema):
    """Base of every request body: text containing NUL characters is refused with a clear
    error (no database stores them, and no person types them)."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any, info: ValidationInfo) -> Any:
        _no_nul(value, info.field_name or "")
        return value

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
    links: str = Field("", max_length=5000, description="One link per line")
    pasted_text: str = Field("", max_length=20000)


class ReceiptOut(Schema):
    reference: str
    receipt_code: str = Field(description="Shown once: needed with the reference to follow the complaint up")
    stage: str


class LookupIn(InputSchema):
    reference: str = Field(min_length=1, max_length=40)
    receipt_code: str = Field(min_length=1, max_length=100)


class MessageIn(LookupIn):
    text: str = Field(min_length=1, max_length=10000)


class MessageOut(Schema):
    direction: str
    sent_at: datetime
    text: str


class StatusOut(Schema):
    reference: str
    stage: str
    explanation: str
    next_deadline: date | None
    paused: bool
    closed: bool
    messages: list[MessageOut]


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


class CaseDetailOut(CaseOut):
    transitions: list[TransitionOut]


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
