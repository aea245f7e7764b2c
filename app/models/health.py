"""The person's health record (MAN II 4.0.9) and the alerts health findings raise."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.domain.shelter import HivStatus
from app.models.base import (
    JSONType,
    UTCDateTime,
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


class Alert(SQLModel, table=True):
    """MAN-PSYCHIATRIC-ALERT: on the worklists of the shelter manager and the coordinator until
    acknowledged."""

    __tablename__ = "alerts"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    assessment_id: UUID = Field(foreign_key="assessments.id")
    raised_on: date
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: UUID | None = None
    created_at: datetime = timestamp_field()
