"""Closures of a case and their reopenings (MAN-CASE-CLOSE): the history is kept."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.domain.closure import ClosureReason
from app.models.base import UTCDateTime, enum_type, id_field, timestamp_field


class CaseClosure(SQLModel, table=True):
    __tablename__ = "case_closures"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    reason: ClosureReason = Field(sa_type=enum_type(ClosureReason))
    closed_on: date
    exit_information: str | None = Field(default=None, max_length=2000)  # MAN-EXIT
    closed_by: UUID
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reopen_reason: str | None = Field(default=None, max_length=1000)
    reopened_by: UUID | None = None
    created_at: datetime = timestamp_field()
