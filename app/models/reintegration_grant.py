"""Reintegration grants: the pink and blue financial agreements (MAN Annexes 5 and 6)."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm
from app.models.base import (
    JSONType,
    Money,
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class ReintegrationGrant(Versioned, table=True):
    __tablename__ = "reintegration_grants"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period"),
        # the agreement's number: one sequence per NGO and year
        UniqueConstraint("ngo_organisation_id", "number_year", "number_seq"),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    form: GrantForm = Field(sa_type=enum_type(GrantForm))
    ngo_organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    period_start: date
    period_end: date
    status: GrantStatus = Field(default=GrantStatus.DRAFT, sa_type=enum_type(GrantStatus))
    total: Decimal = Field(sa_type=Money)  # computed from the lines, never taken from a body
    author_id: UUID
    author_organisation_id: UUID = Field(foreign_key="organisations.id")
    # the NGO's shelter manager a coordinator drafted it with (four eyes: neither approves it)
    co_author_id: UUID | None = Field(default=None, foreign_key="users.id")
    number: str | None = Field(default=None, max_length=40)  # made by the server
    number_year: int | None = None
    number_seq: int | None = None
    mou_reference: str | None = Field(default=None, max_length=100)
    # who sign it: {"ngo": the NGO's representative, "mission": the mission's}
    representatives: dict[str, str] | None = Field(default=None, sa_type=JSONType)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: UUID | None = None
    decision_reason: str | None = Field(default=None, max_length=2000)
    disbursed_on: date | None = None
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class GrantLine(SQLModel, table=True):
    __tablename__ = "grant_lines"
    # what the domain checks, the database holds too: one line of each kind, never negative
    __table_args__ = (
        UniqueConstraint("grant_id", "position"),
        UniqueConstraint("grant_id", "category"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("ceiling IS NULL OR amount <= ceiling", name="within_ceiling"),
    )

    id: UUID = id_field()
    grant_id: UUID = Field(foreign_key="reintegration_grants.id", index=True)
    position: int
    category: str = Field(max_length=40, index=True)
    amount: Decimal = Field(sa_type=Money)
    ceiling: Decimal | None = Field(default=None, sa_type=Money)  # from the rulebook and period
    days: int | None = None
    months: int | None = None
    purpose: str | None = Field(default=None, max_length=40)
    justification: str | None = Field(default=None, max_length=2000)
    training_id: UUID | None = Field(default=None, foreign_key="trainings.id")
    identity_document_id: UUID | None = Field(default=None, foreign_key="identity_documents.id")
    micro_enterprise_id: UUID | None = Field(default=None, foreign_key="micro_enterprises.id")


class GrantInstalment(SQLModel, table=True):
    """One payment of an approved grant; their sum never exceeds its total."""

    __tablename__ = "grant_instalments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: UUID = id_field()
    grant_id: UUID = Field(foreign_key="reintegration_grants.id", index=True)
    amount: Decimal = Field(sa_type=Money)
    disbursed_on: date
    recorded_by: UUID = Field(foreign_key="users.id")
    created_at: datetime = timestamp_field()
