"""Reintegration grants: the pink and blue financial agreements (MAN Annexes 5 and 6)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.grants import GrantStatus, LawyerPurpose
from app.domain.rulebook import GrantForm
from app.schemas.common import Money, RequestModel, ResponseModel

Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class GrantLineIn(RequestModel):
    category: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        examples=["clothes_summer"], description="A line of the grant's form (GET /rulebook)."
    )
    amount: Money
    days: int | None = Field(None, ge=1, le=3660, description="Per-day lines: days covered.")
    months: int | None = Field(
        None, ge=0, le=120, description="Per-month lines, and a course's length in months."
    )
    purpose: LawyerPurpose | None = Field(None, description="Lawyer lines: what for.")
    justification: Reason | None = None


class GrantCreate(RequestModel):
    victim_id: UUID
    form: GrantForm
    ngo_organisation_id: UUID = Field(description="The partner NGO the agreement is with.")
    period_start: date
    period_end: date
    lines: list[GrantLineIn] = Field(min_length=1, max_length=30)


class GrantUpdate(RequestModel):
    """A draft's period or lines; the lines sent replace them all."""

    period_start: date | None = None
    period_end: date | None = None
    lines: list[GrantLineIn] | None = Field(None, min_length=1, max_length=30)


class GrantDecision(RequestModel):
    reason: Reason | None = None


class GrantRejection(RequestModel):
    reason: Reason


class GrantDisbursement(RequestModel):
    disbursed_on: date


class GrantLineRead(ResponseModel):
    position: int
    category: str
    amount: Decimal
    ceiling: Decimal | None = Field(description="From the rulebook and the period; none: no cap.")
    days: int | None
    months: int | None
    purpose: str | None
    justification: str | None


class GrantRead(ResponseModel):
    id: UUID
    victim_id: UUID
    form: GrantForm
    ngo_organisation_id: UUID
    period_start: date
    period_end: date
    status: GrantStatus
    total: Decimal
    lines: list[GrantLineRead]
    author_id: UUID
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by: UUID | None
    decision_reason: str | None
    disbursed_on: date | None
    rulebook_version: str
    version: int
    created_at: datetime
