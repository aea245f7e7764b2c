"""The person's health record (MAN II 4.0.9)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field

from app.domain.shelter import HivStatus
from app.models.base import (
    JSONType,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class HealthRecord(Versioned, table=True):
    __tablename__ = "health_records"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", unique=True)
    conditions: list[str] = Field(default_factory=list, sa_type=JSONType)
    allergies: list[str] = Field(default_factory=list, sa_type=JSONType)
    medications: list[str] = Field(default_factory=list, sa_type=JSONType)
    notes: str | None = Field(default=None, sa_type=Text)
    hiv_status: HivStatus | None = Field(default=None, sa_type=enum_type(HivStatus))  # MAN-HIV
    last_examined_on: date | None = None
    updated_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
