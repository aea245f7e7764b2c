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
    training_id: UUID | None = Field(
        None,
        description="Blue `vocational_training` and `scholarship` lines: the person's training "
        "(a scholarship only within a training in progress; MAN-TRAINING).",
    )
    identity_document_id: UUID | None = Field(
        None, description="Blue `id_documents` lines: the document restored (MAN-IDENTITY)."
    )
    micro_enterprise_id: UUID | None = Field(
        None,
        description="Blue `equipment` lines: the person's micro-enterprise, after both its "
        "trainings (MAN-MICRO-ENTERPRISE).",
    )


class Representatives(RequestModel):
    """Who sign the agreement for each party."""

    ngo: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    mission: Annotated[str, StringConstraints(min_length=1, max_length=200)]


MouReference = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class GrantCreate(RequestModel):
    victim_id: UUID
    form: GrantForm
    ngo_organisation_id: UUID = Field(description="The partner NGO the agreement is with.")
    period_start: date
    period_end: date
    lines: list[GrantLineIn] = Field(min_length=1, max_length=30)
    mou_reference: MouReference | None = Field(
        None, description="The Memorandum of Understanding the agreement is made under."
    )
    representatives: Representatives | None = None
    drafted_with_user_id: UUID | None = Field(
        None,
        description="A coordinator drafts together with the NGO's shelter manager, named here; "
        "neither of them approves it (GRANT-FOUR-EYES).",
    )


class GrantUpdate(RequestModel):
    """A draft's period, lines, MoU reference or representatives; the lines sent replace them
    all."""

    period_start: date | None = None
    period_end: date | None = None
    lines: list[GrantLineIn] | None = Field(None, min_length=1, max_length=30)
    mou_reference: MouReference | None = None
    representatives: Representatives | None = None


class GrantDecision(RequestModel):
    reason: Reason | None = None


class GrantRejection(RequestModel):
    reason: Reason


class GrantDisbursement(RequestModel):
    """One instalment; without ``amount``, the rest of the approved total."""

    amount: Money | None = None
    disbursed_on: date


class GrantInstalmentRead(ResponseModel):
    amount: Decimal
    disbursed_on: date
    recorded_by: UUID


class GrantLineRead(ResponseModel):
    position: int
    category: str
    amount: Decimal
    ceiling: Decimal | None = Field(description="From the rulebook and the period; none: no cap.")
    days: int | None
    months: int | None
    purpose: str | None
    justification: str | None
    training_id: UUID | None
    identity_document_id: UUID | None
    micro_enterprise_id: UUID | None


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
    number: str | None = Field(description="Made by the server, per NGO and year.")
    mou_reference: str | None
    representatives: dict[str, str] | None
    author_id: UUID
    co_author_id: UUID | None
    submitted_at: datetime | None
    decided_at: datetime | None
    decided_by: UUID | None
    decision_reason: str | None
    instalments: list[GrantInstalmentRead]
    paid: Decimal = Field(description="The sum of the instalments paid.")
    disbursed_on: date | None = Field(description="The day it was paid in full.")
    rulebook_version: str
    version: int
    created_at: datetime
