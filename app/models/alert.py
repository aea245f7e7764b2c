"""The alerts a psychologist's finding raises (MAN-PSYCHIATRIC-ALERT)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.models.base import (
    UTCDateTime,
    id_field,
    timestamp_field,
)


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
