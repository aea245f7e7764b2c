"""The visitor log of a shelter (MAN-VISITORS)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.domain.shelter import (
    VisitorKind,
)
from app.models.base import (
    UTCDateTime,
    enum_type,
    id_field,
    timestamp_field,
)


class Visit(SQLModel, table=True):
    """MAN-VISITORS: the shelter's visitor log."""

    __tablename__ = "shelter_visits"

    id: UUID = id_field()
    shelter_id: UUID = Field(foreign_key="shelters.id", index=True)
    visitor_kind: VisitorKind = Field(sa_type=enum_type(VisitorKind))
    visitor_name: str = Field(max_length=200)
    visitor_organisation: str = Field(max_length=200)
    visitor_organisation_id: UUID | None = Field(default=None, foreign_key="organisations.id")
    # the resident visited, where the visit is to one (a family visit)
    victim_id: UUID | None = Field(default=None, foreign_key="victims.id", index=True)
    justification: str | None = Field(default=None, max_length=2000)
    # MAN-VISITORS: an official visit's approval by the coordinator (who, when)
    approved_by: UUID | None = Field(default=None, foreign_key="users.id")
    approved_on: date | None = None
    arrived_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recorded_by: UUID
    created_at: datetime = timestamp_field()
